import { AuditLog, type AuditEvent, type AuditRecord } from '../../../lambda/modules/audit';
import type { AuditStore } from '../../../lambda/modules/audit/ports';

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
