#!/usr/bin/env node
/**
 * `npm run test:repeat -- <runs> [jest args]`: the integration and e2e tiers (or the jest
 * arguments given) run again and again, one run after another, stopping at the first failure: the
 * way to show a suite is stable, and to catch a flaky test while it fails.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';

const ROOT = path.resolve(__dirname, '..');

function runCount(value: string): number {
  const runs = Number(value);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new InvalidArgumentError('must be a whole number from 1 to 100');
  return runs;
}

const program = new Command()
  .name('npm run test:repeat --')
  .description('Run the integration and e2e tiers (or the given jest arguments) several times in a row; stop at the first failure.')
  .argument('[runs]', 'how many runs, 1 to 100', runCount, 10)
  .argument('[jest...]', 'jest arguments instead of `--selectProjects integration e2e`')
  .option('--json', 'print one JSON line with every run', false)
  .allowUnknownOption(true)
  .action((runs: number, jestArgs: string[], options: { json: boolean }) => {
    const args = jestArgs.length > 0 ? jestArgs : ['--selectProjects', 'integration', 'e2e'];
    const results: { run: number; passed: boolean; seconds: number; load: number }[] = [];
    for (let run = 1; run <= runs; run++) {
      const load = loadavg()[0]!;
      const started = Date.now();
      if (!options.json) console.log(`\n── run ${run} of ${runs} (load average ${load.toFixed(1)}): jest ${args.join(' ')}`);
      const outcome = spawnSync(path.join(ROOT, 'node_modules/.bin/jest'), args, { cwd: ROOT, stdio: options.json ? 'ignore' : 'inherit' });
      const result = { run, passed: outcome.status === 0, seconds: Math.round((Date.now() - started) / 100) / 10, load: Math.round(load * 10) / 10 };
      results.push(result);
      if (!options.json) console.log(`── run ${run}: ${result.passed ? 'passed' : 'FAILED'} in ${result.seconds} s`);
      if (!result.passed) break;
    }
    const passed = results.filter((result) => result.passed).length;
    const allPassed = passed === runs;
    if (options.json) console.log(JSON.stringify({ runs, passed, allPassed, results }));
    else
      console.log(
        `\n${allPassed ? `all ${runs} runs passed` : `stopped: run ${results.length} failed after ${passed} passing run(s)`}: ${results.map((r) => `${r.seconds} s`).join(', ')}`,
      );
    process.exitCode = allPassed ? 0 : 1;
  });

program.parse();
