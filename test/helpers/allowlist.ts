import { randomBytes } from 'node:crypto';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import type { SQSEvent } from 'aws-lambda';
import { DEV_ACCOUNTS, type DeployedSuite } from '../../bin/local/chain-deploy';
import { lambdaContext } from '../../bin/local/lambda-context';
import { QueuePoller } from '../../bin/local/sqs-poller';
import { IDENTITY_REGISTRY_ABI, DynamoAllowlistJournal } from '../../lambda/modules/allowlist/adapters';
import { TOKEN_ABI } from '../../lambda/modules/allowlist/adapters/abi';
import { documentClient } from '../../lambda/platform/aws/dynamo';
import { DynamoInvestorRepository } from '../../lambda/modules/investors/adapters';
import { sqsClient } from '../../lambda/platform/aws/sqs';
import { ENV, QUEUES, SECRETS, TABLES } from '../../lambda/config/system';
import { changeDeduplicationId, changeGroupId, type AllowlistChange } from '../../lambda/shared';
import type { Investor } from '../../lambda/modules/investors';
import { createHandler } from '../../lambda/functions/allowlist-worker/handler';
import { compose, type AllowlistWorkerOptions } from '../../lambda/functions/allowlist-worker/root';
import { provisionFresh } from './local-env';

export { eventually } from './e2e-system';

/** Fresh tables and queues, and the worker's environment for the given registries. */
export async function allowlistEnv(
  suites: readonly (DeployedSuite & { rpcUrl: string })[],
  chain: Record<string, unknown> = {},
): Promise<Record<string, string>> {
  return {
    ...(process.env as Record<string, string>),
    ...(await provisionFresh()),
    [ENV.chains]: JSON.stringify(
      suites.map(({ chainId, name, identityRegistry, identityFactory, token, claimIssuer, kycClaimTopic }) => ({
        chainId,
        name,
        identityRegistry,
        identityFactory,
        token,
        claimIssuer,
        kycClaimTopic,
        pollIntervalMs: 20,
        ...chain,
      })),
    ),
    [SECRETS.chainRpcUrls.localEnvVar]: JSON.stringify(Object.fromEntries(suites.map((suite) => [String(suite.chainId), suite.rpcUrl]))),
    [ENV.signerPrivateKey]: DEV_ACCOUNTS.allowlistAgent,
    [ENV.claimSignerPrivateKey]: DEV_ACCOUNTS.claimSigner,
  };
}

/** A worker consuming the allowlist queue through the real handler, as Lambda's event source would. */
export async function startWorker(env: Record<string, string>, options: AllowlistWorkerOptions = {}) {
  const root = compose(env, { retryBaseSeconds: 0.5, ...options });
  const handler = createHandler(root);
  const poller = new QueuePoller({
    sqs: sqsClient(),
    queueUrl: env[QUEUES.allowlist.envVar]!,
    batchSize: QUEUES.allowlist.batchSize,
    invoke: (event: SQSEvent, context) => handler(event, context),
    context: () => lambdaContext('allowlist-worker-test', 100, 512),
  });
  await poller.start();
  return { worker: await root.worker(), poller, stop: () => poller.stop() };
}

export function change(suite: DeployedSuite, action: AllowlistChange['action'], wallet: string, investorId: string, version = 1): AllowlistChange {
  return {
    action,
    investorId,
    wallet: wallet.toLowerCase(),
    country: 'US',
    chainId: suite.chainId,
    identityRegistry: suite.identityRegistry.toLowerCase(),
    version,
  };
}

/** Sends changes as the screening worker does (group and de-duplication ids from the change). */
export async function enqueue(
  env: Record<string, string>,
  changes: readonly AllowlistChange[],
  dedup: (change: AllowlistChange, index: number) => string = (c) => changeDeduplicationId(c),
): Promise<void> {
  for (let start = 0; start < changes.length; start += 10) {
    const entries = changes.slice(start, start + 10).map((c, index) => ({
      Id: String(index),
      MessageBody: JSON.stringify(c),
      MessageGroupId: changeGroupId(c),
      MessageDeduplicationId: dedup(c, start + index),
    }));
    await sqsClient().send(new SendMessageBatchCommand({ QueueUrl: env[QUEUES.allowlist.envVar], Entries: entries }));
  }
}

export function onChain(suite: DeployedSuite & { rpcUrl: string }) {
  const provider = new JsonRpcProvider(suite.rpcUrl, suite.chainId, { staticNetwork: true, cacheTimeout: -1 });
  const registry = new Contract(suite.identityRegistry, IDENTITY_REGISTRY_ABI, provider);
  const token = new Contract(suite.token, TOKEN_ABI, provider);
  return {
    provider,
    verified: (wallet: string) => registry.getFunction('isVerified')(wallet) as Promise<boolean>,
    contains: (wallet: string) => registry.getFunction('contains')(wallet) as Promise<boolean>,
    frozen: (wallet: string) => token.getFunction('isFrozen')(wallet) as Promise<boolean>,
    agentNonce: () => provider.getTransactionCount(new Wallet(DEV_ACCOUNTS.allowlistAgent).address, 'latest'),
  };
}

/** Investors the worker will move from eligible to allowlisted. */
export async function eligibleInvestors(env: Record<string, string>, count: number, walletsEach = 1): Promise<Investor[]> {
  const repository = new DynamoInvestorRepository(documentClient(), env[TABLES.investors.envVar]!);
  const at = new Date().toISOString();
  return Promise.all(
    Array.from({ length: count }, async () => {
      const investorId = `inv-${randomBytes(6).toString('hex')}`;
      const investor: Investor = {
        investorId,
        externalId: investorId,
        legalName: 'Test Investor',
        type: 'entity',
        countryOfResidence: 'US',
        wallets: Array.from({ length: walletsEach }, () => Wallet.createRandom().address.toLowerCase()),
        status: 'eligible',
        version: 3,
        createdAt: at,
        updatedAt: at,
      };
      await repository.create(investor);
      return investor;
    }),
  );
}

export function journal(env: Record<string, string>) {
  return new DynamoAllowlistJournal(documentClient(), env[TABLES.allowlistJournal.envVar]!);
}

export async function deadLetterBodies(env: Record<string, string>): Promise<{ body: string; attributes: Record<string, string | undefined> }[]> {
  const { Messages = [] } = await sqsClient().send(
    new ReceiveMessageCommand({
      QueueUrl: env[QUEUES.allowlist.deadLetterEnvVar],
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
      VisibilityTimeout: 0,
    }),
  );
  return Messages.map((message) => ({
    body: message.Body ?? '',
    attributes: Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue])),
  }));
}

/**
 * True once the allowlist queue holds nothing: no message waiting, in flight (received and not yet
 * deleted: the worker is still on it, or it waits out a retry's backoff) or delayed. A worker
 * queues its flush requests while it handles a message, so a drained queue means it has finished
 * everything sent so far, a redriven message included.
 */
export async function allowlistQueueDrained(env: Record<string, string>): Promise<boolean> {
  const { Attributes = {} } = await sqsClient().send(
    new GetQueueAttributesCommand({
      QueueUrl: env[QUEUES.allowlist.envVar],
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'].every(
    (name) => Attributes[name as keyof typeof Attributes] === '0',
  );
}
