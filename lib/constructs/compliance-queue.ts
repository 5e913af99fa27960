import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueSpec } from '../../lambda/config/system';

/**
 * A dead-letter queue: encrypted, TLS-only, keeping messages for SQS's maximum of 14 days so an
 * operator can inspect and redrive them (README, Deploy). The stack alarms on its first message.
 */
export function createDeadLetterQueue(scope: Construct, id: string, options: { fifo?: boolean } = {}): Queue {
  const queue = new Queue(scope, id, {
    ...(options.fifo ? { fifo: true } : {}),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  const reason =
    'This is a dead-letter queue: messages stay here until an operator redrives them, and an alarm fires on the first one. A further DLQ would only move failures out of sight.';
  Validations.of(queue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason });
  // cdk-nag recognises a DLQ only when another queue's redrive policy names it, not a Lambda, EventBridge or SNS one.
  Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason });
  return queue;
}

export interface ComplianceQueueProps {
  readonly spec: QueueSpec;
  readonly overrides?: Partial<QueueProps>;
}

/** A queue and its dead-letter queue (same FIFO-ness), encrypted, TLS-only, with the spec's redrive policy. */
export class ComplianceQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ComplianceQueueProps) {
    super(scope, id);
    const { spec } = props;
    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue', { fifo: spec.fifo });
    this.queue = new Queue(this, 'Queue', {
      ...(spec.fifo ? { fifo: true } : {}),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
      ...props.overrides,
    });
  }
}
