import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AllowlistJournal, PendingIntent, SignedTransaction, TransactionSlot } from '../ports';

const pendingKey = (group: string) => `pending#${group}`;
const slotsKey = (signer: string) => `tx#${signer}`;
const leaseKey = (group: string) => `lease#${group}`;
const checkpointKey = (group: string) => `reconcile#${group}`;
/** Nonces as fixed-width strings, so the sort key orders them numerically. */
const nonceKey = (nonce: number) => String(nonce).padStart(20, '0');
const BATCH_WRITE_LIMIT = 25;

/**
 * The allowlist journal in one table (pk, sk): pending intents per registry (`pending#<group>`,
 * in queue order), one item per claimed nonce (`tx#<chainId>:<signer>`, nonce order) and the
 * registry's writer lease (`lease#<group>`). Claims, leases and replacements are conditional
 * writes: that is what keeps two workers from sharing a nonce or a registry.
 */
export class DynamoAllowlistJournal implements AllowlistJournal {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async recordIntent(intent: PendingIntent): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: pendingKey(intent.group), sk: intent.key, ...intent },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async pendingIntents(group: string, limit: number, after?: string): Promise<PendingIntent[]> {
    const items = await this.query(
      after === undefined
        ? { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pendingKey(group) } }
        : { KeyConditionExpression: 'pk = :pk AND sk > :after', ExpressionAttributeValues: { ':pk': pendingKey(group), ':after': after } },
      limit,
    );
    return items.map(({ pk: _pk, sk: _sk, ...intent }) => intent as unknown as PendingIntent);
  }

  async pendingSummary(group: string, limit: number): Promise<{ count: number; oldest?: { key: string; attempts: number } }> {
    const items = await this.query(
      { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pendingKey(group) }, ProjectionExpression: 'sk, attempts' },
      limit,
    );
    const first = items[0];
    return { count: items.length, oldest: first ? { key: first.sk as string, attempts: first.attempts as number } : undefined };
  }

  async completeIntents(group: string, keys: readonly string[]): Promise<void> {
    await this.batchWrite(keys.map((key) => ({ DeleteRequest: { Key: { pk: pendingKey(group), sk: key } } })));
  }

  async recordFailure(group: string, keys: readonly string[], reason: string): Promise<PendingIntent[]> {
    const updated = await Promise.all(
      keys.map(async (key) => {
        try {
          const { Attributes } = await this.client.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: { pk: pendingKey(group), sk: key },
              UpdateExpression: 'SET attempts = attempts + :one, lastError = :reason',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':one': 1, ':reason': reason.slice(0, 500) },
              ReturnValues: 'ALL_NEW',
            }),
          );
          const { pk: _pk, sk: _sk, ...intent } = Attributes ?? {};
          return intent as PendingIntent;
        } catch (error) {
          // Completed meanwhile: nothing to count.
          if (error instanceof ConditionalCheckFailedException) return undefined;
          throw error;
        }
      }),
    );
    return updated.filter((intent): intent is PendingIntent => intent !== undefined);
  }

  /**
   * The lease is free when absent, expired or already ours. A holder that dies keeps it until it
   * expires (the TTL is at least the function's timeout), so a live holder is never overtaken.
   */
  async acquireLease(group: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: leaseKey(group), sk: 'lease', holder, expiresAt: now + ttlMs },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR holder = :holder',
          ExpressionAttributeValues: { ':now': now, ':holder': holder },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async releaseLease(group: string, holder: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: leaseKey(group), sk: 'lease' },
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async claimSlots(slots: readonly TransactionSlot[]): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: slots.map((slot) => ({
            Put: { TableName: this.tableName, Item: this.slotItem(slot), ConditionExpression: 'attribute_not_exists(pk)' },
          })),
        }),
      );
      return true;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.some((reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict')
      )
        return false;
      throw error;
    }
  }

  async slotsFrom(signer: string, fromNonce: number): Promise<TransactionSlot[]> {
    const items = await this.query(
      { KeyConditionExpression: 'pk = :pk AND sk >= :from', ExpressionAttributeValues: { ':pk': slotsKey(signer), ':from': nonceKey(fromNonce) } },
      Number.MAX_SAFE_INTEGER,
    );
    return items.map(({ pk: _pk, sk: _sk, ...slot }) => slot as unknown as TransactionSlot);
  }

  async highestNonce(signer: string): Promise<number | undefined> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': slotsKey(signer) },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
        ProjectionExpression: 'nonce',
      }),
    );
    return Items?.[0]?.nonce as number | undefined;
  }

  async addAttempt(slot: TransactionSlot, attempt: SignedTransaction): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: slotsKey(slot.signer), sk: nonceKey(slot.nonce) },
          UpdateExpression: 'SET attempts = list_append(attempts, :attempt), updatedAt = :at',
          ConditionExpression: 'size(attempts) = :count AND #status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':attempt': [attempt], ':at': attempt.signedAt, ':count': slot.attempts.length, ':pending': 'pending' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async finishSlots(slots: readonly TransactionSlot[]): Promise<void> {
    await this.batchWrite(slots.map((slot) => ({ PutRequest: { Item: this.slotItem(slot) } })));
  }

  async eventCheckpoint(group: string): Promise<number | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: checkpointKey(group), sk: 'events' }, ConsistentRead: true }),
    );
    return Item?.nextBlock as number | undefined;
  }

  async saveEventCheckpoint(group: string, nextBlock: number): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { pk: checkpointKey(group), sk: 'events', nextBlock } }));
  }

  private slotItem(slot: TransactionSlot): Record<string, unknown> {
    return { pk: slotsKey(slot.signer), sk: nonceKey(slot.nonce), ...slot };
  }

  private async query(input: Omit<QueryCommandInput, 'TableName'>, limit: number): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ ...input, TableName: this.tableName, ConsistentRead: true, Limit: Math.min(limit - items.length, 1000), ExclusiveStartKey }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey && items.length < limit);
    return items;
  }

  /** BatchWriteItem in chunks of 25 sent side by side (the items are independent), re-sending what DynamoDB leaves unprocessed. */
  private async batchWrite(requests: readonly Record<string, unknown>[]): Promise<void> {
    const chunks: Record<string, unknown>[][] = [];
    for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) chunks.push(requests.slice(start, start + BATCH_WRITE_LIMIT));
    await Promise.all(
      chunks.map(async (chunk) => {
        let pending: Record<string, unknown>[] | undefined = chunk;
        for (let attempt = 0; pending && pending.length > 0; attempt++) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
          const { UnprocessedItems } = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending as never } }));
          pending = UnprocessedItems?.[this.tableName] as Record<string, unknown>[] | undefined;
        }
      }),
    );
  }
}
