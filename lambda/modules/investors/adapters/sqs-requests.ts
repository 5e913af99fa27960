import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { changeDeduplicationId, changeGroupId, type AllowlistChange, type ScreeningRequestMessage } from '../../../shared';
import type { AllowlistRequests, ScreeningRequests } from '../ports';

export class SqsScreeningRequests implements ScreeningRequests {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async request(investorId: string, reason: string): Promise<void> {
    const message: ScreeningRequestMessage = { investorId, reason };
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
