import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FREE_PORTS, startRunnerProcess, type RunnerProcess } from '../../bin/local/runner-process';

export const E2E_SYSTEM_ENV = 'E2E_LOCAL_SYSTEM';
/** Everything the runner and its handlers print (at DEBUG), for tests that check what reaches logs. */
export const E2E_RUNNER_LOG_ENV = 'E2E_RUNNER_LOG';

/**
 * Starts the local runner exactly as `npm start` does (same entry point, `--json` for the ready
 * line), on free ports and two of the seven chains (to spare the CPU), and leaves what it printed for the tests.
 */
export default async function e2eSetup(): Promise<void> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'tc-e2e-'));
  const runner = await startRunnerProcess([...FREE_PORTS, '--chains', '2', '--log-level', 'DEBUG'], workDir);
  process.env[E2E_RUNNER_LOG_ENV] = runner.logFile;
  (globalThis as { __e2eRunner?: RunnerProcess }).__e2eRunner = runner;
  process.env[E2E_SYSTEM_ENV] = runner.readyLine;
}
