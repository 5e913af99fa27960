#!/usr/bin/env node
/**
 * `npm start`: the whole system on this machine, on real local parts. SIGINT (Ctrl-C), SIGTERM or
 * SIGHUP, to this process or to the npm that started it, stops everything.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_WORK_DIR, SESSION_FILE } from './cli/session';
import { banner } from './local/banner';
import { startLocalSystem, type LocalSystem } from './local/system';
import { readmeWalkthrough } from './local/walkthrough';

const MIN_NODE_MAJOR = 22;
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** How often the runner checks that the process that started it is still there. */
const PARENT_CHECK_MS = 500;
/** A stop that hangs this long exits anyway (each service is killed after 5 s of its own). */
const STOP_DEADLINE_MS = 60_000;

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new InvalidArgumentError('must be a port number (0 picks a free one)');
  return parsed;
}

function chainCount(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 7) throw new InvalidArgumentError('must be a whole number from 1 to 7');
  return parsed;
}

const program = new Command()
  .name('npm start --')
  .description(
    "Run treasury-compliance locally: DynamoDB Local, fauxqs (SQS + S3), the fund's seven chains as Hardhat nodes with the ERC-3643 contracts (--chains for fewer), the KYC vendor simulator, the HTTP API and the queue workers.",
  )
  .option('--api-port <port>', 'HTTP API port (taken ports fall back to a free one)', port, 3000)
  .option('--dynamodb-port <port>', 'DynamoDB Local port', port, 8000)
  .option('--sqs-port <port>', 'fauxqs (SQS + S3) port', port, 4566)
  .option('--chain-port <port>', 'first Hardhat JSON-RPC port; the other chains take the next ones', port, 8545)
  .option('--vendors-port <port>', 'KYC vendor simulator port', port, 8700)
  .option('--console-port <port>', "the officers' and auditors' web console", port, 3001)
  .option('--chains <count>', "how many of the fund's seven chains to run, 1 to 7", chainCount, 7)
  .option('--log-level <level>', 'handler log level: DEBUG, INFO, WARN, ERROR', 'WARN')
  .option('--work-dir <dir>', 'where logs, scratch files and the session the CLI reads go', DEFAULT_WORK_DIR)
  .option('--json', 'print one JSON line with the URLs, credentials and the pid to signal when ready (for scripts and tests)', false)
  .addHelpText(
    'after',
    [
      '',
      "Once ready it prints its URLs, the dev credentials and the README's walk-through: commands to paste, in this directory.",
      'SIGINT (Ctrl-C), SIGTERM or SIGHUP to this process or to the npm that started it stops everything.',
    ].join('\n'),
  );

interface RunnerOptions {
  apiPort: number;
  dynamodbPort: number;
  sqsPort: number;
  chainPort: number;
  vendorsPort: number;
  consolePort: number;
  chains: number;
  logLevel: string;
  workDir: string;
  json: boolean;
}

/**
 * Calls `stop` once, on the first of SIGINT, SIGTERM or SIGHUP, or when the process that started
 * this one exits: npm forwards only SIGINT and SIGTERM, and dies of a SIGHUP without passing it on.
 */
function onShutdown(stop: (reason: string) => void): () => void {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent) stop(`the parent process ${parent} exited`);
  }, PARENT_CHECK_MS);
  for (const signal of STOP_SIGNALS) process.on(signal, () => stop(signal));
  return () => clearInterval(watch);
}

async function main(): Promise<void> {
  const options = program.parse().opts<RunnerOptions>();
  const major = Number(process.versions.node.split('.')[0]);
  if (major < MIN_NODE_MAJOR) {
    throw new Error(
      `Node ${process.versions.node} is too old: run through \`npm start\`, which uses the Node 24 that \`npm ci\` installs into node_modules/.bin.`,
    );
  }
  // A terminal or pipe that went away with the parent must not turn the shutdown into a crash.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);

  const sessionFile = path.join(options.workDir, SESSION_FILE);
  const aborted = new AbortController();
  let system: LocalSystem | undefined;
  let stopping = false;
  const stopWatching = onShutdown((reason) => {
    if (stopping) return;
    stopping = true;
    stopWatching();
    setTimeout(() => process.exit(1), STOP_DEADLINE_MS).unref();
    if (!options.json) console.log(`\n${reason}: stopping…`);
    if (!system) return aborted.abort(); // still starting: startLocalSystem stops what it started
    void system.stop().finally(() => {
      rmSync(sessionFile, { force: true });
      process.exit(0);
    });
  });

  const startedAt = Date.now();
  try {
    system = await startLocalSystem({
      ports: {
        api: options.apiPort,
        dynamodb: options.dynamodbPort,
        fauxqs: options.sqsPort,
        chain: options.chainPort,
        vendors: options.vendorsPort,
        console: options.consolePort,
      },
      chains: options.chains,
      workDir: options.workDir,
      logLevel: options.logLevel,
      signal: aborted.signal,
      onProgress: options.json ? undefined : (step) => console.log(`… ${step}`),
    });
  } catch (error) {
    if (aborted.signal.aborted) process.exit(0);
    throw error;
  }
  if (aborted.signal.aborted) {
    // The stop came between the start's last step and its return.
    await system.stop();
    process.exit(0);
  }
  const readyMs = Date.now() - startedAt;
  // The CLI finds the local API and the dev tokens here (`cli ... --as officer-alice`).
  writeFileSync(sessionFile, JSON.stringify({ apiUrl: system.apiUrl, vendorSimulatorUrl: system.vendorSimulatorUrl, tokens: system.tokens, env: system.env }), {
    mode: 0o600,
  });

  if (options.json) {
    console.log(
      JSON.stringify({
        ready: true,
        readyMs,
        pid: process.pid,
        apiUrl: system.apiUrl,
        consoleUrl: system.consoleUrl,
        vendorSimulatorUrl: system.vendorSimulatorUrl,
        services: system.services.map(({ name, endpoint }) => ({ name, endpoint })),
        chains: system.chains,
        env: system.env,
        tokens: system.tokens,
      }),
    );
  } else {
    console.log(banner(system, { readyMs, workDir: options.workDir, pid: process.pid, walkthrough: walkthroughLines() }).join('\n'));
  }
}

/** The README's walk-through, or why it could not be read (the banner still prints). */
function walkthroughLines(): string[] {
  try {
    return readmeWalkthrough();
  } catch (error) {
    return [`# (${(error as Error).message})`];
  }
}

main().catch((error: Error) => {
  console.error(`npm start failed: ${error.message}`);
  process.exit(1);
});
