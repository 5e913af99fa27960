// Starts a Hardhat (EDR) JSON-RPC node for the local runner and tests. Runs as its own process:
// Hardhat is ESM-only and would otherwise share the runner's event loop with the handlers.
// It never compiles (that would download solc): contracts come as artifacts from npm packages.
// Usage: node bin/chain/node.mjs <port> <chainId> <workDir>. Prints one JSON line when ready.
import { createHardhatRuntimeEnvironment } from 'hardhat/hre';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const [port = '8545', chainId = '31337', workDir] = process.argv.slice(2);
const projectRoot = path.dirname(fileURLToPath(import.meta.url));
const scratch = workDir ?? path.join(projectRoot, 'cache');

const hre = await createHardhatRuntimeEnvironment(
  {
    paths: { artifacts: path.join(scratch, 'artifacts'), cache: path.join(scratch, 'cache') },
    networks: { node: { type: 'edr-simulated', chainId: Number(chainId) } },
  },
  {},
  projectRoot,
);

// The node task prints a banner, the dev accounts and a line per RPC call on stdout. Our one ready
// line is what the runner reads, so Hardhat's own output is dropped.
const { port: actualPort } = await new Promise((resolve, reject) => {
  console.log = (...args) => {
    const match = /JSON-RPC server at http:\/\/[^:]+:(\d+)/.exec(args.join(' '));
    if (match) resolve({ port: Number(match[1]) });
  };
  hre.tasks
    .getTask('node')
    .run({ hostname: '127.0.0.1', port: Number(port) })
    .catch(reject);
});
process.stdout.write(`${JSON.stringify({ ready: true, port: actualPort, chainId: Number(chainId) })}\n`);

// Leave with the runner: on a signal, or when the IPC channel closes because the runner died.
const exit = () => process.exit(0);
process.on('SIGTERM', exit);
process.on('SIGINT', exit);
process.on('disconnect', exit);
