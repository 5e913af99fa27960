import { createHash } from 'node:crypto';
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export type SqsLambda = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface PollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly batchSize: number;
  readonly invoke: SqsLambda;
  readonly context: () => Context;
  readonly onError?: (error: unknown) => void;
  /** Batches in flight at once, as Lambda scales an event source mapping of a standard queue (1 when absent). */
  readonly concurrency?: number;
}

/**
 * Lambda's SQS event source mapping, locally: long-polls the queue, hands real SQS event batches
 * to the handler, deletes what succeeded and leaves reported failures (and whole batches whose
 * invocation threw) to reappear after the visibility timeout, so the queue's redrive policy moves
 * them to the dead-letter queue after maxReceiveCount receives, exactly as on AWS.
 */
export class QueuePoller {
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private queueArn = '';
  /** Batches handed to the function so far; tests and the runner use it to know work happened. */
  invocations = 0;

  constructor(private readonly options: PollerOptions) {}

  async start(): Promise<void> {
    const { Attributes } = await this.options.sqs.send(new GetQueueAttributesCommand({ QueueUrl: this.options.queueUrl, AttributeNames: ['QueueArn'] }));
    this.queueArn = Attributes?.QueueArn ?? '';
    this.running = Promise.all(Array.from({ length: Math.max(1, this.options.concurrency ?? 1) }, () => this.loop())).then(() => undefined);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        await this.pollOnce();
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private async pollOnce(): Promise<void> {
    const { Messages } = await this.options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: this.options.batchSize,
        WaitTimeSeconds: 5,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: this.abort.signal },
    );
    if (!Messages?.length) return;

    const event: SQSEvent = { Records: Messages.map((message) => toSqsRecord(message, this.queueArn)) };
    let failed: Set<string>;
    try {
      this.invocations++;
      const result = await this.options.invoke(event, this.options.context());
      failed = new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      this.options.onError?.(error);
      return; // the whole batch is retried
    }
    const done = Messages.filter((message) => !failed.has(message.MessageId!));
    if (done.length > 0) {
      await this.options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
        }),
      );
    }
  }
}

/** A received message as Lambda's SQS event source passes it to the function. */
export function toSqsRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(attributes.MessageGroupId ? { MessageGroupId: attributes.MessageGroupId } : {}),
      ...(attributes.MessageDeduplicationId ? { MessageDeduplicationId: attributes.MessageDeduplicationId } : {}),
      ...(attributes.SequenceNumber ? { SequenceNumber: attributes.SequenceNumber } : {}),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          dataType: value.DataType ?? 'String',
          stringValue: value.StringValue,
          binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : undefined,
          stringListValues: [],
          binaryListValues: [],
        },
      ]),
    ),
    md5OfBody:
      message.MD5OfBody ??
      createHash('md5')
        .update(message.Body ?? '')
        .digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}
