import { randomBytes } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { documentClient } from '../../lambda/platform/aws/dynamo';
import { DynamoAuditRecords, DynamoAuditStore } from '../../lambda/modules/audit/adapters';
import { DynamoInvestorRepository } from '../../lambda/modules/investors/adapters';
import { TABLES } from '../../lambda/config/system';
import { AuditLog, GENESIS_HASH, nextRecord, type AuditRecord } from '../../lambda/modules/audit';
import { hashOf } from '../../lambda/modules/audit/record';
import { ConflictError } from '../../lambda/shared';
import { registrationSchema } from '../../lambda/modules/investors/investor';
import type { Investor } from '../../lambda/modules/investors';
import { provisionFresh } from '../helpers/local-env';

let env: Record<string, string>;
beforeAll(async () => {
  env = await provisionFresh();
});

function newInvestor(externalId = `ext-${ulid()}`): Investor {
  const registration = registrationSchema.parse({
    externalId,
    legalName: 'Jane Doe',
    dateOfBirth: '1980-01-31',
    countryOfResidence: 'US',
    wallets: [`0x${randomBytes(20).toString('hex')}`],
  });
  const at = new Date().toISOString();
  return { ...registration, investorId: ulid(), status: 'registered', version: 1, createdAt: at, updatedAt: at };
}

describe('DynamoInvestorRepository on DynamoDB Local', () => {
  const repository = () => new DynamoInvestorRepository(documentClient(), env[TABLES.investors.envVar]!);

  it('stores an investor once per externalId and returns the first on a repeat', async () => {
    const first = newInvestor();
    const again = { ...newInvestor(first.externalId) };
    expect(await repository().create(first)).toEqual({ investor: first, created: true });
    const repeat = await repository().create(again);
    expect(repeat.created).toBe(false);
    expect(repeat.investor.investorId).toBe(first.investorId);
    expect(await repository().get(again.investorId)).toBeUndefined();
  });

  it('lets exactly one of ten concurrent registrations with the same externalId win', async () => {
    const externalId = `race-${ulid()}`;
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => repository().create(newInvestor(externalId))));
    const stored = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(stored.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(stored.map((result) => result.investor.investorId)).size).toBe(1);
  });

  it('refuses a save based on a stale version', async () => {
    const investor = newInvestor();
    await repository().create(investor);
    await repository().save({ ...investor, status: 'screened', version: 2 });
    await expect(repository().save({ ...investor, status: 'screened', version: 2 })).rejects.toBeInstanceOf(ConflictError);
    expect((await repository().get(investor.investorId))?.version).toBe(2);
  });
});

describe('AuditLog on DynamoDB Local', () => {
  const store = () => new DynamoAuditStore(documentClient(), env[TABLES.audit.envVar]!);

  it('keeps one unbroken chain under 25 concurrent appends to the same stream', async () => {
    const stream = `investor#${ulid()}`;
    const wallet = `0x${randomBytes(20).toString('hex')}`;
    const log = new AuditLog(store());
    // Odd appends name a wallet (record and wallet reference in one transaction), even ones are single puts.
    await Promise.all(
      Array.from({ length: 25 }, (_, index) => log.append({ stream, type: 'test.event', actor: 'test', data: index % 2 ? { index, wallet } : { index } })),
    );

    const { Items = [] } = await documentClient().send(
      new QueryCommand({
        TableName: env[TABLES.audit.envVar]!,
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'stream' },
        ExpressionAttributeValues: { ':s': stream },
      }),
    );
    const chain = Items as AuditRecord[];
    expect(chain.map((record) => record.seq)).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    chain.forEach((record, index) => {
      expect(record.prevHash).toBe(index === 0 ? GENESIS_HASH : chain[index - 1]!.hash);
      const { hash, ...unsigned } = record;
      expect(hashOf(unsigned)).toBe(hash);
    });
    expect(new Set(chain.map((record) => (record.data as { index: number }).index)).size).toBe(25);
    // The wallet index names exactly the records that name the wallet: none lost to a lost race, none invented.
    const byWallet = await new DynamoAuditRecords(documentClient(), env[TABLES.audit.envVar]!).page({ wallet }, 100);
    expect(byWallet.records.map((record) => (record.data as { index: number }).index).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => 2 * i + 1),
    );
  });
});

describe('idempotent audit appends on DynamoDB Local', () => {
  it('appends an event once however many writers race with the same idempotency key', async () => {
    const stream = `case#${ulid()}`;
    const log = new AuditLog(new DynamoAuditStore(documentClient(), env[TABLES.audit.envVar]!));
    const results = await Promise.all(
      Array.from({ length: 10 }, () => log.append({ stream, type: 'case.opened', actor: 'test', data: {}, idempotencyKey: `${stream}:opened` })),
    );
    expect(results.filter((record) => record !== undefined)).toHaveLength(1);
    const again = await log.append({ stream, type: 'case.opened', actor: 'test', data: {}, idempotencyKey: `${stream}:opened` });
    expect(again).toBeUndefined();
    const next = await log.append({ stream, type: 'case.claimed', actor: 'test', data: {}, idempotencyKey: `${stream}:claimed` });
    expect(next?.seq).toBe(2);
  });
});

describe('AuditLog.appendAll on DynamoDB Local', () => {
  const table = () => env[TABLES.audit.envVar]!;
  const chainOf = async (stream: string) => {
    const { Items = [] } = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'stream' },
        ExpressionAttributeValues: { ':s': stream },
        ConsistentRead: true,
      }),
    );
    return Items as AuditRecord[];
  };
  const expectUnbroken = (chain: readonly AuditRecord[]) =>
    chain.forEach((record, index) => {
      expect(record.seq).toBe(index + 1);
      expect(record.prevHash).toBe(index === 0 ? GENESIS_HASH : chain[index - 1]!.hash);
      const { hash, ...unsigned } = record;
      expect(hashOf(unsigned)).toBe(hash);
    });

  it('appends 80 events of 40 streams together, in order per stream, with the outcome of one-by-one appends: a used key and a racing writer fall back, a repeat adds nothing', async () => {
    const log = new AuditLog(new DynamoAuditStore(documentClient(), table()));
    const streams = Array.from({ length: 40 }, () => `investor#${ulid()}`);
    const wallet = (index: number) => `0x${String(index).padStart(40, '0')}`;
    // Some streams already have records; one already holds the first event's key (a redelivery).
    await log.append({ stream: streams[0]!, type: 'investor.registered', actor: 'test', data: {}, idempotencyKey: `${streams[0]}:v1` });
    await log.append({
      stream: streams[1]!,
      type: 'allowlist.registered',
      actor: 'test',
      data: { wallet: wallet(1) },
      idempotencyKey: `${streams[1]}:registered`,
    });
    const events = streams.flatMap((stream, index) => [
      { stream, type: 'allowlist.registered', actor: 'test', data: { wallet: wallet(index) }, idempotencyKey: `${stream}:registered` },
      { stream, type: 'investor.allowlisted', actor: 'test', data: { wallet: wallet(index) }, idempotencyKey: `${stream}:allowlisted` },
    ]);
    // A writer of its own appends to stream 2 at the same time: one of them chains onto the other.
    await Promise.all([log.appendAll(events), log.append({ stream: streams[2]!, type: 'screening.completed', actor: 'other', data: {} })]);

    for (const [index, stream] of streams.entries()) {
      const chain = await chainOf(stream);
      expectUnbroken(chain);
      const types = chain.map((record) => record.type);
      if (index === 0) expect(types).toEqual(['investor.registered', 'allowlist.registered', 'investor.allowlisted']);
      else if (index === 1) expect(types).toEqual(['allowlist.registered', 'investor.allowlisted']);
      else if (index === 2) expect([...types].sort()).toEqual(['allowlist.registered', 'investor.allowlisted', 'screening.completed']);
      else expect(types).toEqual(['allowlist.registered', 'investor.allowlisted']);
      if (index === 2) expect(types.indexOf('allowlist.registered')).toBeLessThan(types.indexOf('investor.allowlisted'));
    }
    // Every record and its wallet reference were written together.
    const byWallet = await new DynamoAuditRecords(documentClient(), table()).page({ wallet: wallet(7) }, 10);
    expect(byWallet.records.map((record) => record.type)).toEqual(['allowlist.registered', 'investor.allowlisted']);
    // Appending the same events again adds nothing.
    await log.appendAll(events);
    expect((await chainOf(streams[5]!)).length).toBe(2);
  });

  it('appends an event once when one batch repeats its idempotency key, in one stream or across two', async () => {
    const log = new AuditLog(new DynamoAuditStore(documentClient(), table()));
    const [first, second] = [`investor#${ulid()}`, `investor#${ulid()}`];
    const registered = { stream: first, type: 'allowlist.registered', actor: 'test', data: { intent: 1 }, idempotencyKey: `${first}:registered` };
    await log.appendAll([
      registered,
      { ...registered, data: { intent: 2 } },
      { stream: first, type: 'investor.allowlisted', actor: 'test', data: {}, idempotencyKey: `${first}:allowlisted` },
      { stream: second, type: 'allowlist.registered', actor: 'test', data: {}, idempotencyKey: `${first}:registered` },
      { stream: second, type: 'allowlist.frozen', actor: 'test', data: {}, idempotencyKey: `${second}:frozen` },
    ]);
    const [firstChain, secondChain] = [await chainOf(first), await chainOf(second)];
    expectUnbroken(firstChain);
    expectUnbroken(secondChain);
    expect(firstChain.map((record) => [record.type, record.data])).toEqual([
      ['allowlist.registered', { intent: 1 }],
      ['investor.allowlisted', {}],
    ]);
    expect(secondChain.map((record) => record.type)).toEqual(['allowlist.frozen']);
  });

  it('DynamoAuditStore.insertAll never writes one idempotency key twice in a transaction: a stream repeating a key of the call is returned unwritten', async () => {
    const store = new DynamoAuditStore(documentClient(), table());
    const [first, second, third] = [`investor#${ulid()}`, `investor#${ulid()}`, `investor#${ulid()}`];
    const at = new Date().toISOString();
    const record = (stream: string, idempotencyKey: string) =>
      nextRecord({ stream, type: 'allowlist.registered', actor: 'test', data: {}, idempotencyKey }, undefined, at);
    const repeat = record(second, `${first}:registered`);
    const unwritten = await store.insertAll([record(first, `${first}:registered`), record(third, `${third}:registered`), repeat]);
    expect(unwritten).toEqual([repeat]);
    expect([(await chainOf(first)).length, (await chainOf(second)).length, (await chainOf(third)).length]).toEqual([1, 0, 1]);
    expect(await store.insert(repeat)).toBe('duplicate');
  });
});
