import { AuditLog, GENESIS_HASH, nextRecord, type AuditEvent, type AuditRecord } from '../../../lambda/modules/audit';
import type { AuditStore } from '../../../lambda/modules/audit/ports';
import { InMemoryAuditStore, inMemoryAuditLog } from '../../../lambda/modules/audit/fakes';
import { InvariantError, TransientError } from '../../../lambda/shared';

/**
 * DynamoDB refuses a transaction that names one item twice (a ValidationException, not a
 * cancellation); DynamoDB Local cancels it instead, so the integration tests cannot see the refusal.
 * This store refuses the way DynamoDB does.
 */
class RefusingStore implements AuditStore {
  readonly records: AuditRecord[] = [];

  async head(stream: string): Promise<AuditRecord | undefined> {
    return this.records.filter((record) => record.stream === stream).at(-1);
  }

  async insert(record: AuditRecord): Promise<'inserted' | 'taken' | 'duplicate'> {
    if (record.idempotencyKey && this.records.some((stored) => stored.idempotencyKey === record.idempotencyKey)) return 'duplicate';
    if (this.records.some((stored) => stored.stream === record.stream && stored.seq === record.seq)) return 'taken';
    this.records.push(record);
    return 'inserted';
  }

  async insertAll(records: readonly AuditRecord[]): Promise<AuditRecord[]> {
    const keys = records.flatMap((record) => (record.idempotencyKey ? [record.idempotencyKey] : []));
    if (new Set(keys).size !== keys.length) throw new Error('ValidationException: Transaction request cannot include multiple operations on one item');
    for (const record of records) await this.insert(record);
    return [];
  }
}

const event = (stream: string, idempotencyKey: string, data: Record<string, unknown> = {}): AuditEvent => ({
  stream,
  type: 'allowlist.registered',
  actor: 'test',
  data,
  idempotencyKey,
});

describe('AuditLog.appendAll', () => {
  it('hands the store each idempotency key once: a later event with the key of an earlier one is a repeat, in its stream or another', async () => {
    const store = new RefusingStore();
    await new AuditLog(store).appendAll([
      event('investor#a', 'a:registered', { intent: 1 }),
      event('investor#a', 'a:registered', { intent: 2 }),
      event('investor#a', 'a:allowlisted'),
      event('investor#b', 'a:allowlisted'),
      event('investor#b', 'b:frozen'),
    ]);
    expect(store.records.map(({ stream, seq, idempotencyKey, data }) => ({ stream, seq, idempotencyKey, data }))).toEqual([
      { stream: 'investor#a', seq: 1, idempotencyKey: 'a:registered', data: { intent: 1 } },
      { stream: 'investor#a', seq: 2, idempotencyKey: 'a:allowlisted', data: {} },
      { stream: 'investor#b', seq: 1, idempotencyKey: 'b:frozen', data: {} },
    ]);
  });
});

describe('AuditLog.append', () => {
  it("chains each record to the one before; a writer whose clock lags takes the previous record's time", async () => {
    let clock = Date.parse('2026-03-02T10:00:00.000Z');
    const { audit, store } = inMemoryAuditLog(() => new Date(clock));
    const first = await audit.append(event('investor#a', 'k1'));
    clock -= 5000;
    const second = await audit.append(event('investor#a', 'k2'));
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, at: '2026-03-02T10:00:00.000Z' });
    expect(second).toMatchObject({ seq: 2, prevHash: first!.hash, at: first!.at });
    expect(store.records('investor#a')).toEqual([first, second]);
  });

  it('appends an idempotency key once: a repeat resolves to undefined and writes nothing', async () => {
    const { audit, store } = inMemoryAuditLog();
    await audit.append(event('investor#a', 'k1', { first: true }));
    expect(await audit.append(event('investor#a', 'k1', { first: false }))).toBeUndefined();
    expect(store.records('investor#a').map((record) => record.data)).toEqual([{ first: true }]);
    expect(store.markers()).toEqual([{ key: 'k1', stream: 'investor#a', seq: 1 }]);
  });

  it('refuses the streams the audit log keeps for itself', async () => {
    const { audit, store } = inMemoryAuditLog();
    for (const stream of ['audit#checkpoints', 'idempotency#x', 'ref#wallet#x', 'covered#investor#a']) {
      await expect(audit.append(event(stream, 'k'))).rejects.toThrow(InvariantError);
      await expect(audit.appendAll([event('investor#a', 'k0'), event(stream, 'k')])).rejects.toThrow(`audit stream ${stream} is reserved`);
    }
    expect(store.all()).toEqual([]);
  });

  it('lets concurrent writers of one stream all land, one after another, without a fork or a gap', async () => {
    const { audit, store } = inMemoryAuditLog();
    await Promise.all(Array.from({ length: 6 }, (_, index) => audit.append(event('investor#a', `k${index}`))));
    const records = store.records('investor#a');
    expect(records.map((record) => record.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    records.slice(1).forEach((record, index) => expect(record.prevHash).toBe(records[index]!.hash));
  });

  it('gives up on a stream that stays contended, as a transient error to retry', async () => {
    jest.useFakeTimers();
    try {
      const attempts: number[] = [];
      const contended: AuditStore = { head: async () => undefined, insert: async (record) => (attempts.push(record.seq), 'taken') };
      const append = new AuditLog(contended).append(event('investor#a', 'k1'));
      const settled = append.catch((error: unknown) => error);
      await jest.runAllTimersAsync();
      const error = await settled;
      expect(error).toBeInstanceOf(TransientError);
      expect((error as Error).message).toBe('audit stream investor#a is contended; gave up after 40 attempts');
      expect(attempts).toHaveLength(40);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('AuditLog.appendAll over a store that writes many at once', () => {
  it('writes the plan in one call when nothing raced it', async () => {
    const store = new InMemoryAuditStore();
    const insertAll = jest.spyOn(store, 'insertAll');
    await new AuditLog(store).appendAll([event('investor#a', 'a1'), event('investor#b', 'b1'), event('investor#a', 'a2')]);
    expect(insertAll).toHaveBeenCalledTimes(1);
    expect(store.types('investor#a')).toHaveLength(2);
    expect(store.records('investor#b').map((record) => record.idempotencyKey)).toEqual(['b1']);
  });

  it('appends one by one what a concurrent writer got in before, so each stream still chains onto its head', async () => {
    const store = new InMemoryAuditStore();
    const competitor = nextRecord(event('investor#a', 'other'), undefined, '2026-03-02T10:00:00.000Z');
    const racing: AuditStore = {
      head: (stream) => store.head(stream),
      insert: (record) => store.insert(record),
      insertAll: async (records) => (await store.insert(competitor), store.insertAll(records)),
    };
    await new AuditLog(racing).appendAll([event('investor#a', 'a1'), event('investor#a', 'a2'), event('investor#b', 'b1')]);
    expect(store.records('investor#a').map((record) => record.idempotencyKey)).toEqual(['other', 'a1', 'a2']);
    expect(store.records('investor#a')[1]!.prevHash).toBe(competitor.hash);
    expect(store.records('investor#b')).toHaveLength(1);
  });

  it('appends in turn over a store that writes one at a time', async () => {
    const store = new InMemoryAuditStore();
    const oneByOne: AuditStore = { head: (stream) => store.head(stream), insert: (record) => store.insert(record) };
    await new AuditLog(oneByOne).appendAll([event('investor#a', 'a1'), event('investor#a', 'a1'), event('investor#a', 'a2')]);
    expect(store.records('investor#a').map((record) => [record.seq, record.idempotencyKey])).toEqual([
      [1, 'a1'],
      [2, 'a2'],
    ]);
  });
});
