import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { walletsOf, type AuditRecord, type AuditStore } from '../../domain/audit';

/** Items that reserve an idempotency key live under their own partition, never in a record stream. */
export const IDEMPOTENCY_STREAM_PREFIX = 'idempotency#';
/** Wallet references: one item per (wallet, record), the rows of the `byWallet` index. */
export const WALLET_REF_PREFIX = 'ref#wallet#';

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
    const put = (Item: Record<string, unknown>) => ({ TableName: this.tableName, Item, ConditionExpression: 'attribute_not_exists(#seq)', ExpressionAttributeNames: { '#seq': 'seq' } });
    const recordPut = put({ ...record, day: dayOf(record.at) });
    const marker = record.idempotencyKey ? put({ stream: `${IDEMPOTENCY_STREAM_PREFIX}${record.idempotencyKey}`, seq: 0, recordStream: record.stream, recordSeq: record.seq }) : undefined;
    const refs = walletsOf(record.data).map((wallet) => put({ stream: `${WALLET_REF_PREFIX}${wallet}#${record.stream}`, seq: record.seq, wallet, at: record.at, recordStream: record.stream, recordSeq: record.seq, recordType: record.type }));
    if (!marker && refs.length === 0) {
      try {
        await this.client.send(new PutCommand(recordPut));
        return 'inserted';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'taken';
        throw error;
      }
    }
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: [recordPut, ...(marker ? [marker] : []), ...refs].map((item) => ({ Put: item })) }));
      return 'inserted';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (marker && reasons[1]?.Code === 'ConditionalCheckFailed') return 'duplicate';
      if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict')) return 'taken';
      throw error;
    }
  }
}
