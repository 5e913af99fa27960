import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Case, CaseRepository } from '../../domain/cases';

export class DynamoCaseRepository implements CaseRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async openIfAbsent(candidate: Case): Promise<{ case: Case; opened: boolean }> {
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: candidate, ConditionExpression: 'attribute_not_exists(caseId)' }));
      return { case: candidate, opened: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.get(candidate.caseId);
      if (!existing) throw error;
      return { case: existing, opened: false };
    }
  }

  async get(caseId: string): Promise<Case | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { caseId }, ConsistentRead: true }));
    return Item as Case | undefined;
  }
}
