import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditRecord, AuditStore } from '../../domain/audit';

/** Items that reserve an idempotency key live under their own partition, never in a record stream. */
export const IDEMPOTENCY_STREAM_PREFIX = 'idempotency#';

/**
 * Insert-only: every write is a Put conditional on its key being free. A record with an idempotency
 * key is written in one transaction with a marker item for that key, so a repeat can never append.
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
    const put = { TableName: this.tableName, Item: record, ConditionExpression: 'attribute_not_exists(#seq)', ExpressionAttributeNames: { '#seq': 'seq' } };
    if (!record.idempotencyKey) {
      try {
        await this.client.send(new PutCommand(put));
        return 'inserted';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'taken';
        throw error;
      }
    }
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: put },
            {
              Put: {
                TableName: this.tableName,
                Item: { stream: `${IDEMPOTENCY_STREAM_PREFIX}${record.idempotencyKey}`, seq: 0, recordStream: record.stream, recordSeq: record.seq },
                ConditionExpression: 'attribute_not_exists(#seq)',
                ExpressionAttributeNames: { '#seq': 'seq' },
              },
            },
          ],
        }),
      );
      return 'inserted';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [recordReason, keyReason] = error.CancellationReasons ?? [];
      if (keyReason?.Code === 'ConditionalCheckFailed') return 'duplicate';
      if (recordReason?.Code === 'ConditionalCheckFailed' || recordReason?.Code === 'TransactionConflict' || keyReason?.Code === 'TransactionConflict') return 'taken';
      throw error;
    }
  }
}
