import type { ChildProcess } from 'node:child_process';

export default async function e2eTeardown(): Promise<void> {
  const child = (globalThis as { __e2eRunner?: ChildProcess }).__e2eRunner;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
