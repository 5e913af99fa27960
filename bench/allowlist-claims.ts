import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import { DEV_ACCOUNTS, deployTrexSuite, type DeployedSuite } from '../bin/local/chain-deploy';
import { lambdaContext } from '../bin/local/lambda-context';
import { LOCAL_CHAINS, localChainEnv } from '../bin/local/local-chains';
import { provision } from '../bin/local/provision';
import { startHardhatNode, type LocalService } from '../bin/local/services';
import { QueuePoller } from '../bin/local/sqs-poller';
import { ENV, QUEUES, TABLES } from '../lambda/config/system';
import { IDENTITY_REGISTRY_ABI, DynamoAllowlistJournal } from '../lambda/modules/allowlist/adapters';
import { flushRegistry, type TransactionSlot } from '../lambda/modules/allowlist';
import { DynamoInvestorRepository } from '../lambda/modules/investors/adapters';
import type { Investor } from '../lambda/modules/investors';
import { documentClient } from '../lambda/platform/aws/dynamo';
import { sqsClient } from '../lambda/platform/aws/sqs';
import { changeDeduplicationId, changeGroupId, type AllowlistChange } from '../lambda/shared';

const FURTHER_WALLETS = 50;
const REVOKED_WALLETS = 5;

const agentKey = (chainId: number) => `${chainId}:${new Wallet(DEV_ACCOUNTS.allowlistAgent).address.toLowerCase()}`;
const gasOf = (slots: readonly TransactionSlot[], kind: string) =>
  slots.filter((slot) => slot.call.kind === kind).reduce((sum, slot) => sum + Number(slot.receipt?.gasUsed ?? 0), 0);

async function environment(suites: readonly DeployedSuite[], label: string): Promise<Record<string, string>> {
  const resources = await provision({ dynamodb: new DynamoDBClient({}), sqs: sqsClient(), s3: new S3Client({ forcePathStyle: true }) }, `bench-${label}`);
  return { ...(process.env as Record<string, string>), ...resources, ...localChainEnv(suites), [ENV.signerPrivateKey]: DEV_ACCOUNTS.allowlistAgent };
}

async function eligible(env: Record<string, string>, investorId: string, wallets: string[]): Promise<Investor> {
  const at = new Date().toISOString();
  const investor: Investor = {
    investorId,
    externalId: investorId,
    legalName: 'Bench',
    type: 'entity',
    countryOfResidence: 'US',
    wallets,
    status: 'eligible',
    version: 3,
    createdAt: at,
    updatedAt: at,
  };
  await new DynamoInvestorRepository(documentClient(), env[TABLES.investors.envVar]!).create(investor);
  return investor;
}

function toChange(suite: DeployedSuite, action: AllowlistChange['action'], investor: Investor, wallet: string, version: number): AllowlistChange {
  return { action, investorId: investor.investorId, wallet, country: 'US', chainId: suite.chainId, identityRegistry: suite.identityRegistry, version };
}

async function pend(env: Record<string, string>, changes: readonly AllowlistChange[]): Promise<void> {
  const journal = new DynamoAllowlistJournal(documentClient(), env[TABLES.allowlistJournal.envVar]!);
  let sequence = 0;
  for (const change of changes) {
    const key = `${Date.now()}`.padStart(16, '0') + String(++sequence).padStart(6, '0');
    await journal.recordIntent({ group: changeGroupId(change), key, change, messageId: key, receivedAt: new Date().toISOString(), attempts: 0 });
  }
}

/**
 * Exact gas (deterministic on Hardhat) of the identity-per-investor flow through the real worker:
 * a new investor with one wallet (identity, claim, registration), then FURTHER_WALLETS further
 * wallets of that investor in one batch (registration only: the identity and its claim stand).
 */
export async function gasPerInvestor(rpcUrl: string): Promise<{ identity: number; claim: number; firstRegistration: number; furtherPerWallet: number }> {
  const suite = await deployTrexSuite({ rpcUrl, chainId: 31337, name: 'bench-gas' });
  const env = await environment([suite], 'gas');
  const { compose } = await import('../lambda/functions/allowlist-worker/root.js');
  const worker = await compose(env).worker();
  const journal = new DynamoAllowlistJournal(documentClient(), env[TABLES.allowlistJournal.envVar]!);
  try {
    const wallets = Array.from({ length: FURTHER_WALLETS + 1 }, () => Wallet.createRandom().address.toLowerCase());
    const investor = await eligible(env, 'bench-gas-investor', wallets);
    await pend(env, [toChange(suite, 'add', investor, wallets[0]!, 3)]);
    await flushRegistry(worker.registry(suite)!, { deadline: Date.now() + 120_000 });
    const first = await journal.slotsFrom(agentKey(suite.chainId), 0);
    await pend(
      env,
      wallets.slice(1).map((wallet) => toChange(suite, 'add', investor, wallet, 4)),
    );
    await flushRegistry(worker.registry(suite)!, { deadline: Date.now() + 120_000 });
    const further = (await journal.slotsFrom(agentKey(suite.chainId), 0)).slice(first.length);
    if (further.some((slot) => slot.call.kind !== 'register')) throw new Error('a further wallet needed more than its registration');
    return {
      identity: gasOf(first, 'createInvestorIdentity'),
      claim: gasOf(first, 'addClaim'),
      firstRegistration: gasOf(first, 'register'),
      furtherPerWallet: gasOf(further, 'register') / FURTHER_WALLETS,
    };
  } finally {
    for (const chain of worker.chains) chain.destroy();
  }
}

/**
 * An allowlisted investor with REVOKED_WALLETS wallets on each of the seven chains is offboarded:
 * the removals go to the queue as the lifecycle sends them, and the real handler consumes them.
 * Measures the revocation's gas per chain and the wall time until every wallet on every chain is
 * unverified (the revocation) and until every wallet is removed (the clean-up).
 */
export async function revocationOnSevenChains(
  workDir: string,
  logDir: string,
): Promise<{ gasPerChain: number[]; unverifiedSeconds: number; removedSeconds: number }> {
  const nodes: LocalService[] = [];
  try {
    const suites = await Promise.all(
      LOCAL_CHAINS.map(async ({ chainId, name }) => {
        const node = await startHardhatNode({ logDir, chainId, workDir: path.join(workDir, `hardhat-${chainId}`) });
        nodes.push(node);
        return deployTrexSuite({ rpcUrl: node.endpoint, chainId, name });
      }),
    );
    const env = await environment(suites, 'revoke');
    const wallets = Array.from({ length: REVOKED_WALLETS }, () => Wallet.createRandom().address.toLowerCase());
    const investor = await eligible(env, 'bench-revoked-investor', wallets);
    const { compose } = await import('../lambda/functions/allowlist-worker/root.js');
    const { createHandler } = await import('../lambda/functions/allowlist-worker/handler.js');
    const root = compose(env);
    const handler = createHandler(root);
    const worker = await root.worker();
    const poller = new QueuePoller({
      sqs: sqsClient(),
      queueUrl: env[QUEUES.allowlist.envVar]!,
      batchSize: QUEUES.allowlist.batchSize,
      invoke: (event, context) => handler(event, context),
      context: () => lambdaContext('bench', 100, 512),
    });
    const registries = suites.map(
      (suite) => new Contract(suite.identityRegistry, IDENTITY_REGISTRY_ABI, new JsonRpcProvider(suite.rpcUrl, suite.chainId, { staticNetwork: true })),
    );
    const every = async (check: (registry: Contract, wallet: string) => Promise<boolean>) =>
      (await Promise.all(registries.flatMap((registry) => wallets.map((wallet) => check(registry, wallet))))).every(Boolean);
    const until = async (check: () => Promise<boolean>) => {
      const deadline = Date.now() + 300_000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error('the revocation run did not finish within 300 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const send = async (changes: AllowlistChange[]) => {
      for (let start = 0; start < changes.length; start += 10) {
        const entries = changes.slice(start, start + 10).map((change, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify(change),
          MessageGroupId: changeGroupId(change),
          MessageDeduplicationId: changeDeduplicationId(change),
        }));
        await sqsClient().send(new SendMessageBatchCommand({ QueueUrl: env[QUEUES.allowlist.envVar], Entries: entries }));
      }
    };
    await poller.start();
    try {
      await send(suites.flatMap((suite) => wallets.map((wallet) => toChange(suite, 'add', investor, wallet, 3))));
      await until(() => every(async (registry, wallet) => (await registry.getFunction('isVerified')(wallet)) as boolean));
      const repository = new DynamoInvestorRepository(documentClient(), env[TABLES.investors.envVar]!);
      const current = (await repository.get(investor.investorId))!;
      await repository.save({ ...current, status: 'offboarded', version: current.version + 1, updatedAt: new Date().toISOString() });
      const started = Date.now();
      await send(suites.flatMap((suite) => wallets.map((wallet) => toChange(suite, 'remove', current, wallet, current.version + 1))));
      await until(() => every(async (registry, wallet) => !((await registry.getFunction('isVerified')(wallet)) as boolean)));
      const unverifiedSeconds = (Date.now() - started) / 1000;
      await until(() => every(async (registry, wallet) => !((await registry.getFunction('contains')(wallet)) as boolean)));
      const removedSeconds = (Date.now() - started) / 1000;
      const journal = new DynamoAllowlistJournal(documentClient(), env[TABLES.allowlistJournal.envVar]!);
      const gasPerChain = await Promise.all(suites.map(async (suite) => gasOf(await journal.slotsFrom(agentKey(suite.chainId), 0), 'revokeClaim')));
      return { gasPerChain, unverifiedSeconds, removedSeconds };
    } finally {
      await poller.stop();
      for (const chain of worker.chains) chain.destroy();
      for (const registry of registries) (registry.runner as JsonRpcProvider).destroy();
    }
  } finally {
    await Promise.allSettled(nodes.map((node) => node.stop()));
  }
}
