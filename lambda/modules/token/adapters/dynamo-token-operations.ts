import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { INITIAL_CONTROL, type ChainOutcome, type TokenControl, type TokenOperation } from '../operation';
import type { TokenOperationStore } from '../ports';

const CONTROL = 'control';
const operationKey = (operationId: string) => `op#${operationId}`;

/**
 * The token operations table (pk): the control item (`control`) and one item per operation
 * (`op#<id>`). Control and operations change by version (conditional puts); each chain's outcome is
 * its own attribute of the operation's `chains` map, so chains executed at once never overwrite
 * each other.
 */
export class DynamoTokenOperations implements TokenOperationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async control(): Promise<TokenControl> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: CONTROL }, ConsistentRead: true }));
    if (!Item) return INITIAL_CONTROL;
    const { pk: _pk, ...control } = Item;
    return control as TokenControl;
  }

  saveControl(next: TokenControl, previousVersion: number): Promise<boolean> {
    return this.conditionalPut({ ...next, pk: CONTROL }, previousVersion);
  }

  async createOperation(operation: TokenOperation): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...operation, pk: operationKey(operation.operationId) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async operation(operationId: string): Promise<TokenOperation | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: operationKey(operationId) }, ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, ...operation } = Item;
    return operation as TokenOperation;
  }

  saveOperation(next: TokenOperation, previousVersion: number): Promise<boolean> {
    return this.conditionalPut({ ...next, pk: operationKey(next.operationId) }, previousVersion);
  }

  async recordChainOutcome(operationId: string, chainId: number, outcome: ChainOutcome): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: operationKey(operationId) },
        UpdateExpression: 'SET #chains.#chain = :outcome',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#chains': 'chains', '#chain': String(chainId) },
        ExpressionAttributeValues: { ':outcome': outcome },
      }),
    );
  }

  private async conditionalPut(item: Record<string, unknown>, previousVersion: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: previousVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :previous',
          ...(previousVersion === 0 ? {} : { ExpressionAttributeValues: { ':previous': previousVersion } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
