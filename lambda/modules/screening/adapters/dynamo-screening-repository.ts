import { GetCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../../../shared';
import type { ScreeningRecord, ScreeningRepository } from '../ports';
import { putIfAbsent } from '../../../platform/aws/dynamo';

const screeningKey = (listVersion: string, subjectHash: string) => `${listVersion}#${subjectHash}`;

/** Screenings: one item per (investor, list version, screened data), written once. */
export class DynamoScreeningRepository implements ScreeningRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async saveIfAbsent(record: ScreeningRecord): Promise<ScreeningRecord> {
    if (await putIfAbsent(this.client, this.tableName, { ...record, screeningKey: screeningKey(record.listVersion, record.subjectHash) }, 'screeningKey'))
      return record;
    const stored = await this.find(record.investorId, record.listVersion, record.subjectHash);
    if (!stored) throw new TransientError(`the screening of investor ${record.investorId} was there, then gone; retry`);
    return stored;
  }

  async find(investorId: string, listVersion: string, subjectHash: string): Promise<ScreeningRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { investorId, screeningKey: screeningKey(listVersion, subjectHash) }, ConsistentRead: true }),
    );
    return Item ? withoutKey(Item) : undefined;
  }

  /** An investor has one item per list version they were screened against: few enough to read all. */
  async latest(investorId: string): Promise<ScreeningRecord | undefined> {
    let latest: ScreeningRecord | undefined;
    for (const record of await this.history(investorId)) if (!latest || record.screenedAt > latest.screenedAt) latest = record;
    return latest;
  }

  async history(investorId: string): Promise<ScreeningRecord[]> {
    const records: ScreeningRecord[] = [];
    const pages = paginateQuery(
      { client: this.client },
      { TableName: this.tableName, KeyConditionExpression: 'investorId = :id', ExpressionAttributeValues: { ':id': investorId }, ConsistentRead: true },
    );
    for await (const page of pages) records.push(...(page.Items ?? []).map(withoutKey));
    return records;
  }
}

function withoutKey(item: Record<string, unknown>): ScreeningRecord {
  const { screeningKey: _key, ...record } = item;
  return record as unknown as ScreeningRecord;
}
