import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TransientError, tokenGroupId, type TokenOperationMessage } from '../../../shared';
import type { TokenOperationRequests } from '../ports';

/** One message per chain on the token queue (FIFO: a chain's operations run in request order), de-duplicated per operation and chain. */
export class SqsTokenOperationRequests implements TokenOperationRequests {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async execute(operationId: string, chainIds: readonly number[]): Promise<void> {
    for (let start = 0; start < chainIds.length; start += 10) {
      const entries = chainIds.slice(start, start + 10).map((chainId, index) => {
        const message: TokenOperationMessage = { operationId, chainId };
        return {
          Id: String(index),
          MessageBody: JSON.stringify(message),
          MessageGroupId: tokenGroupId(chainId),
          MessageDeduplicationId: `${operationId}:${chainId}`,
        };
      });
      const { Failed = [] } = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      if (Failed.length > 0) throw new TransientError(`${Failed.length} token operation message(s) were not queued; retry`);
    }
  }
}
