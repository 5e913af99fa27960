#!/usr/bin/env node
/**
 * `npm start`: the whole system on this machine, on real local parts. Ctrl-C stops everything.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { SESSION_FILE } from './cli/session';
import { startLocalSystem, type LocalSystem } from './local/system';

const MIN_NODE_MAJOR = 22;

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
    'Run treasury-compliance locally: DynamoDB Local, fauxqs (SQS + S3), a Hardhat chain with the ERC-3643 contracts, the HTTP API and the queue workers.',
  )
  .option('--api-port <port>', 'HTTP API port (taken ports fall back to a free one)', port, 3000)
  .option('--dynamodb-port <port>', 'DynamoDB Local port', port, 8000)
  .option('--sqs-port <port>', 'fauxqs (SQS + S3) port', port, 4566)
  .option('--chain-port <port>', 'first Hardhat JSON-RPC port; the other chains take the next ones', port, 8545)
  .option('--vendors-port <port>', 'KYC vendor simulator port', port, 8700)
  .option('--console-port <port>', "the officers' and auditors' web console", port, 3001)
  .option('--chains <count>', "how many of the fund's seven chains to run, 1 to 7", chainCount, 7)
  .option('--log-level <level>', 'handler log level: DEBUG, INFO, WARN, ERROR', 'WARN')
  .option('--work-dir <dir>', 'where logs and scratch files go', '.local')
  .option('--json', 'print one JSON line with the URLs and credentials when ready (for scripts and tests)', false)
  .addHelpText(
    'after',
    '\nOnce it prints its URLs, it also prints a curl to register an investor and the command that makes the\nsimulated KYC vendor approve them.',
  );

async function main(): Promise<void> {
  const options = program.parse().opts<{
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
  }>();
  const major = Number(process.versions.node.split('.')[0]);
  if (major < MIN_NODE_MAJOR) {
    throw new Error(
      `Node ${process.versions.node} is too old: run through \`npm start\`, which uses the Node 24 that \`npm ci\` installs into node_modules/.bin.`,
    );
  }

  const startedAt = Date.now();
  const system = await startLocalSystem({
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
    onProgress: options.json ? undefined : (step) => console.log(`… ${step}`),
  });
  const readyMs = Date.now() - startedAt;
  // The CLI finds the local API and the dev tokens here (`cli ... --as officer-alice`).
  const sessionFile = path.join(options.workDir, SESSION_FILE);
  writeFileSync(sessionFile, JSON.stringify({ apiUrl: system.apiUrl, vendorSimulatorUrl: system.vendorSimulatorUrl, tokens: system.tokens, env: system.env }), {
    mode: 0o600,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!options.json) console.log(`\n${signal}: stopping…`);
    await system.stop();
    rmSync(sessionFile, { force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  if (options.json) {
    console.log(
      JSON.stringify({
        ready: true,
        readyMs,
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
    printBanner(system, readyMs, options.workDir);
  }
}

function printBanner(system: LocalSystem, readyMs: number, workDir: string): void {
  const portal = system.tokens.find((token) => token.role === 'portal')!;
  const lines = [
    '',
    `treasury-compliance is running locally (ready in ${(readyMs / 1000).toFixed(1)} s)`,
    '',
    `  HTTP API                    ${system.apiUrl}`,
    `  ${'Console'.padEnd(28)}${system.consoleUrl}   officers, auditors, operators: sign in as a dev identity below`,
    ...system.services.filter((service) => service.name !== 'Console').map((service) => `  ${service.name.padEnd(28)}${service.endpoint}`),
    ...system.chains.map(
      (chain) => `  ${`${chain.name} (${chain.chainId})`.padEnd(28)}${chain.rpcUrl}   registry ${chain.identityRegistry}  token ${chain.token}`,
    ),
    `  Logs                        ${workDir}/logs`,
    '',
    'Dev credentials (local only; tokens are valid for this run):',
    ...system.tokens.map((token) => `  ${token.subject.padEnd(15)} ${token.role.padEnd(19)} Bearer ${token.token}`),
    `  allowlist agent ${system.chains[0]!.agent} (Hardhat dev account #1, on every chain)`,
    '',
    'Try it: register an investor, let the (simulated) KYC vendor approve them, watch them reach the chains:',
    `  curl -s -X POST ${system.apiUrl}/investors -H 'authorization: Bearer ${portal.token}' -H 'content-type: application/json' \\`,
    `    -d '{"externalId":"demo-1","legalName":"Jane Doe","dateOfBirth":"1980-01-31","countryOfResidence":"US","wallets":["0x1111111111111111111111111111111111111111"],"kyc":{"vendor":"sumsub","applicantId":"demo-applicant-1"}}'`,
    `  npm run --silent cli -- kyc decide --vendor sumsub --applicant demo-applicant-1 --verdict approved`,
    `  npm run --silent cli -- investors show <investorId> --as portal`,
    `Officers work the review queue in the console (${system.consoleUrl}) or the CLI (register "legalName":"Nicolas Maduro Moros" for a case); four-eyes needs both:`,
    `  npm run --silent cli -- cases list --as officer-alice      # then claim, decide; approve --as officer-bob`,
    '',
    'Ctrl-C stops everything.',
  ];
  console.log(lines.join('\n'));
}

main().catch((error: Error) => {
  console.error(`npm start failed: ${error.message}`);
  process.exit(1);
});
