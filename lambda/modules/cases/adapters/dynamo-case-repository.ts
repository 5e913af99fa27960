import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError, TransientError } from '../../../shared';
import { putIfAbsent } from '../../../platform/aws/dynamo';
import type { Case, CaseQuery, CaseStatus } from '../case';
import type { CaseRepository } from '../ports';

/** The cases table's index by status, oldest first (see TABLES.cases in lambda/config/system.ts). */
const BY_STATUS = 'byStatus';

export class DynamoCaseRepository implements CaseRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async openIfAbsent(candidate: Case): Promise<{ case: Case; opened: boolean }> {
    if (await putIfAbsent(this.client, this.tableName, { ...candidate }, 'caseId')) return { case: candidate, opened: true };
    const existing = await this.get(candidate.caseId);
    if (!existing) throw new TransientError(`case ${candidate.caseId} was there, then gone; retry`);
    return { case: existing, opened: false };
  }

  async get(caseId: string): Promise<Case | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { caseId }, ConsistentRead: true }));
    return Item as Case | undefined;
  }

  async save(next: Case): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: next,
          ConditionExpression: 'version = :previous',
          ExpressionAttributeValues: { ':previous': next.version - 1 },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new ConflictError(`case ${next.caseId} changed concurrently (expected version ${next.version - 1})`, { cause: error });
      throw error;
    }
  }

  async find(query: CaseQuery, limit: number): Promise<Case[]> {
    const pages = await Promise.all(query.statuses.map((status) => this.findInStatus(status, query, limit)));
    return pages.flat();
  }

  /** One status, oldest first; filters other than age run server-side after the key condition, so pages may come back short. */
  private async findInStatus(status: CaseStatus, query: CaseQuery, limit: number): Promise<Case[]> {
    const names: Record<string, string> = { '#status': 'status' };
    if (query.openedAfter || query.openedBefore) names['#openedAt'] = 'openedAt';
    const values: Record<string, unknown> = { ':status': status };
    let keyCondition = '#status = :status';
    if (query.openedAfter && query.openedBefore) {
      keyCondition += ' AND #openedAt BETWEEN :after AND :before';
      Object.assign(values, { ':after': query.openedAfter, ':before': query.openedBefore });
    } else if (query.openedAfter) {
      keyCondition += ' AND #openedAt >= :after';
      values[':after'] = query.openedAfter;
    } else if (query.openedBefore) {
      keyCondition += ' AND #openedAt <= :before';
      values[':before'] = query.openedBefore;
    }
    const filters: string[] = [];
    for (const field of ['type', 'risk', 'assignee', 'investorId'] as const) {
      if (query[field] === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = query[field];
      filters.push(`#${field} = :${field}`);
    }
    const found: Case[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: BY_STATUS,
          KeyConditionExpression: keyCondition,
          FilterExpression: filters.length > 0 ? filters.join(' AND ') : undefined,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ExclusiveStartKey,
        }),
      );
      found.push(...((page.Items ?? []) as Case[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey && found.length < limit);
    return found.slice(0, limit);
  }
}
