import { Match } from 'aws-cdk-lib/assertions';
import { METRICS, SERVICE_NAME } from '../../lambda/config/system';
import { DEFAULT_THRESHOLDS } from '../../lib/constructs/operations-alarms';
import { SYSTEM } from '../../lib/treasury-compliance-stack';
import { SYNTHETIC_SYSTEM, TEST_VENDORS, logicalId, pascal, synthesize } from '../helpers/infra';

describe.each([
  ['system.ts', SYSTEM],
  ['synthetic', SYNTHETIC_SYSTEM],
])('alarms (%s)', (_label, system) => {
  const { template } = synthesize({ system, alarmEmail: 'ops@example.com' });
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
  const topic = logicalId(template, 'AWS::SNS::Topic', 'AlarmsTopic');
  const alarmsOn = (metricName: string, dimension: { Name: string; Value: unknown }) =>
    alarms.filter((alarm) => alarm.Properties.MetricName === metricName && JSON.stringify(alarm.Properties.Dimensions).includes(JSON.stringify(dimension)));

  it('notifies one KMS-encrypted, TLS-only topic that CloudWatch may publish to', () => {
    const topics = template.findResources('AWS::SNS::Topic');
    expect(Object.keys(topics)).toEqual([topic]);
    const keyId = topics[topic]!.Properties.KmsMasterKeyId['Fn::GetAtt'][0] as string;
    const key = template.findResources('AWS::KMS::Key')[keyId]!;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const keyPolicy = key.Properties.KeyPolicy.Statement as { Principal?: { Service?: string }; Action: string[] }[];
    expect(keyPolicy.find((statement) => statement.Principal?.Service === 'cloudwatch.amazonaws.com')?.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('sends every alarm and its recovery to the topic', () => {
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topic }]);
      expect(alarm.Properties.AlarmDescription).toEqual(expect.any(String));
    }
  });

  it('alarms on the first message in every dead-letter queue: of queues, schedules and the alarm subscription', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const deadLetterIds = new Set<string>();
    for (const queue of Object.values(queues))
      if (queue.Properties.RedrivePolicy) deadLetterIds.add(queue.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]);
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function')))
      if (fn.Properties.DeadLetterConfig) deadLetterIds.add(fn.Properties.DeadLetterConfig.TargetArn['Fn::GetAtt'][0]);
    for (const subscription of Object.values(template.findResources('AWS::SNS::Subscription')))
      deadLetterIds.add(subscription.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]);
    const scheduled = Object.values(system.functions).filter((spec) => spec.schedule).length;
    expect(deadLetterIds.size).toBe(Object.keys(system.queues).length + scheduled + 1);
    for (const id of deadLetterIds) {
      const [alarm, ...more] = alarmsOn('ApproximateNumberOfMessagesVisible', { Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } });
      expect(more).toEqual([]);
      expect(alarm?.Properties).toMatchObject({
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('alarms on any error and any throttle of every function', () => {
    for (const name of Object.keys(system.functions)) {
      const fn = { Name: 'FunctionName', Value: { Ref: logicalId(template, 'AWS::Lambda::Function', `${pascal(name)}Function`) } };
      for (const metric of ['Errors', 'Throttles']) {
        const [alarm, ...more] = alarmsOn(metric, fn);
        expect(more).toEqual([]);
        expect(alarm?.Properties).toMatchObject({
          Namespace: 'AWS/Lambda',
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        });
      }
    }
  });

  it('alarms when a message waits too long in a queue that declares a limit, such as the allowlist queue', () => {
    const limited = Object.entries(system.queues).filter(([, spec]) => spec.oldestMessageAlarmSeconds !== undefined);
    expect(limited.map(([name]) => name)).toContain('allowlist');
    expect(alarms.filter((alarm) => alarm.Properties.MetricName === 'ApproximateAgeOfOldestMessage')).toHaveLength(limited.length);
    for (const [name, spec] of limited) {
      const [alarm] = alarmsOn('ApproximateAgeOfOldestMessage', {
        Name: 'QueueName',
        Value: { 'Fn::GetAtt': [logicalId(template, 'AWS::SQS::Queue', `${pascal(name)}Queue`), 'QueueName'] },
      });
      expect(alarm?.Properties).toMatchObject({ Threshold: spec.oldestMessageAlarmSeconds, ComparisonOperator: 'GreaterThanThreshold', Statistic: 'Maximum' });
    }
  });

  it('alarms when no sanctions-list check completed for 24 hours, counting silence as breaching', () => {
    const [alarm, ...more] = alarmsOn(METRICS.sanctionsListChecked, { Name: 'service', Value: SERVICE_NAME });
    expect(more).toEqual([]);
    expect(alarm?.Properties).toMatchObject({
      Namespace: METRICS.namespace,
      Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: DEFAULT_THRESHOLDS.listStaleAfterHours,
      DatapointsToAlarm: DEFAULT_THRESHOLDS.listStaleAfterHours,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    expect(alarm!.Properties.Period * alarm!.Properties.EvaluationPeriods).toBe(24 * 3600);
  });

  it('alarms on a spike of webhook signature rejections, per vendor', () => {
    const spikes = alarms.filter((alarm) => alarm.Properties.MetricName === METRICS.webhookSignatureRejected);
    expect(spikes).toHaveLength(TEST_VENDORS.length);
    for (const vendor of TEST_VENDORS) {
      const [alarm] = alarmsOn(METRICS.webhookSignatureRejected, { Name: 'vendor', Value: vendor });
      expect(alarm?.Properties).toMatchObject({
        Namespace: METRICS.namespace,
        Dimensions: expect.arrayContaining([
          { Name: 'service', Value: SERVICE_NAME },
          { Name: 'vendor', Value: vendor },
        ]),
        Statistic: 'Sum',
        Period: 300,
        Threshold: DEFAULT_THRESHOLDS.signatureRejectionsPerFiveMinutes,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('subscribes the alarm address with undeliverable notifications kept in a DLQ', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topic },
      RedrivePolicy: Match.anyValue(),
    });
  });
});

describe('alarms without vendors or an address', () => {
  it('still synthesises, without signature or subscription alarms', () => {
    const { template } = synthesize({ vendors: [] });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.filter((alarm) => alarm.Properties.MetricName === METRICS.webhookSignatureRejected)).toEqual([]);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});
