import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { TreasuryComplianceStack } from '../../lib/treasury-compliance-stack';
import { FUNCTIONS, QUEUES, ROUTES, TABLES } from '../../lambda/config/system';

const chains = [
  {
    chainId: 11155111,
    name: 'sepolia',
    rpcUrl: 'https://rpc.example.invalid',
    identityRegistry: '0x2279b7a0a67db372996a5fab50d91eaa73d2ebe6',
    identityFactory: '0x3aa5ebb10dc797cac828524e59a333d0a371443c',
    token: '0xa51c1fc2f0d1a1b8494ed1fe312d7c3a78ed91c0',
    confirmations: 2,
  },
];

/** Synthesised once, without bundling (bundling is exercised by `npx cdk synth`). */
const template = Template.fromStack(new TreasuryComplianceStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test', { chains }));

describe('TreasuryComplianceStack', () => {
  it('creates one table per spec, each with point-in-time recovery and deletion protection', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', Object.keys(TABLES).length);
    for (const table of Object.values(template.findResources('AWS::DynamoDB::Table'))) {
      expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
      expect(table.DeletionPolicy).toBe('Retain');
    }
  });

  it('makes the allowlist queue FIFO with a FIFO dead-letter queue and the spec\'s maxReceiveCount', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const allowlist = Object.entries(queues).find(([id]) => /^AllowlistQueue[0-9A-F]{8}$/.test(id));
    expect(allowlist).toBeDefined();
    const [, { Properties: properties }] = allowlist!;
    expect(properties.FifoQueue).toBe(true);
    expect(properties.RedrivePolicy.maxReceiveCount).toBe(QUEUES.allowlist.maxReceiveCount);
    const deadLetterId = properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0] as string;
    expect(deadLetterId).toMatch(/^AllowlistQueueDeadLetterQueue/);
    expect(queues[deadLetterId]!.Properties.FifoQueue).toBe(true);
  });

  it('gives every queue a dead-letter queue, encryption and a TLS-only policy', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const mains = Object.entries(queues).filter(([id]) => !id.includes('DeadLetter'));
    expect(mains).toHaveLength(Object.keys(QUEUES).length);
    for (const [, queue] of mains) expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBeGreaterThan(0);
    for (const queue of Object.values(queues)) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    template.resourcePropertiesCountIs('AWS::SQS::QueuePolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } }, Object.keys(queues).length);
  });

  it('reports batch item failures on every queue event source', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', Object.keys(QUEUES).length);
    template.allResourcesProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  it('runs every function on nodejs24.x, arm64', () => {
    template.resourceCountIs('AWS::Lambda::Function', Object.keys(FUNCTIONS).length);
    template.allResourcesProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Architectures: ['arm64'] });
  });

  it('never grants UpdateItem or DeleteItem on the insert-only audit table', () => {
    const auditTable = Object.keys(template.findResources('AWS::DynamoDB::Table')).find((id) => id.startsWith('AuditTable'))!;
    const auditActions: string[] = [];
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      for (const statement of policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]) {
        if (!JSON.stringify(statement.Resource).includes(auditTable)) continue;
        auditActions.push(...([] as string[]).concat(statement.Action));
      }
    }
    expect(auditActions).toContain('dynamodb:PutItem');
    expect(auditActions.filter((action) => /UpdateItem|DeleteItem|BatchWriteItem|\*/.test(action))).toEqual([]);
  });

  it('puts every non-public route behind the Cognito JWT authorizer', () => {
    const authorizers = template.findResources('AWS::ApiGatewayV2::Authorizer');
    expect(Object.values(authorizers).map((authorizer) => authorizer.Properties.AuthorizerType)).toEqual(['JWT']);
    const routes = template.findResources('AWS::ApiGatewayV2::Route');
    for (const spec of ROUTES) {
      const route = Object.values(routes).find((candidate) => candidate.Properties.RouteKey === `${spec.method} ${spec.path}`);
      expect(route?.Properties.AuthorizationType).toBe(spec.auth === 'public' ? 'NONE' : 'JWT');
    }
  });

  it('runs the sanctions list refresh on its schedule, with write access to the snapshot bucket and read-only access for the screening worker', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const refreshId = Object.keys(functions).find((id) => id.startsWith('SanctionsRefreshFunction'))!;
    expect(refreshId).toBeDefined();
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: FUNCTIONS.sanctionsRefresh.schedule,
      Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [refreshId, 'Arn'] } })]),
    });
    const bucketActions = (functionPrefix: string) => {
      const actions: string[] = [];
      for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
        if (!JSON.stringify(policy.Properties.Roles).includes(functionPrefix)) continue;
        for (const statement of policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]) {
          if (JSON.stringify(statement.Resource).includes('ListSnapshotsBucket')) actions.push(...([] as string[]).concat(statement.Action));
        }
      }
      return actions;
    };
    expect(bucketActions('SanctionsRefreshFunction')).toEqual(expect.arrayContaining(['s3:PutObject', 's3:GetObject*']));
    expect(bucketActions('ScreeningWorkerFunction')).toContain('s3:GetObject*');
    expect(bucketActions('ScreeningWorkerFunction').filter((action) => action.startsWith('s3:Put') || action.startsWith('s3:Delete'))).toEqual([]);
  });
});
