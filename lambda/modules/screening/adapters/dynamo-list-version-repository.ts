import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../../shared';
import { putIfAbsent } from '../../../platform/aws/dynamo';
import type { ListVersionRecord, ListVersionRepository } from '../ports';

/** The item that names the current version. */
const CURRENT = 'current';

/** List versions, one item each, plus the `current` pointer that only moves by a conditional write. */
export class DynamoListVersionRepository implements ListVersionRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async current(): Promise<ListVersionRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { versionId: CURRENT }, ConsistentRead: true }));
    return Item ? this.get(Item.currentVersionId as string) : undefined;
  }

  async get(versionId: string): Promise<ListVersionRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { versionId }, ConsistentRead: true }));
    if (!Item) return undefined;
    const { versionId: id, ...record } = Item;
    return { ...record, id } as ListVersionRecord;
  }

  async recordIfAbsent(record: ListVersionRecord): Promise<void> {
    const { id, ...rest } = record;
    await putIfAbsent(this.client, this.tableName, { ...rest, versionId: id }, 'versionId');
  }

  async promote(versionId: string, expectedCurrent: string | undefined): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { versionId: CURRENT, currentVersionId: versionId },
          ...(expectedCurrent === undefined
            ? { ConditionExpression: 'attribute_not_exists(versionId) OR currentVersionId = :next', ExpressionAttributeValues: { ':next': versionId } }
            : {
                ConditionExpression: 'currentVersionId IN (:expected, :next)',
                ExpressionAttributeValues: { ':expected': expectedCurrent, ':next': versionId },
              }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError(`the current list version moved while ${versionId} was being recorded; retry the refresh`, { cause: error });
      }
      throw error;
    }
  }

  async markRescreenRequested(versionId: string, at: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { versionId },
        UpdateExpression: 'SET rescreenRequestedAt = if_not_exists(rescreenRequestedAt, :at)',
        ConditionExpression: 'attribute_exists(versionId)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }
}
