import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, ScanCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors';
import type { Investor, InvestorRepository } from '../../domain/investors';

const investorKey = (investorId: string) => `INVESTOR#${investorId}`;
const externalKey = (externalId: string) => `EXTERNAL#${externalId}`;

/**
 * Investors table, one item per investor plus one uniqueness item per portal externalId.
 * Both are written in one transaction, so an externalId can never point to two investors.
 */
export class DynamoInvestorRepository implements InvestorRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(investor: Investor): Promise<{ investor: Investor; created: boolean }> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: { pk: investorKey(investor.investorId), ...investor }, ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: externalKey(investor.externalId), investorId: investor.investorId },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return { investor, created: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const existing = await this.byExternalId(investor.externalId);
      if (!existing) throw new ConflictError('registration raced with another one; retry', { cause: error });
      return { investor: existing, created: false };
    }
  }

  async get(investorId: string): Promise<Investor | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: investorKey(investorId) }, ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, ...investor } = Item;
    return investor as Investor;
  }

  async save(next: Investor): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: investorKey(next.investorId), ...next },
          ConditionExpression: 'version = :previous',
          ExpressionAttributeValues: { ':previous': next.version - 1 },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError(`investor ${next.investorId} changed concurrently (expected version ${next.version - 1})`, { cause: error });
      }
      throw error;
    }
  }

  /** Every investor, page by page (a full scan: for the scheduled reconciliation only). */
  async *all(): AsyncIterable<Investor> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new ScanCommand({ TableName: this.tableName, FilterExpression: 'begins_with(pk, :prefix)', ExpressionAttributeValues: { ':prefix': investorKey('') }, ExclusiveStartKey }));
      for (const { pk: _pk, ...investor } of page.Items ?? []) yield investor as Investor;
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }

  private async byExternalId(externalId: string): Promise<Investor | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: externalKey(externalId) }, ConsistentRead: true }));
    return Item ? this.get(Item.investorId as string) : undefined;
  }
}
