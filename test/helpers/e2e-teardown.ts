import type { RunnerProcess } from '../../bin/local/runner-process';

export default async function e2eTeardown(): Promise<void> {
  await (globalThis as { __e2eRunner?: RunnerProcess }).__e2eRunner?.stop();
}
