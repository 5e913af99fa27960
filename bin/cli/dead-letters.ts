import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DeadLetterQueue } from '../../lambda/modules/allowlist/adapters';
import { FUNCTION_SPECS, QUEUES, type FunctionName, type FunctionSpec, type QueueName, type QueueSpec } from '../../lambda/config/system';

/**
 * Every dead-letter queue of the system, as the stack creates them (lib/treasury-compliance-stack.ts):
 * one per queue, where messages land after their last receive, and one per scheduled function,
 * where EventBridge puts invocations that failed every retry. Those have no queue to go back to:
 * the function's next scheduled run does the work.
 */
export interface DeadLetterQueueSpec {
  /** As in the stack's output `<Name>DeadLetterQueueArn`: `kyc`, `allowlist`, `kycExpiryInvocations`. */
  readonly name: string;
  /** Where the CLI finds the queue's URL (or its ARN, as the stack outputs it). */
  readonly envVar: string;
  /** The stack output naming it. */
  readonly output: string;
  readonly fifo: boolean;
  /** The queue its messages came from and go back to; none for a scheduled function's. */
  readonly source?: { readonly queue: QueueName; readonly envVar: string };
  /** The scheduled function whose failed invocations it holds. */
  readonly scheduledFunction?: { readonly name: string; readonly schedule: string };
}

const pascal = (name: string) => name.replace(/^\w/, (letter) => letter.toUpperCase());
const constant = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();

/** The dead-letter queues of a system definition (the deployed one by default). */
export function deadLetterQueuesOf(
  system: { queues: Readonly<Record<string, QueueSpec>>; functions: Readonly<Record<string, FunctionSpec>> } = { queues: QUEUES, functions: FUNCTION_SPECS },
): DeadLetterQueueSpec[] {
  const ofQueues = Object.entries(system.queues).map(([name, spec]) => ({
    name,
    envVar: spec.deadLetterEnvVar,
    output: `${pascal(name)}DeadLetterQueueArn`,
    fifo: spec.fifo,
    source: { queue: name as QueueName, envVar: spec.envVar },
  }));
  const ofSchedules = Object.entries(system.functions)
    .filter(([, spec]) => spec.schedule)
    .map(([name, spec]) => ({
      name: `${name}Invocations`,
      envVar: `${constant(name)}_INVOCATIONS_DLQ_URL`,
      output: `${pascal(name)}InvocationsDeadLetterQueueArn`,
      fifo: false,
      scheduledFunction: { name: name as FunctionName, schedule: spec.schedule! },
    }));
  return [...ofQueues, ...ofSchedules];
}

/** A queue URL from a URL or the ARN the stack outputs (`arn:aws:sqs:<region>:<account>:<name>`). */
export function queueUrlOf(urlOrArn: string): string {
  const arn = /^arn:aws[\w-]*:sqs:([\w-]+):(\d{12}):([\w.-]+)$/.exec(urlOrArn.trim());
  return arn ? `https://sqs.${arn[1]}.amazonaws.com/${arn[2]}/${arn[3]}` : urlOrArn.trim();
}

/** One dead letter, with what its queue knows of why it failed. */
export interface Letter {
  readonly messageId: string;
  /** The FIFO group it came from (the allowlist's chain and registry). */
  readonly group?: string;
  readonly code?: string;
  readonly reason?: string;
  readonly attempts?: number;
  readonly failedAt?: string;
  readonly body: string;
  /** How often the source queue handed it out before moving it here, where SQS says. */
  readonly receives?: number;
  readonly sentAt?: string;
}

export interface DeadLetterReader {
  count(): Promise<number>;
  list(max?: number): Promise<Letter[]>;
  redrive(options: { messageIds?: readonly string[]; onProgress?: () => void }): Promise<Letter[]>;
}

/** EventBridge's attributes on a failed invocation it dead-letters. */
const EVENTBRIDGE_ATTRIBUTES = { code: 'ERROR_CODE', reason: 'ERROR_MESSAGE', attempts: 'RETRY_ATTEMPTS' } as const;

function letterOf(message: Message): Letter {
  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
  const receives = message.Attributes?.ApproximateReceiveCount;
  const sent = message.Attributes?.SentTimestamp;
  const attempts = attribute(EVENTBRIDGE_ATTRIBUTES.attempts);
  return {
    messageId: message.MessageId!,
    code: attribute(EVENTBRIDGE_ATTRIBUTES.code) ?? 'MAX_RECEIVES',
    reason: attribute(EVENTBRIDGE_ATTRIBUTES.reason) ?? 'moved by the queue after maxReceiveCount receives; the consumer logged why',
    attempts: attempts === undefined ? undefined : Number(attempts),
    receives: receives === undefined ? undefined : Number(receives),
    sentAt: sent === undefined ? undefined : new Date(Number(sent)).toISOString(),
    body: message.Body ?? '',
  };
}

/**
 * A standard (non-FIFO) dead-letter queue: listing holds the messages invisible for a minute and
 * releases them; redriving sends each back to its source queue, attributes included, then deletes it.
 */
export class StandardDeadLetterQueue implements DeadLetterReader {
  constructor(
    private readonly client: SQSClient,
    private readonly deadLetterUrl: string,
    private readonly sourceUrl?: string,
  ) {}

  async count(): Promise<number> {
    return approximateCount(this.client, this.deadLetterUrl);
  }

  async list(max = 1000): Promise<Letter[]> {
    const held = await this.receiveAll(max, 60);
    await this.release(held);
    return held.map(letterOf);
  }

  async redrive(options: { messageIds?: readonly string[]; onProgress?: () => void }): Promise<Letter[]> {
    if (!this.sourceUrl) throw new Error('this dead-letter queue has no source queue to send its messages back to');
    const held = await this.receiveAll(1000, 300);
    const chosen = options.messageIds ? held.filter((message) => options.messageIds!.includes(message.MessageId!)) : held;
    await this.release(held.filter((message) => !chosen.includes(message)));
    for (const message of chosen) {
      await this.client.send(
        new SendMessageCommand({ QueueUrl: this.sourceUrl, MessageBody: message.Body ?? '', MessageAttributes: sendable(message.MessageAttributes) }),
      );
      await this.client.send(new DeleteMessageCommand({ QueueUrl: this.deadLetterUrl, ReceiptHandle: message.ReceiptHandle! }));
      options.onProgress?.();
    }
    return chosen.map(letterOf);
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

/** The allowlist's FIFO dead-letter queue, through the allowlist module's own adapter (it knows the groups and reasons). */
export class AllowlistDeadLetterQueue implements DeadLetterReader {
  private readonly queue: DeadLetterQueue;

  constructor(
    private readonly client: SQSClient,
    private readonly deadLetterUrl: string,
    sourceUrl: string,
  ) {
    this.queue = new DeadLetterQueue(client, deadLetterUrl, sourceUrl);
  }

  count(): Promise<number> {
    return approximateCount(this.client, this.deadLetterUrl);
  }

  list(max?: number): Promise<Letter[]> {
    return this.queue.list(max);
  }

  redrive(options: { messageIds?: readonly string[]; onProgress?: () => void }): Promise<Letter[]> {
    return this.queue.redrive(options);
  }
}

async function approximateCount(client: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

/** Received attributes as SendMessage takes them (SQS returns list fields it refuses on send). */
function sendable(attributes: Record<string, MessageAttributeValue> | undefined): Record<string, MessageAttributeValue> | undefined {
  if (!attributes || Object.keys(attributes).length === 0) return undefined;
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      { DataType: value.DataType, ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : { BinaryValue: value.BinaryValue }) },
    ]),
  );
}
