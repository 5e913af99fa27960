import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../../../shared';
import { putIfAbsent } from '../../../platform/aws/dynamo';
import type { KycEventStore } from '../ports';
import type { StoredKycEvent } from '../events';

export class DynamoKycEventStore implements KycEventStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async storeOnce(event: StoredKycEvent): Promise<{ stored: boolean; event: StoredKycEvent }> {
    if (await putIfAbsent(this.client, this.tableName, { ...event }, 'eventKey')) return { stored: true, event };
    const existing = await this.get(event.eventKey);
    if (!existing) throw new TransientError(`KYC event ${event.eventKey} was there, then gone; retry`);
    return { stored: false, event: existing };
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
