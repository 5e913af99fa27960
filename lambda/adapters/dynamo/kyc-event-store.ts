import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KycEventStore, StoredKycEvent } from '../../domain/kyc/receive';

export class DynamoKycEventStore implements KycEventStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async storeOnce(event: StoredKycEvent): Promise<{ stored: boolean; event: StoredKycEvent }> {
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: event, ConditionExpression: 'attribute_not_exists(eventKey)' }));
      return { stored: true, event };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.get(event.eventKey);
      if (!existing) throw error;
      return { stored: false, event: existing };
    }
  }

  async get(eventKey: string): Promise<StoredKycEvent | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { eventKey }, ConsistentRead: true }));
    return Item as StoredKycEvent | undefined;
  }

  async markState(eventKey: string, state: StoredKycEvent['state']): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { eventKey },
        UpdateExpression: 'SET #state = :state',
        ConditionExpression: 'attribute_exists(eventKey)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':state': state },
      }),
    );
  }
}
