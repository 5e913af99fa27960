import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS, SERVICE_NAME } from '../../lambda/config/system';
import { createDeadLetterQueue } from './compliance-queue';

export interface AlarmThresholds {
  /** Rejected webhook signatures per vendor in five minutes that count as a spike. */
  readonly signatureRejectionsPerFiveMinutes: number;
  /** Hours without a completed sanctions-list check before the list counts as stale. */
  readonly listStaleAfterHours: number;
}

export const DEFAULT_THRESHOLDS: AlarmThresholds = { signatureRejectionsPerFiveMinutes: 10, listStaleAfterHours: 24 };

export interface OperationsAlarmsProps {
  /** Dead-letter queues by a readable name: any message in one is an alarm. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  /** Functions by name: any error or throttle is an alarm. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** Queues whose oldest message must not wait longer than the given seconds. */
  readonly queueAgeLimits: readonly { readonly name: string; readonly queue: IQueue; readonly maxAgeSeconds: number }[];
  /** KYC vendors whose webhook signature rejections are watched for spikes. */
  readonly vendors: readonly string[];
  /** Subscribed to the alarm topic when given (the address must confirm the subscription). */
  readonly email?: string;
  readonly thresholds?: Partial<AlarmThresholds>;
}

/**
 * Every alarm the stack promises, all notifying one KMS-encrypted, TLS-only SNS topic on alarm and
 * on recovery. Alarm descriptions say what broke and where the runbook is (README, Deploy).
 */
export class OperationsAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const thresholds = { ...DEFAULT_THRESHOLDS, ...props.thresholds };
    const key = new Key(this, 'TopicKey', { enableKeyRotation: true, description: `${SERVICE_NAME} alarm topic` });
    // CloudWatch publishes to an encrypted topic only if the key lets it; the AWS-managed SNS key never does.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', { displayName: `${SERVICE_NAME} alarms`, masterKey: key, enforceSSL: true });
    if (props.email) {
      const undelivered = createDeadLetterQueue(this, 'UndeliveredNotificationsQueue');
      this.topic.addSubscription(new EmailSubscription(props.email, { deadLetterQueue: undelivered }));
      this.add(
        'UndeliveredNotificationsAlarm',
        'An alarm notification could not be delivered to the subscribed address; check the subscription.',
        anyMessageIn(undelivered),
      );
    }

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.add(
        `${name}DeadLetters`,
        `A message reached the ${name} dead-letter queue: it failed every retry. Inspect it, fix the cause, then redrive (README, Deploy: Redriving a DLQ).`,
        anyMessageIn(queue),
      );
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(
        `${name}Errors`,
        `The ${name} function failed (an invocation ended in an error). Its log group has the error with correlation ids.`,
        fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      );
      this.add(
        `${name}Throttles`,
        `The ${name} function was throttled: work is delayed and may reach a DLQ.`,
        fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
      );
    }
    for (const { name, queue, maxAgeSeconds } of props.queueAgeLimits) {
      this.add(
        `${name}QueueAge`,
        `A message has waited more than ${maxAgeSeconds} s in the ${name} queue: its consumer is stuck or failing.`,
        queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }),
        { threshold: maxAgeSeconds, comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD },
      );
    }

    // One datapoint per hour; the alarm fires only when every hour of the window had no check at all.
    const hours = thresholds.listStaleAfterHours;
    this.add(
      'SanctionsListStale',
      `No sanctions-list check completed in ${hours} h: screening may run against a stale list.`,
      new Metric({
        namespace: METRICS.namespace,
        metricName: METRICS.sanctionsListChecked,
        dimensionsMap: { service: SERVICE_NAME },
        statistic: 'Sum',
        period: Duration.hours(1),
      }),
      {
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: hours,
        datapointsToAlarm: hours,
        treatMissingData: TreatMissingData.BREACHING,
      },
    );

    for (const vendor of props.vendors) {
      const limit = thresholds.signatureRejectionsPerFiveMinutes;
      this.add(
        `${vendor}SignatureRejections`,
        `${limit} or more ${vendor} webhooks failed signature or timestamp checks in 5 minutes: a rotated secret not yet added, or forged requests.`,
        new Metric({
          namespace: METRICS.namespace,
          metricName: METRICS.webhookSignatureRejected,
          dimensionsMap: { service: SERVICE_NAME, vendor },
          statistic: 'Sum',
          period: Duration.minutes(5),
        }),
        { threshold: limit },
      );
    }
  }

  private add(
    id: string,
    description: string,
    metric: IMetric,
    options: Partial<{
      threshold: number;
      comparisonOperator: ComparisonOperator;
      evaluationPeriods: number;
      datapointsToAlarm: number;
      treatMissingData: TreatMissingData;
    }> = {},
  ): void {
    const alarm = new Alarm(this, id, {
      metric,
      alarmDescription: description,
      threshold: options.threshold ?? 1,
      comparisonOperator: options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm,
      treatMissingData: options.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}

function anyMessageIn(queue: IQueue): IMetric {
  return queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' });
}
