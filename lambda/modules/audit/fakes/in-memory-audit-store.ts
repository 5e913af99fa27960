import { AuditLog } from '../audit-log';
import type { AuditRecord } from '../record';
import type { AuditPage, AuditStore, IdempotencyMarker } from '../ports';
import type { AuditQuery } from '../query';

/**
 * The audit store's contract in memory, as DynamoDB keeps it: a record's (stream, seq) slot is taken
 * once, an idempotency key is appended once (its marker names the record), and insertAll writes a
 * stream's records all or none. `overwrite`, `remove` and `removeMarker` do what someone with write
 * access to the table could, for tests of what verification detects.
 */
export class InMemoryAuditStore implements AuditStore {
  private readonly streams = new Map<string, Map<number, AuditRecord>>();
  private readonly keys = new Map<string, { stream: string; seq: number }>();

  async head(stream: string): Promise<AuditRecord | undefined> {
    return this.records(stream).at(-1);
  }

  async insert(record: AuditRecord): Promise<'inserted' | 'taken' | 'duplicate'> {
    if (record.idempotencyKey !== undefined && this.keys.has(record.idempotencyKey)) return 'duplicate';
    if (this.streams.get(record.stream)?.has(record.seq)) return 'taken';
    this.write(record);
    return 'inserted';
  }

  async insertAll(records: readonly AuditRecord[]): Promise<AuditRecord[]> {
    const unwritten: AuditRecord[] = [];
    const byStream = new Map<string, AuditRecord[]>();
    for (const record of records) byStream.set(record.stream, [...(byStream.get(record.stream) ?? []), record]);
    for (const ofStream of byStream.values()) {
      const slots = ofStream.map((record) => record.seq);
      const keys = ofStream.flatMap((record) => (record.idempotencyKey === undefined ? [] : [record.idempotencyKey]));
      const fits =
        slots.every((seq) => !this.streams.get(ofStream[0]!.stream)?.has(seq)) &&
        new Set(slots).size === slots.length &&
        keys.every((key) => !this.keys.has(key)) &&
        new Set(keys).size === keys.length;
      if (fits) ofStream.forEach((record) => this.write(record));
      else unwritten.push(...ofStream);
    }
    return unwritten;
  }

  /** As the DynamoDB reader gives them: a stream's records after `afterSeq`, in seq order. */
  async recordsAfter(stream: string, afterSeq: number): Promise<AuditRecord[]> {
    return this.records(stream).filter((record) => record.seq > afterSeq);
  }

  /**
   * A page of an auditor's query by investor, case, stream or type (no time range), oldest first as
   * the DynamoDB indexes order them; the cursor is opaque to callers.
   */
  async page(query: AuditQuery, limit: number, cursor?: string): Promise<AuditPage> {
    const matching = this.all()
      .filter(
        (record) =>
          (query.investorId === undefined || record.investorId === query.investorId) &&
          (query.caseId === undefined || record.stream === `case#${query.caseId}`) &&
          (query.stream === undefined || record.stream === query.stream) &&
          (query.type === undefined || record.type === query.type),
      )
      .sort((a, b) => a.at.localeCompare(b.at) || a.stream.localeCompare(b.stream) || a.seq - b.seq);
    const start = cursor === undefined ? 0 : Number(cursor);
    const records = matching.slice(start, start + limit);
    return { records, ...(start + limit < matching.length ? { cursor: String(start + limit) } : {}) };
  }

  /** Every record of a stream, in seq order. */
  records(stream: string): readonly AuditRecord[] {
    return [...(this.streams.get(stream)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }

  /** Every record of every stream (streams in the order they were first written). */
  all(): readonly AuditRecord[] {
    return [...this.streams.keys()].flatMap((stream) => this.records(stream));
  }

  /** The types of a stream's records, in order: what most tests assert. */
  types(stream: string): string[] {
    return this.records(stream).map((record) => record.type);
  }

  /** Every idempotency marker: which record each key was first appended as. */
  markers(): IdempotencyMarker[] {
    return [...this.keys].map(([key, { stream, seq }]) => ({ key, stream, seq }));
  }

  /** Puts a record in its slot unconditionally, as a PutItem without a condition does. */
  overwrite(record: AuditRecord): void {
    this.slots(record.stream).set(record.seq, record);
  }

  /** Deletes a record (its marker, if any, stays, as a DeleteItem of the record leaves it). */
  remove(stream: string, seq: number): void {
    this.streams.get(stream)?.delete(seq);
  }

  removeMarker(key: string): void {
    this.keys.delete(key);
  }

  private write(record: AuditRecord): void {
    this.slots(record.stream).set(record.seq, record);
    if (record.idempotencyKey !== undefined) this.keys.set(record.idempotencyKey, { stream: record.stream, seq: record.seq });
  }

  private slots(stream: string): Map<number, AuditRecord> {
    let slots = this.streams.get(stream);
    if (!slots) this.streams.set(stream, (slots = new Map()));
    return slots;
  }
}

/** An AuditLog over an in-memory store, and the store to read it back. */
export function inMemoryAuditLog(now?: () => Date): { audit: AuditLog; store: InMemoryAuditStore } {
  const store = new InMemoryAuditStore();
  return { audit: new AuditLog(store, now), store };
}
