#!/usr/bin/env node
/** `npm run openapi`: writes docs/openapi.json from the route table and the handlers' zod schemas (`--check` compares instead). */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { apiDocumentText } from './openapi/document';

export const OPENAPI_FILE = path.resolve(__dirname, '..', 'docs', 'openapi.json');

new Command()
  .name('npm run openapi --')
  .description(
    "Write the HTTP API's OpenAPI 3.1 document to docs/openapi.json, generated from lambda/config/system.ts ROUTES and the zod schemas the handlers validate with.",
  )
  .option('--check', 'exit 1 if docs/openapi.json differs from what the code generates (writes nothing)', false)
  .option('--stdout', 'print the document instead of writing it', false)
  .action((options: { check: boolean; stdout: boolean }) => {
    const text = apiDocumentText();
    if (options.stdout) return void process.stdout.write(text);
    if (options.check) {
      let current = '';
      try {
        current = readFileSync(OPENAPI_FILE, 'utf8');
      } catch {
        // compared below as empty
      }
      if (current === text) return console.log('docs/openapi.json is up to date');
      console.error('docs/openapi.json is out of date: run `npm run openapi`');
      process.exitCode = 1;
      return;
    }
    writeFileSync(OPENAPI_FILE, text);
    console.log(`wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
  })
  .parse();
