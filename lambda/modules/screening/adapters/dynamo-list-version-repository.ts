import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../../shared';
import { putIfAbsent } from '../../../platform/aws/dynamo';
import type { ListId } from '../lists';
import type { ListVersionRecord, ListVersionRepository } from '../ports';

/** The item that names a list's current version: `current` for the SDN list (as before there were several), `current#<list>` for the others. */
const currentKey = (list: ListId = 'ofac-sdn') => (list === 'ofac-sdn' ? 'current' : `current#${list}`);

/** List versions, one item each, plus one `current` pointer per list that only moves by a conditional write. */
export class DynamoListVersionRepository implements ListVersionRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async current(list?: ListId): Promise<ListVersionRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { versionId: currentKey(list) }, ConsistentRead: true }));
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

  async promote(versionId: string, expectedCurrent: string | undefined, list?: ListId): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { versionId: currentKey(list), currentVersionId: versionId },
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
