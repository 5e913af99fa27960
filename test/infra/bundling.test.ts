import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { FUNCTION_SPECS } from '../../lambda/config/system';
import { logicalId, pascal, synthesize } from '../helpers/infra';

// Loaded inside a try/catch by the AWS SDK (SigV4a signing, which we never use); absent on Lambda too.
const OPTIONAL_REQUIRES = new Set(['@aws-sdk/signature-v4-crt']);
const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

/** As `npx cdk synth` does: esbuild bundles every function from the local install, offline. */
describe('function bundles', () => {
  const { app, template } = synthesize({ bundling: true });
  const assembly = app.synth();

  it.each(Object.keys(FUNCTION_SPECS).map((name) => [name]))('bundles %s into one self-contained CommonJS file with a source map', (name) => {
    const fn = template.findResources('AWS::Lambda::Function')[logicalId(template, 'AWS::Lambda::Function', `${pascal(name)}Function`)]!;
    const assetDir = path.join(assembly.directory, fn.Metadata['aws:asset:path'] as string);
    const bundle = path.join(assetDir, 'index.js');
    expect(existsSync(`${bundle}.map`)).toBe(true);
    expect(statSync(bundle).size).toBeLessThan(5 * 1024 * 1024);
    const code = readFileSync(bundle, 'utf8');
    const required = new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]!));
    expect([...required].filter((module) => !builtins.has(module) && !OPTIONAL_REQUIRES.has(module))).toEqual([]);
    // esbuild's CommonJS wrapper: an export object with `handler` that becomes module.exports.
    expect(code).toMatch(/\{handler:\(\)=>([\w$]+)\}\);module\.exports=[\w$]+\(/);
  });
});
