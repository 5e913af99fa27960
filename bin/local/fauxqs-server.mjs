// Starts fauxqs (SQS + S3 emulator) for the local runner and tests, as its own process because
// fauxqs is ESM-only. Usage: node bin/local/fauxqs-server.mjs <port>. Prints one JSON line when ready.
import { startFauxqs } from 'fauxqs';

const server = await startFauxqs({ port: Number(process.argv[2] ?? 4566), logger: false });
process.stdout.write(`${JSON.stringify({ ready: true, port: server.port })}\n`);

const exit = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGTERM', exit);
process.on('SIGINT', exit);
// The runner died without a signal reaching us: do not linger as an orphan.
process.on('disconnect', exit);
