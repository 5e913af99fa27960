import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { walletsOf } from '../query';
import type { AuditRecord } from '../record';
import { AuditLog } from '../audit-log';
import type { AuditStore } from '../ports';
import { documentClient } from '../../../platform/aws/dynamo';

/** Items that reserve an idempotency key live under their own partition, never in a record stream. */
export const IDEMPOTENCY_STREAM_PREFIX = 'idempotency#';
/** Wallet references: one item per (wallet, record), the rows of the `byWallet` index. */
export const WALLET_REF_PREFIX = 'ref#wallet#';
type ConditionalPut = PutCommandInput & { ConditionExpression: string };
/** DynamoDB transactions take at most 100 items. */
const TRANSACTION_LIMIT = 100;

/** Index attributes stored beside a record: derived from it, not part of its hash. */
export function dayOf(at: string): string {
  return at.slice(0, 10);
}

/**
 * Insert-only: every write is a Put conditional on its key being free. A record with an idempotency
 * key or wallets is written in one transaction with a marker item for the key and one reference item
 * per wallet, so a repeat can never append and the wallet index never misses or invents a record.
 */
export class DynamoAuditStore implements AuditStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async head(stream: string): Promise<AuditRecord | undefined> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#stream = :stream',
        ExpressionAttributeNames: { '#stream': 'stream' },
        ExpressionAttributeValues: { ':stream': stream },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return Items?.[0] as AuditRecord | undefined;
  }

  async insert(record: AuditRecord): Promise<'inserted' | 'taken' | 'duplicate'> {
    const [recordPut, ...others] = this.itemsOf(record);
    const hasMarker = record.idempotencyKey !== undefined;
    if (others.length === 0) {
      try {
        await this.client.send(new PutCommand(recordPut!));
        return 'inserted';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'taken';
        throw error;
      }
    }
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: [recordPut!, ...others].map((item) => ({ Put: item })) }));
      return 'inserted';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (hasMarker && reasons[1]?.Code === 'ConditionalCheckFailed') return 'duplicate';
      if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict')) return 'taken';
      throw error;
    }
  }

  /**
   * Whole streams packed into transactions of at most 100 items, written in parallel: a stream's
   * records are never split, so a cancelled transaction leaves no gap. Returns the records of
   * cancelled transactions (and of any stream too large for one, or repeating an idempotency key
   * of the call), for the caller to append one by one.
   */
  async insertAll(records: readonly AuditRecord[]): Promise<AuditRecord[]> {
    const streams = new Map<string, { records: AuditRecord[]; items: ConditionalPut[]; repeatsKey: boolean }>();
    const keys = new Set<string>();
    for (const record of records) {
      const stream = streams.get(record.stream) ?? { records: [], items: [], repeatsKey: false };
      stream.records.push(record);
      stream.items.push(...this.itemsOf(record));
      // Two puts of one marker in a transaction are a ValidationException, not a cancellation:
      // the whole call would fail. Appended one by one, the repeat is found to be a duplicate.
      if (record.idempotencyKey !== undefined) {
        if (keys.has(record.idempotencyKey)) stream.repeatsKey = true;
        keys.add(record.idempotencyKey);
      }
      streams.set(record.stream, stream);
    }
    const transactions: { records: AuditRecord[]; items: ConditionalPut[] }[] = [];
    const unwritten: AuditRecord[] = [];
    for (const stream of streams.values()) {
      if (stream.items.length > TRANSACTION_LIMIT || stream.repeatsKey) {
        unwritten.push(...stream.records);
        continue;
      }
      const last = transactions.at(-1);
      if (last && last.items.length + stream.items.length <= TRANSACTION_LIMIT) {
        last.records.push(...stream.records);
        last.items.push(...stream.items);
      } else transactions.push({ records: [...stream.records], items: [...stream.items] });
    }
    await Promise.all(
      transactions.map(async ({ records: written, items }) => {
        try {
          await this.client.send(new TransactWriteCommand({ TransactItems: items.map((item) => ({ Put: item })) }));
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
          unwritten.push(...written);
        }
      }),
    );
    return unwritten;
  }

  /** The record's put, then its idempotency marker (if any), then one reference per wallet it names. */
  private itemsOf(record: AuditRecord): ConditionalPut[] {
    const put = (Item: Record<string, unknown>): ConditionalPut => ({
      TableName: this.tableName,
      Item,
      ConditionExpression: 'attribute_not_exists(#seq)',
      ExpressionAttributeNames: { '#seq': 'seq' },
    });
    const marker = record.idempotencyKey
      ? [put({ stream: `${IDEMPOTENCY_STREAM_PREFIX}${record.idempotencyKey}`, seq: 0, recordStream: record.stream, recordSeq: record.seq })]
      : [];
    const refs = walletsOf(record.data).map((wallet) =>
      put({
        stream: `${WALLET_REF_PREFIX}${wallet}#${record.stream}`,
        seq: record.seq,
        wallet,
        at: record.at,
        recordStream: record.stream,
        recordSeq: record.seq,
        recordType: record.type,
      }),
    );
    return [put({ ...record, day: dayOf(record.at) }), ...marker, ...refs];
  }
}

/** The audit log over its DynamoDB table (the process's shared client). */
export function dynamoAuditLog(tableName: string): AuditLog {
  return new AuditLog(new DynamoAuditStore(documentClient(), tableName));
}
