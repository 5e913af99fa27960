import { DescribeTableCommand, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  paginateQuery,
  paginateScan,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { ValidationError } from '../../../shared';
import { CHECKPOINT_STREAM, isReservedStream, type AuditRecord } from '../record';
import type { AuditLogItems, AuditPage, AuditQueries, AuditRecords, Coverage, CoverageIndex, IdempotencyMarker } from '../ports';
import type { AuditQuery } from '../query';
import { IDEMPOTENCY_STREAM_PREFIX, dayOf } from './dynamo-audit-store';

/** Index names, as lambda/config/system.ts declares them on the audit table. */
export const AUDIT_INDEXES = { byDay: 'byDay', byInvestor: 'byInvestor', byType: 'byType', byWallet: 'byWallet' } as const;

const COVERAGE_PREFIX = 'covered#';
/** Written after all of a checkpoint's coverage items: the coverage of that checkpoint is complete. */
const COVERAGE_DONE_STREAM = `${COVERAGE_PREFIX}${CHECKPOINT_STREAM}`;
const SCAN_SEGMENTS = 4;
const MIN_TIME = '0000';
const MAX_TIME = '9999';

type Item = Record<string, unknown>;
interface Cursor {
  /** Binds the cursor to its query. */
  readonly q: string;
  readonly k?: Item;
  /** The day partition a time-only query was reading. */
  readonly d?: string;
}

/** Reads the audit table: queries through its indexes, checkpoint inputs, coverage and full scans. */
export class DynamoAuditRecords implements AuditRecords, CoverageIndex, AuditQueries, AuditLogItems {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async streamsWithRecordsBetween(after: string, upTo: string): Promise<string[]> {
    const streams = new Set<string>();
    const collect = (items: Item[]) =>
      items.forEach((item) => (item.at as string) > after && (item.at as string) <= upTo && streams.add(item.stream as string));
    if (after === '') {
      // The first checkpoint: everything so far, read from the sparse day index (records only).
      const pages = paginateScan(
        { client: this.client },
        {
          TableName: this.tableName,
          IndexName: AUDIT_INDEXES.byDay,
          ProjectionExpression: '#s, #at',
          ExpressionAttributeNames: { '#s': 'stream', '#at': 'at' },
        },
      );
      for await (const page of pages) collect(page.Items ?? []);
      return [...streams];
    }
    for (const day of daysBetween(dayOf(after), dayOf(upTo))) {
      for await (const items of this.pages({
        IndexName: AUDIT_INDEXES.byDay,
        KeyConditionExpression: '#day = :day AND #at BETWEEN :a AND :b',
        ProjectionExpression: '#s, #at',
        ExpressionAttributeNames: { '#day': 'day', '#at': 'at', '#s': 'stream' },
        ExpressionAttributeValues: { ':day': day, ':a': after, ':b': upTo },
      })) {
        collect(items);
      }
    }
    return [...streams];
  }

  async recordsAfter(stream: string, afterSeq: number): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    for await (const items of this.pages({
      KeyConditionExpression: '#s = :s AND #seq > :after',
      ExpressionAttributeNames: { '#s': 'stream', '#seq': 'seq' },
      ExpressionAttributeValues: { ':s': stream, ':after': afterSeq },
      ConsistentRead: true,
    })) {
      records.push(...(items as unknown as AuditRecord[]));
    }
    return records;
  }

  async recordAt(stream: string, seq: number): Promise<AuditRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { stream, seq }, ConsistentRead: true }));
    return Item as AuditRecord | undefined;
  }

  async last(stream: string): Promise<Coverage | undefined> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'stream' },
        ExpressionAttributeValues: { ':s': `${COVERAGE_PREFIX}${stream}` },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return Items[0] ? coverageFrom(stream, Items[0]) : undefined;
  }

  async all(stream: string): Promise<Coverage[]> {
    const coverage: Coverage[] = [];
    for await (const items of this.pages({
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'stream' },
      ExpressionAttributeValues: { ':s': `${COVERAGE_PREFIX}${stream}` },
      ConsistentRead: true,
    })) {
      coverage.push(...items.map((item) => coverageFrom(stream, item)));
    }
    return coverage;
  }

  async record(number: number, coverage: readonly Coverage[]): Promise<void> {
    for (let index = 0; index < coverage.length; index += 25) {
      await Promise.all(
        coverage
          .slice(index, index + 25)
          .map((item) => this.putOnce({ stream: `${COVERAGE_PREFIX}${item.stream}`, seq: number, from: item.from, to: item.to, toHash: item.toHash })),
      );
    }
    await this.putOnce({ stream: COVERAGE_DONE_STREAM, seq: number, streams: coverage.length });
  }

  async isComplete(number: number): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { stream: COVERAGE_DONE_STREAM, seq: number }, ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  async page(query: AuditQuery, limit: number, cursor?: string): Promise<AuditPage> {
    const queryId = createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);
    const start = decodeCursor(cursor, queryId);
    const from = query.from ?? MIN_TIME;
    const to = query.to ?? MAX_TIME;
    const names: Record<string, string> = { '#at': 'at' };
    const values: Record<string, unknown> = { ':from': from, ':to': to };
    const typeFilter = (attribute: string) => {
      if (!query.type) return {};
      names['#type'] = attribute;
      values[':type'] = query.type;
      return { FilterExpression: '#type = :type' };
    };

    const subjectStream = query.stream ?? (query.caseId ? `case#${query.caseId}` : undefined);
    if (subjectStream) {
      const type = typeFilter('type');
      return this.onePage(queryId, start, limit, {
        KeyConditionExpression: '#s = :s',
        FilterExpression: ['#at BETWEEN :from AND :to', type.FilterExpression].filter(Boolean).join(' AND '),
        ExpressionAttributeNames: { ...names, '#s': 'stream' },
        ExpressionAttributeValues: { ...values, ':s': subjectStream },
      });
    }
    if (query.wallet) {
      const page = await this.onePage(queryId, start, limit, {
        IndexName: AUDIT_INDEXES.byWallet,
        KeyConditionExpression: '#key = :key AND #at BETWEEN :from AND :to',
        ...typeFilter('recordType'),
        ExpressionAttributeNames: { ...names, '#key': 'wallet' },
        ExpressionAttributeValues: { ...values, ':key': query.wallet },
      });
      return { records: await this.fetch(page.records as unknown as Item[]), cursor: page.cursor };
    }
    if (query.investorId || query.type) {
      const [index, key, value] = query.investorId ? [AUDIT_INDEXES.byInvestor, 'investorId', query.investorId] : [AUDIT_INDEXES.byType, 'type', query.type];
      return this.onePage(queryId, start, limit, {
        IndexName: index,
        KeyConditionExpression: '#key = :key AND #at BETWEEN :from AND :to',
        ...(query.investorId ? typeFilter('type') : {}),
        ExpressionAttributeNames: { ...names, '#key': key },
        ExpressionAttributeValues: { ...values, ':key': value },
      });
    }
    return this.dayPages(queryId, start, limit, from, query.to ?? new Date().toISOString(), typeFilter('type'), names, values);
  }

  async *scan(options: { onlyStream?: string }): AsyncIterable<{ records: AuditRecord[]; markers: IdempotencyMarker[]; scanned: number }> {
    if (options.onlyStream) {
      for (const stream of [options.onlyStream, CHECKPOINT_STREAM]) {
        for await (const items of this.pages({
          KeyConditionExpression: '#s = :s',
          ExpressionAttributeNames: { '#s': 'stream' },
          ExpressionAttributeValues: { ':s': stream },
          ConsistentRead: true,
        })) {
          yield { records: items as unknown as AuditRecord[], markers: [], scanned: items.length };
        }
      }
      return;
    }
    for await (const items of this.parallelScan()) {
      const records: AuditRecord[] = [];
      const markers: IdempotencyMarker[] = [];
      for (const item of items) {
        const stream = item.stream as string;
        if (stream.startsWith(IDEMPOTENCY_STREAM_PREFIX))
          markers.push({ key: stream.slice(IDEMPOTENCY_STREAM_PREFIX.length), stream: item.recordStream as string, seq: item.recordSeq as number });
        else if (stream === CHECKPOINT_STREAM || !isReservedStream(stream)) records.push(item as unknown as AuditRecord);
      }
      yield { records, markers, scanned: items.length };
    }
  }

  async estimateCount(): Promise<number> {
    const { Table } = await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
    return Table?.ItemCount ?? 0;
  }

  private async onePage(queryId: string, start: Cursor | undefined, limit: number, input: Omit<QueryCommandInput, 'TableName'>): Promise<AuditPage> {
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({ TableName: this.tableName, ...input, Limit: limit, ExclusiveStartKey: start?.k }),
    );
    return { records: Items as unknown as AuditRecord[], cursor: LastEvaluatedKey ? encodeCursor({ q: queryId, k: LastEvaluatedKey }) : undefined };
  }

  /** Time-only queries walk the day partitions of the `byDay` index until the page is full. */
  private async dayPages(
    queryId: string,
    start: Cursor | undefined,
    limit: number,
    from: string,
    to: string,
    filter: { FilterExpression?: string },
    names: Record<string, string>,
    values: Record<string, unknown>,
  ): Promise<AuditPage> {
    const records: AuditRecord[] = [];
    const days = daysBetween(start?.d ?? dayOf(from), dayOf(to));
    let startKey = start?.k;
    for (const day of days) {
      do {
        const { Items = [], LastEvaluatedKey } = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: AUDIT_INDEXES.byDay,
            KeyConditionExpression: '#day = :day AND #at BETWEEN :from AND :to',
            ...filter,
            ExpressionAttributeNames: { ...names, '#day': 'day' },
            ExpressionAttributeValues: { ...values, ':day': day },
            Limit: limit - records.length,
            ExclusiveStartKey: startKey,
          }),
        );
        records.push(...(Items as unknown as AuditRecord[]));
        startKey = LastEvaluatedKey;
        if (records.length >= limit) {
          const next = startKey ? { q: queryId, d: day, k: startKey } : day < dayOf(to) ? { q: queryId, d: nextDay(day) } : undefined;
          return { records, cursor: next ? encodeCursor(next) : undefined };
        }
      } while (startKey);
    }
    return { records };
  }

  /** The records that wallet references point at, in the references' order. */
  private async fetch(refs: readonly Item[]): Promise<AuditRecord[]> {
    const found = new Map<string, AuditRecord>();
    for (let index = 0; index < refs.length; index += 100) {
      let keys: Item[] | undefined = refs.slice(index, index + 100).map((ref) => ({ stream: ref.recordStream, seq: ref.recordSeq }));
      while (keys?.length) {
        const { Responses, UnprocessedKeys } = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of Responses?.[this.tableName] ?? []) found.set(`${item.stream}/${item.seq}`, item as AuditRecord);
        keys = UnprocessedKeys?.[this.tableName]?.Keys as Item[] | undefined;
      }
    }
    return refs.flatMap((ref) => found.get(`${ref.recordStream}/${ref.recordSeq}`) ?? []);
  }

  private async putOnce(Item: Item): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item, ConditionExpression: 'attribute_not_exists(#seq)', ExpressionAttributeNames: { '#seq': 'seq' } }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async *pages(input: Omit<QueryCommandInput, 'TableName'>): AsyncIterable<Item[]> {
    for await (const page of paginateQuery({ client: this.client }, { TableName: this.tableName, ...input })) yield page.Items ?? [];
  }

  /** Scan segments read side by side; pages are yielded as they arrive. */
  private async *parallelScan(): AsyncIterable<Item[]> {
    const ready: Item[][] = [];
    let wake: (() => void) | undefined;
    let failure: unknown;
    let running = SCAN_SEGMENTS;
    const segment = async (Segment: number) => {
      for await (const page of paginateScan(
        { client: this.client },
        { TableName: this.tableName, Segment, TotalSegments: SCAN_SEGMENTS, ConsistentRead: true },
      )) {
        ready.push(page.Items ?? []);
        wake?.();
      }
    };
    for (let index = 0; index < SCAN_SEGMENTS; index++) {
      segment(index)
        .catch((error: unknown) => (failure ??= error))
        .finally(() => {
          running--;
          wake?.();
        });
    }
    while (running > 0 || ready.length > 0) {
      if (failure) throw failure;
      const items = ready.shift();
      if (items) yield items;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
    if (failure) throw failure;
  }
}

function coverageFrom(stream: string, item: Item): Coverage {
  return { stream, checkpoint: item.seq as number, from: item.from as number, to: item.to as number, toHash: item.toHash as string };
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(cursor: string | undefined, queryId: string): Cursor | undefined {
  if (cursor === undefined) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cursor;
    if (decoded.q === queryId) return decoded;
  } catch {
    // reported below
  }
  throw new ValidationError([{ field: 'cursor', problem: 'is not a cursor of this query; pass the cursor of the previous page with the same query' }]);
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);
}

function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last; day = nextDay(day)) days.push(day);
  return days;
}
