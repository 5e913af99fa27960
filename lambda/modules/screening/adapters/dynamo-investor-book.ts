import { paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InvestorBook } from '../ports';
import { investorKey } from '../../investors/adapters';

/**
 * Every investor id, a page at a time, by a scan of the investors table (investor items only, not
 * the externalId uniqueness items). A list refresh reads the book once, so a scan is the right tool.
 */
export class DynamoInvestorBook implements InvestorBook {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async *investorIds(): AsyncIterable<readonly string[]> {
    const pages = paginateScan(
      { client: this.client },
      {
        TableName: this.tableName,
        FilterExpression: 'begins_with(pk, :investor)',
        ProjectionExpression: 'investorId',
        ExpressionAttributeValues: { ':investor': investorKey('') },
      },
    );
    for await (const page of pages) {
      const ids = (page.Items ?? []).map((item) => item.investorId as string);
      if (ids.length > 0) yield ids;
    }
  }
}
