import { randomBytes } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { Contract, NonceManager, Wallet, parseEther } from 'ethers';
import { contracts as trex } from '@tokenysolutions/t-rex';
import { DEV_ACCOUNTS, deployTrexSuite, type DeployedSuite } from '../../bin/local/chain-deploy';
import { lambdaContext } from '../../bin/local/lambda-context';
import { QueuePoller } from '../../bin/local/sqs-poller';
import { KMS_KEYS, QUEUES, TABLES } from '../../lambda/config/system';
import { createHandler as createTokenApi } from '../../lambda/functions/token-api/handler';
import { compose as composeTokenApi } from '../../lambda/functions/token-api/root';
import { createHandler as createTokenWorker } from '../../lambda/functions/token-worker/handler';
import { compose as composeTokenWorker, type TokenWorkerOptions } from '../../lambda/functions/token-worker/root';
import type { AuditRecord } from '../../lambda/modules/audit';
import { DynamoInvestorRepository } from '../../lambda/modules/investors/adapters';
import type { Investor } from '../../lambda/modules/investors';
import { executeTokenOperation, type TokenOperation } from '../../lambda/modules/token';
import { documentClient } from '../../lambda/platform/aws/dynamo';
import { sqsClient } from '../../lambda/platform/aws/sqs';
import { allowlistEnv, allowlistQueueDrained, change, enqueue, eventually, journal, onChain, startWorker } from '../helpers/allowlist';
import { httpEvent } from '../helpers/events';
import { deployedSuite } from '../helpers/local-env';

jest.setTimeout(180_000);

type Suite = DeployedSuite & { rpcUrl: string };
const context = () => lambdaContext('token-test', 60, 512);
const tokenAgent = new Wallet(DEV_ACCOUNTS.tokenAgent).address.toLowerCase();

interface Parties {
  suite: Suite;
  env: Record<string, string>;
  token: Contract;
  holders: { investor: Investor; key: Wallet }[];
}

/** A fresh T-REX suite of its own (pausing it disturbs no other test) and investors whose wallet keys we hold. */
async function parties(count: number): Promise<Parties> {
  const shared = deployedSuite() as Suite;
  const suite = (await deployTrexSuite({ rpcUrl: shared.rpcUrl, chainId: shared.chainId, name: `token-${randomBytes(3).toString('hex')}` })) as Suite;
  const env: Record<string, string> = { ...(await allowlistEnv([suite])), [KMS_KEYS.tokenSigner.localEnvVar]: DEV_ACCOUNTS.tokenAgent };
  const provider = onChain(suite).provider;
  const issuer = new NonceManager(new Wallet(DEV_ACCOUNTS.issuer, provider));
  const token = new Contract(suite.token, trex.Token.abi, issuer);
  const repository = new DynamoInvestorRepository(documentClient(), env[TABLES.investors.envVar]!);
  const at = new Date().toISOString();
  const holders: Parties['holders'] = [];
  for (let index = 0; index < count; index++) {
    const key = Wallet.createRandom().connect(provider) as unknown as Wallet;
    const investorId = `inv-${randomBytes(6).toString('hex')}`;
    const investor: Investor = {
      investorId,
      externalId: investorId,
      legalName: 'Token Test Investor',
      type: 'entity',
      countryOfResidence: 'US',
      wallets: [key.address.toLowerCase()],
      status: 'eligible',
      version: 3,
      createdAt: at,
      updatedAt: at,
    };
    await repository.create(investor);
    await (await issuer.sendTransaction({ to: key.address, value: parseEther('1') })).wait();
    holders.push({ investor, key });
  }
  return { suite, env, token, holders };
}

function startTokenWorker(env: Record<string, string>, options: TokenWorkerOptions = {}) {
  const root = composeTokenWorker(env, { retryBaseSeconds: 0.2, ...options });
  const handler = createTokenWorker(root);
  const poller = new QueuePoller({
    sqs: sqsClient(),
    queueUrl: env[QUEUES.token.envVar]!,
    batchSize: QUEUES.token.batchSize,
    invoke: (event: SQSEvent, ctx) => handler(event, ctx),
    context,
  });
  return poller.start().then(() => poller);
}

function tokenApi(env: Record<string, string>) {
  const handler = createTokenApi(composeTokenApi(env));
  return async (routeKey: string, as: { subject: string; role: string }, body?: unknown, operationId?: string) => {
    const result = await handler(
      httpEvent(routeKey, {
        body: body === undefined ? undefined : JSON.stringify(body),
        groups: [as.role],
        subject: as.subject,
        pathParameters: operationId ? { operationId } : undefined,
      }),
      context(),
    );
    return { status: result.statusCode!, body: JSON.parse(result.body ?? '{}') as Record<string, unknown> };
  };
}

const responder = { subject: 'responder-erin', role: 'emergency-responder' };
const alice = { subject: 'officer-alice', role: 'compliance-officer' };
const bob = { subject: 'officer-bob', role: 'compliance-officer' };

async function tokenTrail(env: Record<string, string>): Promise<AuditRecord[]> {
  const { Items = [] } = await documentClient().send(
    new QueryCommand({
      TableName: env[TABLES.audit.envVar],
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'stream' },
      ExpressionAttributeValues: { ':s': 'token' },
      ConsistentRead: true,
    }),
  );
  return Items as AuditRecord[];
}

/** Whether the transfer would go through: a static call reverts as the transaction would. */
async function transferReverts(token: Contract, from: Wallet, to: string, amount: bigint): Promise<string | undefined> {
  try {
    await (token.connect(from) as Contract).getFunction('transfer').staticCall(to, amount);
    return undefined;
  } catch (error) {
    return (error as { reason?: string }).reason ?? (error as Error).message;
  }
}

describe('emergency pause of the real T-REX token (Hardhat)', () => {
  it('pauses on one call, transfers revert and adds wait while removals and freezes apply; four-eyes unpause lets both through', async () => {
    const { suite, env, token, holders } = await parties(4);
    const [sender, receiver, late, frozen] = holders;
    const worker = await startWorker(env);
    const tokenWorker = await startTokenWorker(env);
    const chain = onChain(suite);
    try {
      // Three investors allowlisted and the sender holding tokens.
      await enqueue(
        env,
        [sender!, receiver!, frozen!].map(({ investor }) => change(suite, 'add', investor.wallets[0]!, investor.investorId)),
      );
      await eventually(async () => (await Promise.all([sender!, receiver!, frozen!].map(({ key }) => chain.verified(key.address)))).every(Boolean), 60_000);
      await (await token.getFunction('mint')(sender!.key.address, 1_000n)).wait();
      expect(await transferReverts(token, sender!.key, receiver!.key.address, 10n)).toBeUndefined();

      const api = tokenApi(env);
      expect((await api('POST /token/pause', responder, { matrixProbe: true })).status).toBe(400);
      const paused = await api('POST /token/pause', responder, { reason: 'suspected key compromise at the transfer agent' });
      expect(paused.status).toBe(202);
      const pauseId = (paused.body.operation as TokenOperation).operationId;
      const status = await eventually(async () => {
        const answer = await api('GET /token/status', alice);
        const chains = answer.body.chains as { paused: boolean; operation?: { status?: string; transactionHash?: string; blockNumber?: number } }[];
        return chains[0]!.paused && chains[0]!.operation?.status === 'done' ? answer.body : undefined;
      }, 30_000);
      expect(status).toMatchObject({ paused: true, pipelineHeld: true, pauseOperation: { operationId: pauseId } });
      const pauseTx = (status.chains as { operation: { transactionHash: string; blockNumber: number } }[])[0]!.operation;
      expect(pauseTx.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(pauseTx.blockNumber).toBeGreaterThan(0);
      expect(await (token.getFunction('paused')() as Promise<boolean>)).toBe(true);

      // A transfer between two allowlisted investors reverts; a second pause request pauses nothing twice.
      expect(await transferReverts(token, sender!.key, receiver!.key.address, 10n)).toMatch(/paused/i);
      const again = await api('POST /token/pause', responder, { reason: 'retrying the request' });
      expect(again.body).toMatchObject({ alreadyPaused: true, operation: { operationId: pauseId } });

      // While paused: an add waits (nothing lost), a freeze applies.
      await enqueue(env, [
        change(suite, 'add', late!.investor.wallets[0]!, late!.investor.investorId),
        change(suite, 'freeze', frozen!.investor.wallets[0]!, frozen!.investor.investorId),
      ]);
      await eventually(() => chain.frozen(frozen!.key.address), 30_000);
      await eventually(() => allowlistQueueDrained(env), 30_000);
      expect(await chain.contains(late!.key.address)).toBe(false);
      const waiting = await journal(env).pendingIntents(`${suite.chainId}:${suite.identityRegistry.toLowerCase()}`, 10);
      expect(waiting.map((intent) => intent.change.wallet)).toEqual([late!.investor.wallets[0]]);

      // Four-eyes unpause: the proposer cannot approve; a second officer can.
      const proposed = await api('POST /token/unpause', alice, { reason: 'keys rotated, incident closed' });
      expect(proposed.status).toBe(202);
      const unpauseId = (proposed.body.operation as TokenOperation).operationId;
      const self = await api('POST /token/operations/{operationId}/approve', alice, undefined, unpauseId);
      expect(self.status).toBe(403);
      expect(self.body).toMatchObject({ error: { code: 'SELF_APPROVAL' } });
      expect(await (token.getFunction('paused')() as Promise<boolean>)).toBe(true);
      expect((await api('POST /token/operations/{operationId}/approve', bob, undefined, unpauseId)).status).toBe(202);

      await eventually(async () => !(await (token.getFunction('paused')() as Promise<boolean>)), 30_000);
      await eventually(() => chain.verified(late!.key.address), 60_000);
      expect(await transferReverts(token, sender!.key, receiver!.key.address, 10n)).toBeUndefined();
      await (await (token.connect(sender!.key) as Contract).getFunction('transfer')(receiver!.key.address, 10n)).wait();
      expect(await (token.getFunction('balanceOf')(receiver!.key.address) as Promise<bigint>)).toBe(10n);

      const unpause = await eventually(async () => {
        const answer = await api('GET /token/operations/{operationId}', alice, undefined, unpauseId);
        const outcome = (answer.body as unknown as TokenOperation).chains[String(suite.chainId)];
        return outcome?.status === 'done' ? outcome : undefined;
      });
      const trail = await tokenTrail(env);
      expect(trail.map((record) => record.type)).toEqual([
        'token.pause.requested',
        'token.operation.mined',
        'token.unpause.proposed',
        'token.unpause.approved',
        'token.operation.mined',
      ]);
      expect(trail[1]!.data).toMatchObject({
        operationId: pauseId,
        kind: 'pause',
        chainId: suite.chainId,
        transactionHash: pauseTx.transactionHash,
        blockNumber: pauseTx.blockNumber,
      });
      expect(trail[3]).toMatchObject({ actor: 'compliance-officer:officer-bob', data: { proposedBy: 'compliance-officer:officer-alice' } });
      expect(trail[4]!.data).toMatchObject({ operationId: unpauseId, kind: 'unpause', transactionHash: unpause.transactionHash });
    } finally {
      await tokenWorker.stop();
      await worker.stop();
    }
  });

  it('a crash between broadcast and journal neither pauses twice nor loses the unpause', async () => {
    const { suite, env, token } = await parties(0);
    const api = tokenApi(env);
    const provider = onChain(suite).provider;
    const nonce = () => provider.getTransactionCount(tokenAgent, 'latest');
    const crashing = await composeTokenWorker(env, {
      afterBroadcast: async () => {
        throw new Error('crash after broadcast');
      },
    }).worker();
    const healthy = await composeTokenWorker(env).worker();
    const message = (operationId: string) => ({ operationId, chainId: suite.chainId });
    const deadline = () => ({ deadline: Date.now() + 30_000 });

    const before = await nonce();
    const pauseId = ((await api('POST /token/pause', responder, { reason: 'incident drill' })).body.operation as TokenOperation).operationId;
    await expect(executeTokenOperation(crashing, message(pauseId), deadline())).rejects.toThrow('crash after broadcast');
    // Redelivered (twice, as SQS may): the journaled transaction is finished, none is sent again.
    const first = await executeTokenOperation(healthy, message(pauseId), deadline());
    const second = await executeTokenOperation(healthy, message(pauseId), deadline());
    expect(first).toMatchObject({ status: 'done', transactionHash: expect.stringMatching(/^0x/) });
    expect(second.transactionHash).toBe(first.transactionHash);
    expect(await nonce()).toBe(before + 1);
    expect(await (token.getFunction('paused')() as Promise<boolean>)).toBe(true);

    const unpauseId = ((await api('POST /token/unpause', responder, { reason: 'drill over' })).body.operation as TokenOperation).operationId;
    expect((await api('POST /token/operations/{operationId}/approve', alice, undefined, unpauseId)).status).toBe(202);
    await expect(executeTokenOperation(crashing, message(unpauseId), deadline())).rejects.toThrow('crash after broadcast');
    const unpaused = await executeTokenOperation(healthy, message(unpauseId), deadline());
    expect(unpaused.status).toBe('done');
    expect(await nonce()).toBe(before + 2);
    expect(await (token.getFunction('paused')() as Promise<boolean>)).toBe(false);
    const trail = await tokenTrail(env);
    expect(trail.filter((record) => record.type === 'token.operation.mined').map((record) => record.data.transactionHash)).toEqual([
      first.transactionHash,
      unpaused.transactionHash,
    ]);
  });
});
