import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { DeployedSuite } from './chain-deploy';

const ROOT = path.resolve(__dirname, '..', '..');

/** The JSON line `npm start -- --json` prints when everything is up. */
export interface ReadyLine {
  readonly ready: true;
  readonly readyMs: number;
  readonly pid: number;
  readonly apiUrl: string;
  readonly consoleUrl: string;
  readonly vendorSimulatorUrl: string;
  readonly chains: readonly DeployedSuite[];
  readonly env: Record<string, string>;
  readonly tokens: readonly { subject: string; role: string; token: string }[];
}

export interface RunnerProcess {
  readonly child: ChildProcess;
  /** The ready line as printed, for whoever passes it on (the e2e tests read it from an env variable). */
  readonly readyLine: string;
  readonly ready: ReadyLine;
  /** Everything the runner and its handlers printed. */
  readonly logFile: string;
  /** SIGTERM, then SIGKILL after `graceMs`: the runner stops its services on SIGTERM. */
  readonly stop: (graceMs?: number) => Promise<void>;
}

/** Free ports for every service: a started system never collides with a running `npm start`. */
export const FREE_PORTS = ['--api-port', '0', '--dynamodb-port', '0', '--sqs-port', '0', '--chain-port', '0', '--vendors-port', '0', '--console-port', '0'];

/**
 * Starts the local runner exactly as `npm start` does (same entry point, `--json` for the ready line), with `args`
 * added, its output in `workDir/runner-output.log`, and resolves once it is ready.
 */
export async function startRunnerProcess(args: readonly string[], workDir: string, timeoutMs = 90_000): Promise<RunnerProcess> {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['bin/local.ts', '--json', '--work-dir', workDir, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logFile = path.join(workDir, 'runner-output.log');
  const log = createWriteStream(logFile);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const stop = (graceMs = 15_000) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  const readyLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local runner was not ready within ${timeoutMs / 1000} s (its output: ${logFile})`)), timeoutMs);
    child.once('exit', (code) => reject(new Error(`the local runner exited with code ${code} (its output: ${logFile})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{"ready":true')) {
        clearTimeout(timer);
        resolve(line);
      }
    });
  }).catch(async (error: Error) => {
    await stop(2_000);
    throw error;
  });
  return { child, readyLine, ready: JSON.parse(readyLine) as ReadyLine, logFile, stop };
}
