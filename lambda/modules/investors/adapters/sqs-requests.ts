import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { changeDeduplicationId, changeGroupId, type AllowlistChange, TransientError } from '../../../shared';
import type { AllowlistRequests, ScreeningRequests } from '../ports';
import type { KycEventQueue } from '../../kyc';
import type { RescreenRequests } from '../../screening';

export interface ScreeningMessage {
  readonly investorId: string;
  readonly reason: string;
  /** Re-screens: the list version that asked for it. */
  readonly listVersion?: string;
}

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
        const message: ScreeningMessage = { investorId, reason, listVersion };
        return { Id: String(n), MessageBody: JSON.stringify(message) };
      });
      const { Failed = [] } = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      if (Failed.length > 0) throw new TransientError(`${Failed.length} re-screen request(s) were not queued (${Failed[0]?.Code ?? 'unknown'})`);
    }
  }
}

export class SqsScreeningRequests implements ScreeningRequests {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async request(investorId: string, reason: string): Promise<void> {
    const message: ScreeningMessage = { investorId, reason };
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message) }));
  }
}

export class SqsAllowlistRequests implements AllowlistRequests {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async request(change: AllowlistChange): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(change),
        MessageGroupId: changeGroupId(change),
        MessageDeduplicationId: changeDeduplicationId(change),
      }),
    );
  }
}

/** Hands a stored KYC webhook event to the KYC worker. */
export class SqsKycEventQueue implements KycEventQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(eventKey: string): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify({ eventKey }) }));
  }
}
