import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WebhookRefusalCounts } from '../ports';
import { hourOf, type RefusalCount, type WebhookRefusal } from '../refusals';

/** Counters are kept for about 13 months (the table's TTL), longer than any audit period asks of them. */
const KEEP_SECONDS = 400 * 86_400;

/**
 * One item per day, hour, vendor and reason: `{day: "2026-12-02", counter: "2026-12-02T18#veriff#signature:signature_mismatch"}`.
 * Each refusal is one atomic `ADD` (no read, no race); a day's counters are one query.
 */
export class DynamoWebhookRefusals implements WebhookRefusalCounts {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add({ vendor, reason, at }: WebhookRefusal): Promise<void> {
    const hour = hourOf(at);
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { day: hour.slice(0, 10), counter: `${hour}#${vendor}#${reason}` },
        UpdateExpression: 'ADD #count :one SET #hour = :hour, vendor = :vendor, reason = :reason, lastAt = :at, expiresAt = :expires',
        ExpressionAttributeNames: { '#count': 'count', '#hour': 'hour' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':hour': hour,
          ':vendor': vendor,
          ':reason': reason,
          ':at': at.toISOString(),
          ':expires': Math.floor(at.getTime() / 1000) + KEEP_SECONDS,
        },
      }),
    );
  }

  async list(fromHour: string, toHour: string): Promise<readonly RefusalCount[]> {
    const counts: RefusalCount[] = [];
    for (
      let day = new Date(`${fromHour.slice(0, 10)}T00:00:00Z`);
      day.toISOString().slice(0, 10) <= toHour.slice(0, 10);
      day = new Date(day.getTime() + 86_400_000)
    ) {
      let cursor: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: '#day = :day AND #counter BETWEEN :from AND :to',
            ExpressionAttributeNames: { '#day': 'day', '#counter': 'counter' },
            // `~` sorts after every character of a vendor or reason, so the last hour is included whole.
            ExpressionAttributeValues: { ':day': day.toISOString().slice(0, 10), ':from': fromHour, ':to': `${toHour}~` },
            ExclusiveStartKey: cursor,
          }),
        );
        for (const item of page.Items ?? []) {
          counts.push({
            hour: String(item.hour),
            vendor: String(item.vendor),
            reason: String(item.reason),
            count: Number(item.count),
            lastAt: String(item.lastAt),
          });
        }
        cursor = page.LastEvaluatedKey;
      } while (cursor);
    }
    return counts;
  }
}
