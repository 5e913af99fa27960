import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ScreeningRecord, ScreeningRepository } from '../../domain/screening';

export class DynamoScreeningRepository implements ScreeningRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(record: ScreeningRecord): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: record }));
  }

  async latest(investorId: string): Promise<ScreeningRecord | undefined> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'investorId = :id',
        ExpressionAttributeValues: { ':id': investorId },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return Items?.[0] as ScreeningRecord | undefined;
  }
}
