import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs `npm run --silent cli -- <args>` as a user would (same entry point), returning its output. */
export function runCli(args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['bin/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...options.env }, input: options.input, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
