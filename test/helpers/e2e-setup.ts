import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = path.resolve(__dirname, '..', '..');
export const E2E_SYSTEM_ENV = 'E2E_LOCAL_SYSTEM';
/** Everything the runner and its handlers print (at DEBUG), for tests that check what reaches logs. */
export const E2E_RUNNER_LOG_ENV = 'E2E_RUNNER_LOG';

/**
 * Starts the local runner exactly as `npm start` does (same entry point, `--json` for the ready
 * line), on free ports and two of the seven chains (to spare the CPU), and leaves what it printed for the tests.
 */
export default async function e2eSetup(): Promise<void> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'tc-e2e-'));
  const args = [
    'bin/local.ts',
    '--json',
    '--api-port',
    '0',
    '--dynamodb-port',
    '0',
    '--sqs-port',
    '0',
    '--chain-port',
    '0',
    '--vendors-port',
    '0',
    '--console-port',
    '0',
    '--chains',
    '2',
    '--log-level',
    'DEBUG',
    '--work-dir',
    workDir,
  ];
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const logFile = path.join(workDir, 'runner-output.log');
  const log = createWriteStream(logFile);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  process.env[E2E_RUNNER_LOG_ENV] = logFile;
  (globalThis as { __e2eRunner?: ChildProcess }).__e2eRunner = child;
  const ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the local runner was not ready within 90 s')), 90_000);
    child.once('exit', (code) => reject(new Error(`the local runner exited with code ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{"ready":true')) {
        clearTimeout(timer);
        resolve(line);
      }
    });
  });
  process.env[E2E_SYSTEM_ENV] = ready;
}
