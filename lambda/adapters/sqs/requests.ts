import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { changeDeduplicationId, changeGroupId, type AllowlistChange, type AllowlistRequests } from '../../domain/allowlist';
import type { ScreeningRequests } from '../../domain/investors';
import type { KycEventQueue } from '../../domain/kyc/receive';

export interface ScreeningMessage {
  readonly investorId: string;
  readonly reason: string;
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
