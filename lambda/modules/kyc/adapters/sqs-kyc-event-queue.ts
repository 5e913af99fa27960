import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { KycEventMessage } from '../../../shared';
import type { KycEventQueue } from '../ports';

/** Hands a stored KYC webhook event to the KYC worker. */
export class SqsKycEventQueue implements KycEventQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(eventKey: string): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify({ eventKey } satisfies KycEventMessage) }));
  }
}
