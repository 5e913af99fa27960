import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Contract, NonceManager, Wallet } from 'ethers';
import { contracts as trex } from '@tokenysolutions/t-rex';
import { DEV_ACCOUNTS, deployTrexSuite, type DeployedSuite } from '../../bin/local/chain-deploy';
import { documentClient } from '../../lambda/platform/aws/dynamo';
import { IDENTITY_FACTORY_ABI } from '../../lambda/modules/allowlist/adapters/abi';
import { IDENTITY_REGISTRY_ABI, DeadLetterQueue, SqsDeadLetters, SqsFlushRequests } from '../../lambda/modules/allowlist/adapters';
import { DynamoCaseRepository } from '../../lambda/modules/cases/adapters';
import { DynamoAuditStore } from '../../lambda/modules/audit/adapters';
import { DynamoInvestorRepository } from '../../lambda/modules/investors/adapters';
import { caseIdFor } from '../../lambda/modules/cases';
import { sqsClient } from '../../lambda/platform/aws/sqs';
import { QUEUES, TABLES } from '../../lambda/config/system';
import { changeGroupId, type AllowlistChange } from '../../lambda/shared';
import { flushRegistry, type FlushResult } from '../../lambda/modules/allowlist/flush';
import { handleAllowlistMessage } from '../../lambda/modules/allowlist/intake';
import { reconcileRegistry, type TransactionSlot } from '../../lambda/modules/allowlist';
import type { RegistryChain } from '../../lambda/modules/allowlist/ports';
import { AuditLog, type AuditRecord } from '../../lambda/modules/audit';
import { compose as composeReconciler } from '../../lambda/functions/allowlist-reconciler/root';
import { compose as composeWorker, type AllowlistWorkerOptions } from '../../lambda/functions/allowlist-worker/root';

const createWorker = (env: NodeJS.ProcessEnv, options: AllowlistWorkerOptions = {}) => composeWorker(env, options).worker();
import {
  allowlistEnv,
  allowlistQueueDrained,
  change,
  deadLetterBodies,
  eligibleInvestors,
  enqueue,
  eventually,
  journal,
  onChain,
  startWorker,
} from '../helpers/allowlist';
import { deployedSuite } from '../helpers/local-env';
import { startTcpProxy } from '../helpers/tcp-proxy';

jest.setTimeout(120_000);

const suite = deployedSuite() as DeployedSuite & { rpcUrl: string };
const chain = onChain(suite);
const agent = new Wallet(DEV_ACCOUNTS.allowlistAgent).address.toLowerCase();

async function auditTrail(env: Record<string, string>, investorId: string): Promise<AuditRecord[]> {
  const { Items = [] } = await documentClient().send(
    new QueryCommand({
      TableName: env[TABLES.audit.envVar],
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'stream' },
      ExpressionAttributeValues: { ':s': `investor#${investorId}` },
      ConsistentRead: true,
    }),
  );
  return Items as AuditRecord[];
}

async function slots(env: Record<string, string>, chainId = suite.chainId): Promise<TransactionSlot[]> {
  return journal(env).slotsFrom(`${chainId}:${agent}`, 0);
}

/** Stores changes as pending intents in the order given, as the worker's intake does. */
function pendingIntents(env: Record<string, string>, target: DeployedSuite = suite) {
  let sequence = 0;
  return async (...changes: AllowlistChange[]) => {
    for (const pending of changes) {
      const key = String(++sequence).padStart(6, '0');
      await journal(env).recordIntent({
        group: changeGroupId(target),
        key,
        change: pending,
        messageId: `m-${key}`,
        receivedAt: new Date().toISOString(),
        attempts: 0,
      });
    }
  };
}

const registerSlotsOf = (all: readonly TransactionSlot[], wallet: string) =>
  all.filter((slot) => slot.call.kind === 'register' && slot.call.entries.some((entry) => entry.wallet === wallet));

describe('allowlist worker on a Hardhat chain with the T-REX contracts, DynamoDB Local and fauxqs', () => {
  it('registers, freezes then removes (a sanctions hit), unfreezes, with one audit record per change and the investor allowlisted', async () => {
    const env = await allowlistEnv([suite]);
    const [investor] = await eligibleInvestors(env, 1);
    const wallet = investor!.wallets[0]!;
    const worker = await startWorker(env);
    try {
      await enqueue(env, [change(suite, 'add', wallet, investor!.investorId, 3)]);
      await eventually(() => chain.verified(wallet));
      await enqueue(env, [change(suite, 'freeze', wallet, investor!.investorId, 5), change(suite, 'remove', wallet, investor!.investorId, 5)]);
      await eventually(async () => (await chain.frozen(wallet)) && !(await chain.contains(wallet)));
      await enqueue(env, [change(suite, 'unfreeze', wallet, investor!.investorId, 6)]);
      await eventually(async () => !(await chain.frozen(wallet)));
      const trail = await eventually(async () => {
        const records = await auditTrail(env, investor!.investorId);
        return records.length >= 5 ? records : undefined;
      });
      expect(trail.map((record) => record.type)).toEqual([
        'allowlist.registered',
        'investor.allowlisted',
        'allowlist.frozen',
        'allowlist.removed',
        'allowlist.unfrozen',
      ]);
      expect(trail[0]!.data).toMatchObject({ chainId: suite.chainId, wallet, batchSize: 1, transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
      await eventually(async () => (await journal(env).pendingSummary(changeGroupId(suite), 100)).count === 0);
    } finally {
      await worker.stop();
    }
  });

  it('coalesces a burst of 120 adds into batchRegisterIdentity transactions of at most 100 wallets', async () => {
    const env = await allowlistEnv([suite], { maxBatchSize: 100 });
    const investors = await eligibleInvestors(env, 120);
    await enqueue(
      env,
      investors.map((investor) => change(suite, 'add', investor.wallets[0]!, investor.investorId, 3)),
    );
    const worker = await startWorker(env);
    try {
      await eventually(async () => (await Promise.all(investors.map((investor) => chain.verified(investor.wallets[0]!)))).every(Boolean), 90_000, 500);
    } finally {
      await worker.stop();
    }
    const registrations = (await slots(env)).filter((slot) => slot.call.kind === 'register');
    const sizes = registrations.map((slot) => (slot.call.kind === 'register' ? slot.call.entries.length : 0));
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(120);
    expect(Math.max(...sizes)).toBe(100);
    expect(registrations.every((slot) => slot.status === 'mined')).toBe(true);
  });

  it('keeps queue order per wallet and per audit stream when pages overlap (one page recorded while the next is sent)', async () => {
    const env = await allowlistEnv([suite], { maxBatchSize: 3 });
    const [a, b, c] = await eligibleInvestors(env, 3);
    const [walletA, walletB, walletC] = [a!, b!, c!].map((investor) => investor.wallets[0]!) as [string, string, string];
    // Page 1: add A, remove A (waits: a second change of the wallet), add B; then remove A, add C, freeze B; then add A again.
    await enqueue(env, [
      change(suite, 'add', walletA, a!.investorId, 3),
      change(suite, 'remove', walletA, a!.investorId, 5),
      change(suite, 'add', walletB, b!.investorId, 3),
      change(suite, 'add', walletC, c!.investorId, 3),
      change(suite, 'freeze', walletB, b!.investorId, 5),
      change(suite, 'add', walletA, a!.investorId, 6),
    ]);
    const worker = await startWorker(env);
    try {
      await eventually(
        async () => (await journal(env).pendingSummary(changeGroupId(suite), 10)).count === 0 && (await auditTrail(env, a!.investorId)).length >= 4,
        60_000,
        200,
      );
    } finally {
      await worker.stop();
    }
    expect([await chain.verified(walletA), await chain.verified(walletB), await chain.frozen(walletB), await chain.verified(walletC)]).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect((await auditTrail(env, a!.investorId)).map((record) => record.type)).toEqual([
      'allowlist.registered',
      'investor.allowlisted',
      'allowlist.removed',
      'allowlist.registered',
    ]);
    expect((await auditTrail(env, b!.investorId)).map((record) => record.type)).toEqual(['allowlist.registered', 'investor.allowlisted', 'allowlist.frozen']);
    expect((await auditTrail(env, c!.investorId)).map((record) => record.type)).toEqual(['allowlist.registered', 'investor.allowlisted']);
  });

  it('sends one transaction for a change delivered ten times', async () => {
    const env = await allowlistEnv([suite]);
    const [investor] = await eligibleInvestors(env, 1);
    const wallet = investor!.wallets[0]!;
    const add = change(suite, 'add', wallet, investor!.investorId, 3);
    // Ten sends past SQS's de-duplication window (new ids each time) and the same record redelivered ten times.
    await enqueue(
      env,
      Array.from({ length: 10 }, () => add),
      (_c, index) => `redelivery-${index}`,
    );
    const worker = await createWorker(env, { retryBaseSeconds: 0.5 });
    const message = { body: JSON.stringify(add), messageId: 'm-1', sequence: '0'.repeat(39) + '1', receiveCount: 1 };
    for (let delivery = 0; delivery < 10; delivery++) await handleAllowlistMessage(worker, { ...message, receiveCount: delivery + 1 }, Date.now() + 60_000);
    const consumer = await startWorker(env);
    try {
      await eventually(async () => (await chain.verified(wallet)) && (await journal(env).pendingSummary(changeGroupId(suite), 100)).count === 0);
    } finally {
      await consumer.stop();
    }
    expect(registerSlotsOf(await slots(env), wallet)).toHaveLength(1);
    const trail = await auditTrail(env, investor!.investorId);
    expect(trail.filter((record) => record.type === 'allowlist.registered')).toHaveLength(1);
  });

  it('after a crash between broadcast and journal update, finds the sent transaction instead of sending again', async () => {
    const env = await allowlistEnv([suite]);
    const [investor] = await eligibleInvestors(env, 1);
    const wallet = investor!.wallets[0]!;
    const group = changeGroupId(suite);
    let crashed!: TransactionSlot;
    // The first worker "dies" right after broadcasting the registration: it never returns.
    const doomed = await createWorker(env, {
      holder: 'doomed',
      leaseTtlMs: 1_000,
      afterBroadcast: async (slot) => {
        if (slot.call.kind !== 'register') return;
        crashed = slot;
        await new Promise(() => undefined);
      },
    });
    await journal(env).recordIntent({
      group,
      key: '0001',
      change: change(suite, 'add', wallet, investor!.investorId, 3),
      messageId: 'm-1',
      receivedAt: new Date().toISOString(),
      attempts: 0,
    });
    void flushRegistry(doomed.registry(suite)!, { deadline: Date.now() + 60_000 });
    await eventually(() => chain.verified(wallet));
    const nonceAfterCrash = await chain.agentNonce();
    expect((await slots(env)).find((slot) => slot.nonce === crashed.nonce)?.status).toBe('pending');

    const survivor = await createWorker(env, { holder: 'survivor' });
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the dead worker's lease runs out
    const result = await flushRegistry(survivor.registry(suite)!, { deadline: Date.now() + 60_000 });

    expect(result).toMatchObject({ applied: 1, transactions: 0, remaining: 0 });
    expect(await chain.agentNonce()).toBe(nonceAfterCrash);
    const slot = (await slots(env)).find((candidate) => candidate.nonce === crashed.nonce)!;
    expect(slot).toMatchObject({ status: 'mined', receipt: { hash: crashed.attempts[0]!.hash, status: 'success' } });
    const trail = await auditTrail(env, investor!.investorId);
    expect(trail.find((record) => record.type === 'allowlist.registered')?.data).toMatchObject({ transactionHash: crashed.attempts[0]!.hash });
  });

  it('retries while the RPC node is down and applies the change once it is back', async () => {
    const proxy = await startTcpProxy(suite.rpcUrl);
    const env = await allowlistEnv([{ ...suite, rpcUrl: proxy.url }]);
    const [investor] = await eligibleInvestors(env, 1);
    const wallet = investor!.wallets[0]!;
    await proxy.down();
    const worker = await startWorker(env);
    try {
      await enqueue(env, [change(suite, 'add', wallet, investor!.investorId, 3)]);
      await eventually(async () => ((await journal(env).pendingSummary(changeGroupId(suite), 1)).oldest?.attempts ?? 0) >= 1, 15_000);
      expect(await chain.verified(wallet)).toBe(false);
      await proxy.up();
      await eventually(() => chain.verified(wallet), 30_000);
      await eventually(async () => (await journal(env).pendingSummary(changeGroupId(suite), 1)).count === 0);
    } finally {
      await worker.stop();
      await proxy.close();
    }
    expect(registerSlotsOf(await slots(env), wallet)).toHaveLength(1);
    expect(await deadLetterBodies(env)).toEqual([]);
  });

  it('sends permanently failing changes to the DLQ with the reason, lists them and redrives them once the cause is fixed', async () => {
    const revoked = await deployTrexSuite({ rpcUrl: suite.rpcUrl, chainId: suite.chainId, name: 'revoked' });
    const issuer = new NonceManager(new Wallet(DEV_ACCOUNTS.issuer, chain.provider));
    await (await new Contract(revoked.identityRegistry, trex.IdentityRegistry.abi, issuer).getFunction('removeAgent')(agent)).wait();
    const env = await allowlistEnv([suite, revoked]);
    const investors = await eligibleInvestors(env, 3);
    // A wallet the registry refuses; the investor's own, or the worker would skip the add before the chain sees it.
    const zeroAddress = '0x0000000000000000000000000000000000000000';
    await new DynamoInvestorRepository(documentClient(), env[TABLES.investors.envVar]!).save({
      ...investors[0]!,
      wallets: [...investors[0]!.wallets, zeroAddress],
      version: investors[0]!.version + 1,
    });
    const worker = await startWorker(env);
    try {
      await enqueue(env, [
        ...investors.map((investor) => change(revoked, 'add', investor.wallets[0]!, investor.investorId, 3)),
        change(suite, 'add', zeroAddress, investors[0]!.investorId, 3),
      ]);
      await enqueue(env, [{ ...change(suite, 'add', investors[0]!.wallets[0]!, 'x'), country: 'QQ' }], () => 'bad-country');
      // A change goes to the DLQ before its audit record is written: wait until the worker has handled every message.
      const dead = await eventually(async () => {
        const letters = await deadLetterBodies(env);
        return letters.length >= 5 && (await allowlistQueueDrained(env)) ? letters : undefined;
      });
      const reasons = dead.map((letter) => `${letter.attributes.failureCode}: ${letter.attributes.failureReason}`).sort();
      expect(reasons.filter((reason) => reason.startsWith('CHAIN_REVERTED: AgentRole: caller does not have the Agent role'))).toHaveLength(3);
      expect(reasons).toContain('CHAIN_REVERTED: invalid argument - zero address');
      expect(reasons).toContain('INVALID_MESSAGE: country must be an ISO 3166-1 alpha-2 code');
      const trail = await auditTrail(env, investors[1]!.investorId);
      expect(trail.map((record) => record.type)).toEqual(['allowlist.failed']);
      for (const investor of investors) expect(await onChain(revoked as DeployedSuite & { rpcUrl: string }).contains(investor.wallets[0]!)).toBe(false);

      // The operator fixes the cause (the agent role is back) and redrives what `cli dlq list` shows.
      await (await new Contract(revoked.identityRegistry, trex.IdentityRegistry.abi, issuer).getFunction('addAgent')(agent)).wait();
      const queue = new DeadLetterQueue(sqsClient(), env[QUEUES.allowlist.deadLetterEnvVar]!, env[QUEUES.allowlist.envVar]!);
      const listed = await queue.list();
      expect(listed).toHaveLength(5);
      const agentRole = listed.filter((letter) => letter.reason?.includes('Agent role')).map((letter) => letter.messageId);
      expect(await queue.redrive({ messageIds: agentRole })).toHaveLength(3);
      for (const investor of investors) await eventually(() => onChain(revoked as DeployedSuite & { rpcUrl: string }).verified(investor.wallets[0]!));
      expect((await queue.list()).map((letter) => letter.code).sort()).toEqual(['CHAIN_REVERTED', 'INVALID_MESSAGE']);
    } finally {
      await worker.stop();
    }
  });

  it('skips a late or redriven add of an investor suspended or offboarded since (audited with the reason, never sent), while freeze and remove still apply', async () => {
    const env = await allowlistEnv([suite]);
    const [suspended, offboarded] = await eligibleInvestors(env, 2, 2);
    const [onChainWallet, lateWallet] = suspended!.wallets;
    const investors = new DynamoInvestorRepository(documentClient(), env[TABLES.investors.envVar]!);
    const worker = await startWorker(env);
    try {
      await enqueue(env, [change(suite, 'add', onChainWallet!, suspended!.investorId, 3)]);
      const current = await eventually(async () => {
        const investor = await investors.get(suspended!.investorId);
        return investor?.status === 'allowlisted' ? investor : undefined;
      });
      // A sanctions hit suspends the investor and queues freeze + remove; an add queued before it arrives late.
      await investors.save({ ...current, status: 'suspended', version: current.version + 1 });
      await enqueue(env, [
        change(suite, 'add', lateWallet!, suspended!.investorId, 3),
        change(suite, 'freeze', onChainWallet!, suspended!.investorId, 5),
        change(suite, 'remove', onChainWallet!, suspended!.investorId, 5),
      ]);
      // An add that failed earlier waits in the DLQ; the investor is offboarded before an operator redrives it.
      await new SqsDeadLetters(sqsClient(), env[QUEUES.allowlist.deadLetterEnvVar]!).send(
        { body: JSON.stringify(change(suite, 'add', offboarded!.wallets[0]!, offboarded!.investorId, 3)), group: changeGroupId(suite), key: 'old-add' },
        { code: 'CHAIN_REVERTED', reason: 'AgentRole: caller does not have the Agent role', attempts: 1 },
      );
      await investors.save({ ...offboarded!, status: 'offboarded', version: offboarded!.version + 1 });
      expect(await new DeadLetterQueue(sqsClient(), env[QUEUES.allowlist.deadLetterEnvVar]!, env[QUEUES.allowlist.envVar]!).redrive()).toHaveLength(1);

      // Until the worker has handled every message, the redriven add included. The chain and the
      // journal look final as soon as the first three changes are applied, while the redriven add
      // may still wait on the queue or be in the worker's hands, not yet in the journal.
      await eventually(async () => (await allowlistQueueDrained(env)) && (await journal(env).pendingSummary(changeGroupId(suite), 10)).count === 0);
    } finally {
      await worker.stop();
    }
    expect(await chain.frozen(onChainWallet!)).toBe(true);
    expect(await chain.contains(onChainWallet!)).toBe(false);
    expect(await chain.contains(lateWallet!)).toBe(false);
    expect(await chain.contains(offboarded!.wallets[0]!)).toBe(false);
    const sent = (await slots(env)).flatMap((slot) =>
      slot.call.kind === 'register' ? slot.call.entries.map((entry) => entry.wallet) : slot.call.kind === 'createIdentity' ? [slot.call.wallet] : [],
    );
    expect(sent).not.toContain(lateWallet);
    expect(sent).not.toContain(offboarded!.wallets[0]);
    const skipped = async (investorId: string) =>
      (await auditTrail(env, investorId)).filter((record) => record.type === 'allowlist.skipped').map((record) => record.data);
    expect(await skipped(suspended!.investorId)).toEqual([expect.objectContaining({ wallet: lateWallet, action: 'add', reason: 'the investor is suspended' })]);
    expect(await skipped(offboarded!.investorId)).toEqual([
      expect.objectContaining({ wallet: offboarded!.wallets[0], action: 'add', reason: 'the investor is offboarded' }),
    ]);
    expect((await auditTrail(env, suspended!.investorId)).map((record) => record.type)).toEqual([
      'allowlist.registered',
      'investor.allowlisted',
      'allowlist.skipped',
      'allowlist.frozen',
      'allowlist.removed',
    ]);
    expect((await investors.get(offboarded!.investorId))?.status).toBe('offboarded');
    expect(await deadLetterBodies(env)).toEqual([]);
  });

  it('records one audit entry when two intents of the same change complete in one flush (a change queued twice past de-duplication)', async () => {
    const env = await allowlistEnv([suite]);
    const [investor] = await eligibleInvestors(env, 1);
    const wallet = investor!.wallets[0]!;
    const pend = pendingIntents(env);
    await pend(change(suite, 'add', wallet, investor!.investorId, 3), change(suite, 'add', wallet, investor!.investorId, 3));
    const worker = await createWorker(env);
    const result = await flushRegistry(worker.registry(suite)!, { deadline: Date.now() + 60_000 });

    expect(result).toMatchObject({ applied: 2, deadLettered: 0, remaining: 0 });
    expect(await chain.verified(wallet)).toBe(true);
    expect((await auditTrail(env, investor!.investorId)).map((record) => record.type)).toEqual(['allowlist.registered', 'investor.allowlisted']);
    expect(await deadLetterBodies(env)).toEqual([]);
  });

  it('skips a late add of a wallet released since and an unfreeze of an investor suspended for sanctions since (audited with the reason, never sent), while an eligible investor is unfrozen', async () => {
    const env = await allowlistEnv([suite]);
    const [holder, blocked, cleared] = await eligibleInvestors(env, 3, 2);
    const [keptWallet, releasedWallet] = holder!.wallets as [string, string];
    const [blockedWallet, clearedWallet] = [blocked!.wallets[0]!, cleared!.wallets[0]!];
    const investors = new DynamoInvestorRepository(documentClient(), env[TABLES.investors.envVar]!);
    const worker = await createWorker(env);
    const flush = () => flushRegistry(worker.registry(suite)!, { deadline: Date.now() + 60_000 });
    const pend = pendingIntents(env);
    await pend(change(suite, 'freeze', blockedWallet, blocked!.investorId, 3), change(suite, 'freeze', clearedWallet, cleared!.investorId, 3));
    await flush();
    expect([await chain.frozen(blockedWallet), await chain.frozen(clearedWallet)]).toEqual([true, true]);

    // Since the changes below were queued: the holder released a wallet, a wallet hit suspended `blocked`.
    await investors.save({ ...holder!, wallets: [keptWallet], version: holder!.version + 1 });
    await investors.save({
      ...blocked!,
      status: 'suspended',
      suspension: { kind: 'sanctions', reason: 'wallet hit', at: new Date().toISOString() },
      version: blocked!.version + 1,
    });
    await pend(
      change(suite, 'add', releasedWallet, holder!.investorId, 3),
      change(suite, 'unfreeze', blockedWallet, blocked!.investorId, 4),
      change(suite, 'unfreeze', clearedWallet, cleared!.investorId, 4),
    );
    const result = await flush();

    expect(result).toMatchObject({ applied: 1, skipped: 2, deadLettered: 0, remaining: 0 });
    expect([await chain.contains(releasedWallet), await chain.frozen(blockedWallet), await chain.frozen(clearedWallet)]).toEqual([false, true, false]);
    const skipped = async (investorId: string) =>
      (await auditTrail(env, investorId)).filter((record) => record.type === 'allowlist.skipped').map((record) => record.data);
    expect(await skipped(holder!.investorId)).toEqual([
      expect.objectContaining({ wallet: releasedWallet, action: 'add', reason: "the wallet is no longer one of the investor's" }),
    ]);
    expect(await skipped(blocked!.investorId)).toEqual([
      expect.objectContaining({ wallet: blockedWallet, action: 'unfreeze', reason: 'the investor is suspended' }),
    ]);
    expect((await auditTrail(env, cleared!.investorId)).map((record) => record.type)).toEqual(['allowlist.frozen', 'allowlist.unfrozen']);
  });

  it('keeps queue order per wallet when a page leaves an intent pending (a reverted registration): a later removal of the wallet waits for it', async () => {
    const raceSuite = (await deployTrexSuite({ rpcUrl: suite.rpcUrl, chainId: suite.chainId, name: 'race' })) as DeployedSuite & { rpcUrl: string };
    const issuer = new NonceManager(new Wallet(DEV_ACCOUNTS.issuer, chain.provider));
    const registry = new Contract(raceSuite.identityRegistry, trex.IdentityRegistry.abi, issuer);
    await (await registry.getFunction('addAgent')(await issuer.getAddress())).wait();
    const env = await allowlistEnv([raceSuite], { maxBatchSize: 2 });
    const [a, b] = await eligibleInvestors(env, 2);
    const [walletA, walletB] = [a!.wallets[0]!, b!.wallets[0]!];
    // Page 1: add A, freeze B; page 2: remove A.
    await pendingIntents(env, raceSuite)(
      change(raceSuite, 'add', walletA, a!.investorId, 3),
      change(raceSuite, 'freeze', walletB, b!.investorId, 3),
      change(raceSuite, 'remove', walletA, a!.investorId, 5),
    );
    const worker = await createWorker(env);
    const deps = worker.registry(raceSuite)!;
    let raced = false;
    // Another agent registers A between the worker's simulation and its transaction: the worker's registration reverts on chain.
    const racingChain = new Proxy(deps.chain, {
      get(target, property) {
        if (property === 'sign') {
          return async (...[call, options]: Parameters<RegistryChain['sign']>) => {
            if (call.kind === 'register' && !raced) {
              raced = true;
              // The investor's identity, as the worker's registration names it.
              const identity = call.entries.find((entry) => entry.wallet === walletA)!.identity;
              await (await registry.getFunction('registerIdentity')(walletA, identity, 840)).wait();
            }
            return target.sign(call, options);
          };
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    // Blocks mined on a timer: with automine, Hardhat refuses a reverting transaction at broadcast, where a real node takes it and mines it reverted.
    await chain.provider.send('evm_setAutomine', [false]);
    const miner = setInterval(() => void chain.provider.send('evm_mine', []), 100);
    let result: FlushResult;
    try {
      result = await flushRegistry({ ...deps, chain: racingChain }, { deadline: Date.now() + 60_000 });
    } finally {
      clearInterval(miner);
      await chain.provider.send('evm_setAutomine', [true]);
    }

    expect(raced).toBe(true);
    expect(
      (await slots(env, raceSuite.chainId))
        .filter((slot) => slot.group === changeGroupId(raceSuite) && slot.call.kind === 'register')
        .map((slot) => slot.status),
    ).toEqual(['reverted']);
    expect(result).toMatchObject({ deadLettered: 0, remaining: 0 });
    expect([await onChain(raceSuite).contains(walletA), await onChain(raceSuite).frozen(walletB)]).toEqual([false, true]);
    expect((await auditTrail(env, a!.investorId)).map((record) => record.type)).toEqual(['allowlist.registered', 'investor.allowlisted', 'allowlist.removed']);
  });

  it('two workers on one queue and one signer (two registries on the chain) never share a nonce or lose a change', async () => {
    const second = (await deployTrexSuite({ rpcUrl: suite.rpcUrl, chainId: suite.chainId, name: 'second' })) as DeployedSuite & { rpcUrl: string };
    const env = await allowlistEnv([suite, second], { maxBatchSize: 10 });
    const investors = await eligibleInvestors(env, 40);
    await enqueue(
      env,
      investors.map((investor, index) => change(index % 2 ? second : suite, 'add', investor.wallets[0]!, investor.investorId, 3)),
    );
    const workers = await Promise.all([startWorker(env, { holder: 'worker-a' }), startWorker(env, { holder: 'worker-b' })]);
    try {
      await eventually(
        async () => (await Promise.all(investors.map((investor, index) => onChain(index % 2 ? second : suite).verified(investor.wallets[0]!)))).every(Boolean),
        90_000,
        300,
      );
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
    const all = await slots(env);
    expect(new Set(all.map((slot) => slot.nonce)).size).toBe(all.length);
    expect(all.every((slot) => slot.status === 'mined')).toBe(true);
    expect(new Set(all.map((slot) => slot.group)).size).toBe(2);
    expect(all.flatMap((slot) => (slot.call.kind === 'register' ? slot.call.entries : [])).length).toBe(40);
  });

  it('replaces a transaction that is not mined in time with the same nonce and a higher fee', async () => {
    const env = await allowlistEnv([suite], { fees: { stuckAfterSeconds: 0.3, bumpPercent: 20 } });
    const [investor] = await eligibleInvestors(env, 1);
    const wallet = investor!.wallets[0]!;
    const worker = await createWorker(env);
    await journal(env).recordIntent({
      group: changeGroupId(suite),
      key: '0001',
      change: change(suite, 'add', wallet, investor!.investorId, 3),
      messageId: 'm-1',
      receivedAt: new Date().toISOString(),
      attempts: 0,
    });
    await chain.provider.send('evm_setAutomine', [false]);
    const miner = setInterval(() => void chain.provider.send('evm_mine', []), 1_000);
    try {
      const result = await flushRegistry(worker.registry(suite)!, { deadline: Date.now() + 60_000 });
      expect(result).toMatchObject({ applied: 1, remaining: 0 });
    } finally {
      clearInterval(miner);
      await chain.provider.send('evm_setAutomine', [true]);
    }
    const replaced = (await slots(env)).filter((slot) => slot.attempts.length > 1);
    expect(replaced.length).toBeGreaterThan(0);
    for (const slot of replaced) {
      const [first, second] = slot.attempts;
      expect(BigInt(second!.fees.maxFeePerGas)).toBeGreaterThanOrEqual((BigInt(first!.fees.maxFeePerGas) * 120n) / 100n);
      expect(slot.attempts.map((attempt) => attempt.hash)).toContain(slot.receipt!.hash);
    }
    expect(await chain.verified(wallet)).toBe(true);
  });
});

/** Registers a wallet the way an agent would by hand, outside the worker. */
async function registerByHand(wallet: string): Promise<void> {
  const agent = new NonceManager(new Wallet(DEV_ACCOUNTS.allowlistAgent, onChain(suite).provider));
  const factory = new Contract(suite.identityFactory, IDENTITY_FACTORY_ABI, agent);
  await (await factory.getFunction('createIdentity')(wallet, `by-hand:${wallet}`)).wait();
  const identity = (await factory.getFunction('getIdentity')(wallet)) as string;
  await (await new Contract(suite.identityRegistry, IDENTITY_REGISTRY_ABI, agent).getFunction('registerIdentity')(wallet, identity, 840)).wait();
}

// In this file: the chain's agent is shared, so these run after the worker's tests, never beside them.
describe('allowlist reconciliation against a Hardhat chain', () => {
  it('opens one chain_drift case per drifted wallet: missing, not allowed, unknown, and per allowlisted investor without our claim; a second run opens none; a drift outliving its closed case opens a new one', async () => {
    const env = await allowlistEnv([suite]);
    const [missing, notAllowed] = await eligibleInvestors(env, 2);
    const investors = new DynamoInvestorRepository(documentClient(), env[TABLES.investors.envVar]!);
    await investors.save({ ...missing!, status: 'allowlisted', version: missing!.version + 1 });
    await investors.save({ ...notAllowed!, status: 'suspended', version: notAllowed!.version + 1 });
    await registerByHand(notAllowed!.wallets[0]!);
    const stranger = Wallet.createRandom().address.toLowerCase();
    await registerByHand(stranger);

    const [chain] = await composeReconciler(env).registries();
    const cases = new DynamoCaseRepository(documentClient(), env[TABLES.cases.envVar]!);
    const deps = {
      chain: chain!,
      investors,
      journal: journal(env),
      cases,
      audit: new AuditLog(new DynamoAuditStore(documentClient(), env[TABLES.audit.envVar]!)),
      flushRequests: new SqsFlushRequests(sqsClient(), env[QUEUES.allowlist.envVar]!),
      actor: 'system:test',
    };
    const first = await reconcileRegistry(deps);
    const group = `${suite.chainId}:${suite.identityRegistry.toLowerCase()}`;
    const caseOf = (wallet: string, kind: string) => cases.get(caseIdFor(`chain_drift|${group}|${wallet}|${kind}`));
    expect(await caseOf(missing!.wallets[0]!, 'not_verified')).toMatchObject({
      type: 'chain_drift',
      investorId: missing!.investorId,
      risk: 'medium',
      evidence: { drift: 'not_verified', investorStatus: 'allowlisted' },
    });
    expect(await caseOf(notAllowed!.wallets[0]!, 'should_not_be_registered')).toMatchObject({ investorId: notAllowed!.investorId, risk: 'high' });
    expect(await caseOf(stranger, 'unknown_wallet')).toMatchObject({ risk: 'high', evidence: { observed: { contains: true } } });
    // Allowlisted, and their identity (none yet) holds no KYC claim of ours: a drift of the investor.
    expect(await cases.get(caseIdFor(`chain_drift|${group}|investor:${missing!.investorId}|claim_missing`))).toMatchObject({
      investorId: missing!.investorId,
      risk: 'high',
      evidence: { drift: 'claim_missing', observed: { identity: null, claim: 'missing' } },
    });
    expect(first.casesOpened).toBeGreaterThanOrEqual(4);

    const second = await reconcileRegistry(deps);
    expect(second.casesOpened).toBe(0);
    expect(second.drifts).toBe(3);

    // An officer closes the missing wallet's case, but the chain is still wrong: a new case, after the closed one.
    const closed = (await caseOf(missing!.wallets[0]!, 'not_verified'))!;
    await cases.save({ ...closed, status: 'closed', version: closed.version + 1 });
    const third = await reconcileRegistry(deps);
    expect(third.casesOpened).toBe(1);
    expect(await cases.get(caseIdFor(`chain_drift|${group}|${missing!.wallets[0]!}|not_verified|after:${closed.caseId}`))).toMatchObject({
      status: 'open',
      investorId: missing!.investorId,
    });
    expect((await reconcileRegistry(deps)).casesOpened).toBe(0);
  });
});
