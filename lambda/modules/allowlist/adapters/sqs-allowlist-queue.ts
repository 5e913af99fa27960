import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { changeGroupId, type FlushRequest, type RegistryTarget } from '../../../shared';
import { flushRequestDeduplicationId } from '../intake';
import type { DeadLetterReason, DeadLetters, FlushRequests } from '../ports';

/** Message attributes that carry a dead letter's reason; `cli dlq list` shows them. */
export const DEAD_LETTER_ATTRIBUTES = {
  code: 'failureCode',
  reason: 'failureReason',
  attempts: 'attempts',
  failedAt: 'failedAt',
  sourceGroup: 'sourceGroup',
} as const;
/** Source group of messages whose registry could not be read from them. */
const UNROUTED_GROUP = 'unrouted';

const hash = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * The allowlist worker's own sends to its dead-letter queue, with the reason as attributes. Each
 * dead letter gets a group of its own (the source group is an attribute): a FIFO queue hides a
 * group's later messages while one is in flight, which would keep `cli dlq list` from seeing them.
 */
export class SqsDeadLetters implements DeadLetters {
  constructor(
    private readonly client: SQSClient,
    private readonly deadLetterUrl: string,
  ) {}

  async send(message: { body: string; group?: string; key: string }, reason: DeadLetterReason): Promise<void> {
    const text = (value: string) => ({ DataType: 'String', StringValue: value });
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.deadLetterUrl,
        MessageBody: message.body,
        MessageGroupId: `dead-${hash(`${message.group ?? ''}|${message.key}`).slice(0, 32)}`,
        MessageDeduplicationId: hash(`dead|${message.group ?? ''}|${message.key}|${reason.code}`),
        MessageAttributes: {
          [DEAD_LETTER_ATTRIBUTES.code]: text(reason.code),
          [DEAD_LETTER_ATTRIBUTES.reason]: text(reason.reason.slice(0, 1000)),
          [DEAD_LETTER_ATTRIBUTES.attempts]: { DataType: 'Number', StringValue: String(reason.attempts) },
          [DEAD_LETTER_ATTRIBUTES.failedAt]: text(new Date().toISOString()),
          [DEAD_LETTER_ATTRIBUTES.sourceGroup]: text(message.group ?? UNROUTED_GROUP),
        },
      }),
    );
  }
}

/** Flush requests into the registry's FIFO group; a request identical to the last one sent is skipped. */
export class SqsFlushRequests implements FlushRequests {
  private readonly lastSent = new Map<string, string>();

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async requestFlush(target: RegistryTarget, token: string): Promise<void> {
    const group = changeGroupId(target);
    // SQS would drop the repeat anyway (same de-duplication id); this saves the call.
    if (this.lastSent.get(group) === token) return;
    const request: FlushRequest = { flush: { chainId: target.chainId, identityRegistry: target.identityRegistry.toLowerCase() } };
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(request),
        MessageGroupId: group,
        MessageDeduplicationId: flushRequestDeduplicationId(target, token),
      }),
    );
    this.lastSent.set(group, token);
  }
}

export interface DeadLetter {
  readonly messageId: string;
  readonly group?: string;
  readonly code?: string;
  readonly reason?: string;
  readonly attempts?: number;
  readonly failedAt?: string;
  readonly body: string;
}

/** Lists and redrives a FIFO dead-letter queue. */
export class DeadLetterQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly deadLetterUrl: string,
    private readonly sourceUrl: string,
  ) {}

  /**
   * Every message, without consuming any: they are held invisible while listing (a FIFO queue
   * hands out a group's next messages only while the earlier ones are in flight) and released after.
   */
  async list(max = 1000): Promise<DeadLetter[]> {
    const held = await this.receiveAll(max, 60);
    await this.release(held);
    return held.map(toDeadLetter);
  }

  /**
   * Sends the messages back to the source queue, in their groups and order, under a new
   * de-duplication id (the original is still in SQS's window), then deletes them here.
   */
  async redrive(options: { messageIds?: readonly string[]; max?: number; onProgress?: () => void } = {}): Promise<DeadLetter[]> {
    const held = await this.receiveAll(options.max ?? 1000, 300);
    const chosen = options.messageIds ? held.filter((message) => options.messageIds!.includes(message.MessageId!)) : held;
    await this.release(held.filter((message) => !chosen.includes(message)));
    for (const message of chosen) {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.sourceUrl,
          MessageBody: message.Body ?? '',
          MessageGroupId: toDeadLetter(message).group ?? UNROUTED_GROUP,
          MessageDeduplicationId: hash(`redrive|${message.MessageId}`),
        }),
      );
      await this.client.send(new DeleteMessageCommand({ QueueUrl: this.deadLetterUrl, ReceiptHandle: message.ReceiptHandle! }));
      options.onProgress?.();
    }
    return chosen.map(toDeadLetter);
  }

  private async receiveAll(max: number, visibilitySeconds: number): Promise<Message[]> {
    const held: Message[] = [];
    while (held.length < max) {
      const { Messages = [] } = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.deadLetterUrl,
          MaxNumberOfMessages: Math.min(10, max - held.length),
          VisibilityTimeout: visibilitySeconds,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) break;
      held.push(...Messages);
    }
    return held;
  }

  private async release(messages: readonly Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += 10) {
      const entries = messages
        .slice(start, start + 10)
        .map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: 0 }));
      await this.client.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: this.deadLetterUrl, Entries: entries }));
    }
  }
}

function toDeadLetter(message: Message): DeadLetter {
  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
  const attempts = attribute(DEAD_LETTER_ATTRIBUTES.attempts);
  return {
    messageId: message.MessageId!,
    // Messages the queue moved itself (after maxReceiveCount) keep their source group.
    group: attribute(DEAD_LETTER_ATTRIBUTES.sourceGroup) ?? message.Attributes?.MessageGroupId,
    code: attribute(DEAD_LETTER_ATTRIBUTES.code) ?? 'MAX_RECEIVES',
    reason: attribute(DEAD_LETTER_ATTRIBUTES.reason) ?? 'moved by the queue after maxReceiveCount receives',
    attempts: attempts === undefined ? undefined : Number(attempts),
    failedAt: attribute(DEAD_LETTER_ATTRIBUTES.failedAt),
    body: message.Body ?? '',
  };
}
