import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TransientError, type ScreeningRequestMessage } from '../../../shared';
import type { RescreenRequests } from '../ports';

/** SQS takes at most 10 messages per batch call. */
const SQS_BATCH = 10;

/** Re-screen requests for a whole book, ten per call; a partly failed batch fails the refresh, which is retried (re-screens are idempotent). */
export class SqsRescreenRequests implements RescreenRequests {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async requestMany(investorIds: readonly string[], reason: string, listVersion: string): Promise<void> {
    for (let i = 0; i < investorIds.length; i += SQS_BATCH) {
      const entries = investorIds.slice(i, i + SQS_BATCH).map((investorId, n) => {
        const message: ScreeningRequestMessage = { investorId, reason, listVersion };
        return { Id: String(n), MessageBody: JSON.stringify(message) };
      });
      const { Failed = [] } = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      if (Failed.length > 0) throw new TransientError(`${Failed.length} re-screen request(s) were not queued (${Failed[0]?.Code ?? 'unknown'})`);
    }
  }
}
