import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import { lambdaContext } from '../../bin/local/lambda-context';
import { QueuePoller } from '../../bin/local/sqs-poller';
import { sqsClient } from '../../lambda/platform/aws/sqs';

async function queueWithDeadLetter(fifo: boolean, maxReceiveCount: number) {
  const sqs = sqsClient();
  const suffix = fifo ? '.fifo' : '';
  const id = randomBytes(4).toString('hex');
  const attributes: Record<string, string> = fifo ? { FifoQueue: 'true' } : {};
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `poller-${id}-dlq${suffix}`, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }));
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: `poller-${id}${suffix}`,
      Attributes: { ...attributes, VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount }) },
    }),
  );
  return { queueUrl: main.QueueUrl!, deadLetterUrl: dlq.QueueUrl! };
}

async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('QueuePoller (Lambda SQS event source, locally) on fauxqs', () => {
  it('delivers real SQS records, deletes successes and redelivers reported failures until they land in the DLQ', async () => {
    const { queueUrl, deadLetterUrl } = await queueWithDeadLetter(false, 2);
    const sqs = sqsClient();
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ ok: true }) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ ok: false }) }));

    const seen: { body: string; receiveCount: string; arn: string }[] = [];
    const poller = new QueuePoller({
      sqs,
      queueUrl,
      batchSize: 10,
      context: () => lambdaContext('test', 10, 128),
      invoke: async (event: SQSEvent): Promise<SQSBatchResponse> => {
        for (const record of event.Records)
          seen.push({ body: record.body, receiveCount: record.attributes.ApproximateReceiveCount, arn: record.eventSourceARN });
        return {
          batchItemFailures: event.Records.filter((record) => !(JSON.parse(record.body) as { ok: boolean }).ok).map((record) => ({
            itemIdentifier: record.messageId,
          })),
        };
      },
    });
    await poller.start();
    try {
      const dead = await eventually(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: deadLetterUrl, WaitTimeSeconds: 1 }))).Messages?.[0]);
      expect(JSON.parse(dead.Body!)).toEqual({ ok: false });
    } finally {
      await poller.stop();
    }
    expect(seen.filter((record) => record.body.includes('true'))).toHaveLength(1);
    expect(seen.filter((record) => record.body.includes('false')).map((record) => record.receiveCount)).toEqual(['1', '2']);
    expect(seen[0]!.arn).toMatch(/^arn:aws:sqs:/);
  });

  it('passes FIFO group ids and keeps a whole thrown batch for redelivery', async () => {
    const { queueUrl } = await queueWithDeadLetter(true, 5);
    const sqs = sqsClient();
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'a', MessageGroupId: 'g1', MessageDeduplicationId: 'a' }));
    let calls = 0;
    const groups: string[] = [];
    const poller = new QueuePoller({
      sqs,
      queueUrl,
      batchSize: 10,
      context: () => lambdaContext('test', 10, 128),
      invoke: async (event: SQSEvent) => {
        calls++;
        groups.push(...event.Records.map((record) => record.attributes.MessageGroupId ?? ''));
        if (calls === 1) throw new Error('cold start failed');
      },
    });
    await poller.start();
    try {
      await eventually(async () => (calls >= 2 ? true : undefined));
    } finally {
      await poller.stop();
    }
    expect(groups).toEqual(['g1', 'g1']);
  });
});

describe('fauxqs FIFO receives, as SQS gives them (patches/fauxqs+2.4.1.patch)', () => {
  it('hands out up to 10 messages of one group in order, none of the group while any is in flight, and returns them in sequence order', async () => {
    const { queueUrl } = await queueWithDeadLetter(true, 5);
    const sqs = sqsClient();
    for (let index = 1; index <= 12; index++)
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `m${index}`, MessageGroupId: 'g1', MessageDeduplicationId: `m${index}` }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'other', MessageGroupId: 'g2', MessageDeduplicationId: 'other' }));
    const receive = async () =>
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }))).Messages ?? [];

    const first = await receive();
    expect(first.map((message) => message.Body)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10']);
    expect((await receive()).map((message) => message.Body)).toEqual(['other']);

    // m5 then m3 become visible again; the group stays locked until the rest are deleted.
    const handle = (body: string) => first.find((message) => message.Body === body)!.ReceiptHandle!;
    for (const body of ['m5', 'm3'])
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: handle(body), VisibilityTimeout: 0 }));
    expect(await receive()).toEqual([]);
    for (const message of first.filter((candidate) => !['m3', 'm5'].includes(candidate.Body!)))
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
    expect((await receive()).map((message) => message.Body)).toEqual(['m3', 'm5', 'm11', 'm12']);
  });
});
