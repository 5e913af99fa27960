import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import { DEV_ACCOUNTS, deployTrexSuite } from '../bin/local/chain-deploy';
import { lambdaContext } from '../bin/local/lambda-context';
import { localChainEnv } from '../bin/local/local-chains';
import { provision } from '../bin/local/provision';
import { startDynamoDbLocal, startFauxqs, startHardhatNode, type LocalService } from '../bin/local/services';
import { QueuePoller, type SqsLambda } from '../bin/local/sqs-poller';
import { IDENTITY_REGISTRY_ABI, DynamoAllowlistJournal } from '../lambda/modules/allowlist/adapters';
import { documentClient } from '../lambda/platform/aws/dynamo';
import { DynamoInvestorRepository } from '../lambda/modules/investors/adapters';
import { sqsClient } from '../lambda/platform/aws/sqs';
import { ENV, QUEUES, TABLES } from '../lambda/config/system';
import { changeDeduplicationId, changeGroupId, type AllowlistChange } from '../lambda/shared';
import { gasPerInvestor, revocationOnSevenChains } from './allowlist-claims';
import { PhaseClock } from './allowlist-phases';
import type { Benchmark } from './benchmarks';

const WALLETS = 200;
/** `--large`: a batched run of this many wallets as well. */
const LARGE_WALLETS = 1000;
/** A batched run first, unmeasured: DynamoDB Local's and the node's JIT warm up, as a running service's would be. */
const WARM_UP_WALLETS = 50;
const TARGET_WALLETS_PER_SECOND = 200;

interface Run {
  readonly wallets: number;
  readonly seconds: number;
  /** One-minute load average before and after the run (2 cores shared with other work). */
  readonly load: readonly [number, number];
  readonly phases: [string, number][];
  readonly walletsPerSecond: number;
  readonly gasPerWallet: number;
  readonly registryGasPerWallet: number;
  readonly transactions: number;
}

/**
 * End to end on real local parts: WALLETS eligible investors' `add` changes sent to the FIFO queue
 * (as the screening worker sends them), consumed by the real handler through the local event
 * source, until every wallet is verified on the Hardhat chain and its audit record and investor
 * status are written. Once with batches of up to 100 wallets, once one by one (each on fresh
 * tables, queue and registry), after an unmeasured warm-up run; `--large` adds 1,000 wallets batched.
 */
async function run(maxBatchSize: number, services: { rpcUrl: string }, label: string, wallets = WALLETS): Promise<Run> {
  const suite = await deployTrexSuite({ rpcUrl: services.rpcUrl, chainId: 31337, name: 'bench' });
  const resources = await provision({ dynamodb: new DynamoDBClient({}), sqs: sqsClient(), s3: new S3Client({ forcePathStyle: true }) }, `bench-${label}`);
  const chainEnv = localChainEnv([suite]);
  const chains = JSON.parse(chainEnv[ENV.chains]!) as Record<string, unknown>[];
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...resources,
    ...chainEnv,
    [ENV.chains]: JSON.stringify(chains.map((chain) => ({ ...chain, maxBatchSize }))),
    [ENV.signerPrivateKey]: DEV_ACCOUNTS.allowlistAgent,
  };

  const investors = new DynamoInvestorRepository(documentClient(), env[TABLES.investors.envVar]!);
  const at = new Date().toISOString();
  const changes: AllowlistChange[] = [];
  for (let index = 0; index < wallets; index++) {
    const wallet = Wallet.createRandom().address.toLowerCase();
    const investorId = `bench-${label}-${index}`;
    await investors.create({
      investorId,
      externalId: investorId,
      legalName: 'Bench',
      type: 'entity',
      countryOfResidence: 'US',
      wallets: [wallet],
      status: 'eligible',
      version: 3,
      createdAt: at,
      updatedAt: at,
    });
    changes.push({ action: 'add', investorId, wallet, country: 'US', chainId: suite.chainId, identityRegistry: suite.identityRegistry, version: 3 });
  }

  // Loaded after the log level is set: the handlers' logger reads it once, at import.
  const { compose } = await import('../lambda/functions/allowlist-worker/root.js');
  const { createHandler } = await import('../lambda/functions/allowlist-worker/handler.js');
  const clock = new PhaseClock();
  const root = compose(env);
  const instrumented = root.worker().then((worker) => clock.instrument(worker));
  const handler = createHandler({ ...root, worker: () => instrumented });
  const invoke: SqsLambda = (event, context) =>
    clock.time(event.Records.some((record) => record.body.startsWith('{"flush"')) ? 'flush batches (whole)' : 'intake batches', () => handler(event, context));
  const poller = new QueuePoller({
    sqs: sqsClient(),
    queueUrl: env[QUEUES.allowlist.envVar]!,
    batchSize: QUEUES.allowlist.batchSize,
    invoke,
    context: () => lambdaContext('bench', 100, 512),
  });
  const journal = new DynamoAllowlistJournal(documentClient(), env[TABLES.allowlistJournal.envVar]!);
  const registry = new Contract(suite.identityRegistry, IDENTITY_REGISTRY_ABI, new JsonRpcProvider(suite.rpcUrl, suite.chainId, { staticNetwork: true }));
  await poller.start();
  const loadBefore = loadavg()[0]!;
  const started = Date.now();
  for (let start = 0; start < changes.length; start += 10) {
    const entries = changes.slice(start, start + 10).map((change, index) => ({
      Id: String(index),
      MessageBody: JSON.stringify(change),
      MessageGroupId: changeGroupId(change),
      MessageDeduplicationId: changeDeduplicationId(change),
    }));
    await sqsClient().send(new SendMessageBatchCommand({ QueueUrl: env[QUEUES.allowlist.envVar], Entries: entries }));
  }
  const group = changeGroupId(suite);
  const unverified = async () =>
    (await Promise.all(changes.map((change) => registry.getFunction('isVerified')(change.wallet) as Promise<boolean>))).filter((verified) => !verified).length;
  // Done when nothing is pending and every wallet is verified: the journal and audit are written by then.
  // Polled gently: the benchmark must not compete with the worker for the chain and the tables.
  while ((await journal.pendingSummary(group, 1)).count > 0 || (await unverified()) > 0) {
    if (Date.now() - started > 600_000) throw new Error(`the ${label} run did not finish within 600 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (Date.now() - started) / 1000;
  const load: [number, number] = [loadBefore, loadavg()[0]!];
  await poller.stop();
  const slots = await journal.slotsFrom(`${suite.chainId}:${new Wallet(DEV_ACCOUNTS.allowlistAgent).address.toLowerCase()}`, 0);
  const gas = (kinds: string[]) => slots.filter((slot) => kinds.includes(slot.call.kind)).reduce((sum, slot) => sum + Number(slot.receipt?.gasUsed ?? 0), 0);
  return {
    wallets,
    seconds,
    load,
    phases: clock.report(),
    walletsPerSecond: wallets / seconds,
    gasPerWallet: gas(['createIdentity', 'createInvestorIdentity', 'addClaim', 'register']) / wallets,
    registryGasPerWallet: gas(['register']) / wallets,
    transactions: slots.length,
  };
}

export const allowlistBenchmark: Benchmark = {
  name: 'allowlist',
  description: `wallets/s end to end (queue → ERC-3643 registry, journal, audit) and gas per wallet, batched vs one by one, where the time goes; target >= ${TARGET_WALLETS_PER_SECOND} wallets/s (--large: also ${LARGE_WALLETS} wallets); gas of a new investor and of a further wallet; a 5-wallet investor's revocation on 7 chains`,
  async run() {
    const workDir = mkdtempSync(path.join(tmpdir(), 'tc-bench-'));
    const logDir = path.join(workDir, 'logs');
    const services: LocalService[] = [];
    try {
      const [dynamodb, fauxqs, chain] = await Promise.all([
        startDynamoDbLocal({ logDir }),
        startFauxqs({ logDir }),
        startHardhatNode({ logDir, chainId: 31337, workDir: path.join(workDir, 'hardhat') }),
      ]);
      services.push(dynamodb, fauxqs, chain);
      Object.assign(process.env, {
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
        AWS_ENDPOINT_URL_SQS: fauxqs.endpoint,
        AWS_ENDPOINT_URL_S3: fauxqs.endpoint,
        [ENV.s3ForcePathStyle]: 'true',
        POWERTOOLS_METRICS_DISABLED: 'true',
      });
      await run(100, { rpcUrl: chain.endpoint }, 'warm-up', WARM_UP_WALLETS);
      const batched = await run(100, { rpcUrl: chain.endpoint }, 'batched');
      const single = await run(1, { rpcUrl: chain.endpoint }, 'single');
      const large = process.argv.includes('--large') ? await run(100, { rpcUrl: chain.endpoint }, 'large', LARGE_WALLETS) : undefined;
      const row = (label: string, result: Run) =>
        `  ${label.padEnd(24)} ${result.walletsPerSecond.toFixed(1).padStart(8)} wallets/s (${result.wallets} in ${result.seconds.toFixed(2)} s, load ${result.load.map((value) => value.toFixed(1)).join(' -> ')})   ${Math.round(result.gasPerWallet).toString().padStart(8)} gas/wallet (${Math.round(result.registryGasPerWallet)} registry + identity + KYC claim; one new investor per wallet)   ${result.transactions} transactions`;
      console.log(`  one Hardhat chain, DynamoDB Local, fauxqs; after an unmeasured ${WARM_UP_WALLETS}-wallet warm-up run`);
      console.log(row('batched (<= 100/tx)', batched));
      console.log(row('one by one', single));
      if (large) console.log(row(`batched, ${LARGE_WALLETS} wallets`, large));
      console.log(
        `  ratio batched / one by one: ${(batched.walletsPerSecond / single.walletsPerSecond).toFixed(2)}x wallets/s, ${(single.gasPerWallet / batched.gasPerWallet).toFixed(2)}x less gas per wallet (${(single.registryGasPerWallet / batched.registryGasPerWallet).toFixed(2)}x on the registry call alone)`,
      );
      console.log(`  target >= ${TARGET_WALLETS_PER_SECOND} wallets/s batched: ${batched.walletsPerSecond >= TARGET_WALLETS_PER_SECOND ? 'met' : 'NOT met'}`);
      console.log(`  where the batched run's ${batched.seconds.toFixed(2)} s went (wall time with a call of the phase in flight; phases overlap):`);
      for (const [phase, ms] of batched.phases) console.log(`    ${phase.padEnd(58)} ${(ms / 1000).toFixed(2).padStart(6)} s`);
      const perInvestor = await gasPerInvestor(chain.endpoint);
      console.log('  gas of one identity per investor with our KYC claim (exact, through the worker):');
      console.log(
        `    new investor, 1 wallet: ${perInvestor.identity + perInvestor.claim + perInvestor.firstRegistration} gas (identity ${perInvestor.identity}, claim ${perInvestor.claim}, registration ${perInvestor.firstRegistration})`,
      );
      console.log(
        `    each further wallet of the investor, batched (50 in one batchRegisterIdentity): ${perInvestor.furtherPerWallet} gas (target <= 60000: ${perInvestor.furtherPerWallet <= 60_000 ? 'met' : 'NOT met'})`,
      );
      const revocation = await revocationOnSevenChains(workDir, logDir);
      console.log(
        `  revoking an offboarded investor with 5 wallets on 7 chains (queue to chain, the real handler): ${revocation.gasPerChain.join(' / ')} gas per chain (one revokeClaimBySignature each); every wallet unverified after ${revocation.unverifiedSeconds.toFixed(2)} s, every wallet removed after ${revocation.removedSeconds.toFixed(2)} s`,
      );
    } finally {
      await Promise.allSettled(services.map((service) => service.stop()));
    }
  },
};
