import { AuditLog } from '../audit-log';
import type { AuditRecord } from '../record';
import type { AuditPage, AuditStore } from '../ports';
import type { AuditQuery } from '../query';

/**
 * The audit store's contract in memory, as DynamoDB keeps it: a record's (stream, seq) is taken
 * once, an idempotency key is appended once, and insertAll writes a stream's records all or none.
 */
export class InMemoryAuditStore implements AuditStore {
  private readonly streams = new Map<string, AuditRecord[]>();
  private readonly keys = new Set<string>();

  async head(stream: string): Promise<AuditRecord | undefined> {
    return this.streams.get(stream)?.at(-1);
  }

  async insert(record: AuditRecord): Promise<'inserted' | 'taken' | 'duplicate'> {
    if (record.idempotencyKey !== undefined && this.keys.has(record.idempotencyKey)) return 'duplicate';
    const stream = this.streams.get(record.stream) ?? [];
    if (stream.length !== record.seq - 1) return 'taken';
    stream.push(record);
    this.streams.set(record.stream, stream);
    if (record.idempotencyKey !== undefined) this.keys.add(record.idempotencyKey);
    return 'inserted';
  }

  async insertAll(records: readonly AuditRecord[]): Promise<AuditRecord[]> {
    const unwritten: AuditRecord[] = [];
    const byStream = new Map<string, AuditRecord[]>();
    for (const record of records) byStream.set(record.stream, [...(byStream.get(record.stream) ?? []), record]);
    for (const ofStream of byStream.values()) {
      const head = (this.streams.get(ofStream[0]!.stream) ?? []).length;
      const fits = ofStream.every(
        (record, index) => record.seq === head + index + 1 && (record.idempotencyKey === undefined || !this.keys.has(record.idempotencyKey)),
      );
      const keys = ofStream.flatMap((record) => (record.idempotencyKey === undefined ? [] : [record.idempotencyKey]));
      if (!fits || new Set(keys).size !== keys.length) {
        unwritten.push(...ofStream);
        continue;
      }
      for (const record of ofStream) await this.insert(record);
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

  /** Every record of a stream, in order. */
  records(stream: string): readonly AuditRecord[] {
    return this.streams.get(stream) ?? [];
  }

  /** Every record of every stream. */
  all(): readonly AuditRecord[] {
    return [...this.streams.values()].flat();
  }

  /** The types of a stream's records, in order: what most tests assert. */
  types(stream: string): string[] {
    return this.records(stream).map((record) => record.type);
  }
}

/** An AuditLog over an in-memory store, and the store to read it back. */
export function inMemoryAuditLog(now?: () => Date): { audit: AuditLog; store: InMemoryAuditStore } {
  const store = new InMemoryAuditStore();
  return { audit: new AuditLog(store, now), store };
}
