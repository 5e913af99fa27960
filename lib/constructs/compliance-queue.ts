import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueSpec } from '../../lambda/config/system';

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
    const fifo = spec.fifo ? { fifo: true } : {};
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      ...fifo,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      ...fifo,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
      ...props.overrides,
    });
  }
}
