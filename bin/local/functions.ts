import path from 'node:path';
import { FUNCTION_SPECS, type FunctionName } from '../../lambda/config/system';
import { localEnvironmentFor } from './function-env';

const ROOT = path.resolve(__dirname, '..', '..');

interface FunctionModule {
  compose(env: NodeJS.ProcessEnv): unknown;
}
interface HandlerModule {
  createHandler(deps: unknown): unknown;
}

/**
 * Builds a function in this process as Lambda would at cold start: its composition root
 * (lambda/functions/<name>/root.ts) reads exactly the environment its spec declares, and its
 * handler is what the runner invokes.
 */
export async function loadFunction(name: FunctionName, systemEnv: Readonly<Record<string, string>>): Promise<unknown> {
  const dir = path.join(ROOT, path.dirname(FUNCTION_SPECS[name].entry));
  const [{ compose }, { createHandler }] = (await Promise.all([import(path.join(dir, 'root')), import(path.join(dir, 'handler'))])) as [
    FunctionModule,
    HandlerModule,
  ];
  return createHandler(compose(localEnvironmentFor(FUNCTION_SPECS[name], systemEnv)));
}
