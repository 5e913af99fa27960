import { createHash } from 'node:crypto';
import { ValidationError } from '../../../shared';
import { CHECKPOINT_STREAM, isReservedStream, type AuditRecord } from '../record';
import type { AuditLogItems, AuditPage, AuditQueries, AuditRecords, IdempotencyMarker } from '../ports';
import { walletsOf, type AuditQuery } from '../query';
import type { InMemoryAuditStore } from './in-memory-audit-store';

/** Items a scan batch holds: DynamoDB returns up to 1 MB a page; small batches make tests cross page boundaries. */
const SCAN_BATCH = 25;

/**
 * The audit table's reads over an in-memory store, as DynamoAuditRecords answers them: records come
 * back as stored items (with the `day` index attribute), a full scan yields records and idempotency
 * markers in batches and in no particular order, a one-stream scan that stream and the checkpoint
 * chain (no markers), and query pages carry an opaque cursor bound to their query.
 */
export class InMemoryAuditRecords implements AuditRecords, AuditLogItems, AuditQueries {
  constructor(private readonly store: InMemoryAuditStore) {}

  async streamsWithRecordsBetween(after: string, upTo: string): Promise<string[]> {
    return [...new Set(this.store.all().flatMap((record) => (record.at > after && record.at <= upTo ? [record.stream] : [])))];
  }

  async recordsAfter(stream: string, afterSeq: number): Promise<AuditRecord[]> {
    return this.store
      .records(stream)
      .filter((record) => record.seq > afterSeq)
      .map(asItem);
  }

  async recordAt(stream: string, seq: number): Promise<AuditRecord | undefined> {
    const record = this.store.records(stream).find((stored) => stored.seq === seq);
    return record && asItem(record);
  }

  async *scan(options: { onlyStream?: string }): AsyncIterable<{ records: AuditRecord[]; markers: IdempotencyMarker[]; scanned: number }> {
    if (options.onlyStream) {
      for (const stream of [options.onlyStream, CHECKPOINT_STREAM]) {
        const records = this.store.records(stream).map(asItem);
        for (let index = 0; index < records.length; index += SCAN_BATCH) {
          const batch = records.slice(index, index + SCAN_BATCH);
          yield { records: batch, markers: [], scanned: batch.length };
        }
      }
      return;
    }
    // A scan reads in hash order, not in seq order: newest first makes a verifier that relies on order fail.
    const items: (AuditRecord | IdempotencyMarker)[] = [
      ...this.store
        .all()
        .filter((record) => record.stream === CHECKPOINT_STREAM || !isReservedStream(record.stream))
        .map(asItem),
      ...this.store.markers(),
    ].reverse();
    for (let index = 0; index < items.length; index += SCAN_BATCH) {
      const batch = items.slice(index, index + SCAN_BATCH);
      yield {
        records: batch.filter((item): item is AuditRecord => 'hash' in item),
        markers: batch.filter((item): item is IdempotencyMarker => 'key' in item),
        scanned: batch.length,
      };
    }
  }

  async estimateCount(): Promise<number> {
    return this.store.all().length + this.store.markers().length;
  }

  async page(query: AuditQuery, limit: number, cursor?: string): Promise<AuditPage> {
    const queryId = createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);
    const offset = decodeCursor(cursor, queryId);
    const matching = this.matching(query);
    const records = matching.slice(offset, offset + limit).map(asItem);
    const next = offset + limit < matching.length ? encodeCursor({ q: queryId, o: offset + limit }) : undefined;
    return { records, ...(next ? { cursor: next } : {}) };
  }

  /** In the order the query's index reads: a stream by seq, an index by time. */
  private matching(query: AuditQuery): AuditRecord[] {
    const from = query.from ?? '0000';
    const to = query.to ?? (query.stream || query.caseId || query.wallet || query.investorId || query.type ? '9999' : new Date().toISOString());
    const inTime = (record: AuditRecord) => record.at >= from && record.at <= to;
    const ofType = (record: AuditRecord) => query.type === undefined || record.type === query.type;
    const subjectStream = query.stream ?? (query.caseId ? `case#${query.caseId}` : undefined);
    if (subjectStream) return this.store.records(subjectStream).filter((record) => inTime(record) && ofType(record));
    const subject = query.wallet
      ? (record: AuditRecord) => walletsOf(record.data).includes(query.wallet!)
      : query.investorId
        ? (record: AuditRecord) => record.investorId === query.investorId
        : () => true;
    return this.store
      .all()
      .filter((record) => subject(record) && inTime(record) && ofType(record))
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }
}

/** A record as DynamoDB returns it: with the `day` attribute the `byDay` index is built on. */
function asItem(record: AuditRecord): AuditRecord {
  return { ...record, day: record.at.slice(0, 10) } as AuditRecord;
}

function encodeCursor(cursor: { q: string; o: number }): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(cursor: string | undefined, queryId: string): number {
  if (cursor === undefined) return 0;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { q?: string; o?: number };
    if (decoded.q === queryId && Number.isInteger(decoded.o)) return decoded.o!;
  } catch {
    // reported below
  }
  throw new ValidationError([{ field: 'cursor', problem: 'is not a cursor of this query; pass the cursor of the previous page with the same query' }]);
}
