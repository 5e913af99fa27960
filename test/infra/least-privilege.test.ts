import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Template } from 'aws-cdk-lib/assertions';
import type { Access, BucketAccess, BucketName, FunctionSpec, TableName } from '../../lambda/config/system';
import { BUCKET_ACTIONS, QUEUE_SEND_ACTIONS, SECRET_READ_ACTIONS, SIGNING_KEY_ACTIONS, TABLE_ACTIONS } from '../../lib/least-privilege';
import { SYSTEM, type SystemDefinition } from '../../lib/treasury-compliance-stack';
import { SYNTHETIC_SYSTEM, getAtt, logicalId, pascal, synthesize } from '../helpers/infra';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

const VIA_DYNAMODB = { StringEquals: { 'kms:ViaService': join('dynamodb.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }) } };
const TABLE_KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const TABLE_KEY_WRITE = [
  ...TABLE_KEY_READ,
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];
const CONSUME_ACTIONS = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'];
const XRAY_ACTIONS = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

/** Every Allow statement of every policy and role in the template. */
function allStatements(template: Template): Statement[] {
  const fromPolicies = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
  const fromManaged = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
  const fromRoles = Object.values(template.findResources('AWS::IAM::Role')).flatMap((role) =>
    ((role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((policy) => policy.PolicyDocument.Statement),
  );
  return [...fromPolicies, ...fromManaged, ...fromRoles].filter((statement) => statement.Effect === 'Allow');
}

const grantKey = (resource: unknown, condition?: unknown) => `${JSON.stringify(resource)}${condition ? ` when ${JSON.stringify(condition)}` : ''}`;

/** What a role may do, as `resource (when condition)` to sorted actions. */
function grantsOfRole(template: Template, roleId: string): Record<string, string[]> {
  const grants = new Map<string, Set<string>>();
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`),
  );
  for (const statement of policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])) {
    for (const resource of asArray(statement.Resource)) {
      const key = grantKey(resource, statement.Condition);
      const actions = grants.get(key) ?? new Set<string>();
      for (const action of asArray(statement.Action)) actions.add(action);
      grants.set(key, actions);
    }
  }
  return Object.fromEntries([...grants].map(([key, actions]) => [key, [...actions].sort()]));
}

function roleOf(template: Template, functionName: string): string {
  const fn = template.findResources('AWS::Lambda::Function')[logicalId(template, 'AWS::Lambda::Function', `${pascal(functionName)}Function`)]!;
  return fn.Properties.Role['Fn::GetAtt'][0] as string;
}

/** What a function should be able to do, derived from its spec and nothing else. */
function expectedGrants(template: Template, system: SystemDefinition, name: string, spec: FunctionSpec): Record<string, string[]> {
  const grants = new Map<string, Set<string>>();
  const add = (resource: unknown, actions: readonly string[], condition?: unknown) => {
    const key = grantKey(resource, condition);
    grants.set(key, new Set([...(grants.get(key) ?? []), ...actions]));
  };
  const id = (type: string, resourceName: string) => logicalId(template, type, resourceName);
  const fn = template.findResources('AWS::Lambda::Function')[id('AWS::Lambda::Function', `${pascal(name)}Function`)]!;
  add(getAtt(fn.Properties.LoggingConfig.LogGroup.Ref as string), ['logs:CreateLogStream', 'logs:PutLogEvents']);
  add('*', XRAY_ACTIONS);
  for (const [table, access] of Object.entries(spec.tables ?? {}) as [TableName, Access][]) {
    const tableId = id('AWS::DynamoDB::Table', `${pascal(table)}Table`);
    add(getAtt(tableId), TABLE_ACTIONS[access]);
    const indexActions = TABLE_ACTIONS[access].filter((action) => action === 'dynamodb:Query' || action === 'dynamodb:Scan');
    for (const index of system.tables[table].indexes ?? []) if (indexActions.length > 0) add(join(getAtt(tableId), `/index/${index.name}`), indexActions);
    add(getAtt(id('AWS::KMS::Key', `${pascal(table)}TableKey`)), access === 'read' ? TABLE_KEY_READ : TABLE_KEY_WRITE, VIA_DYNAMODB);
  }
  for (const queue of spec.sendsTo ?? []) add(getAtt(id('AWS::SQS::Queue', `${pascal(queue)}Queue`)), QUEUE_SEND_ACTIONS);
  for (const queue of spec.deadLetters ?? []) add(getAtt(id('AWS::SQS::Queue', `${pascal(queue)}QueueDeadLetterQueue`)), QUEUE_SEND_ACTIONS);
  if (spec.consumes) add(getAtt(id('AWS::SQS::Queue', `${pascal(spec.consumes)}Queue`)), CONSUME_ACTIONS);
  for (const [bucket, access] of Object.entries(spec.buckets ?? {}) as [BucketName, BucketAccess][]) {
    const bucketId = id('AWS::S3::Bucket', `${pascal(bucket)}Bucket`);
    add(join(getAtt(bucketId), '/*'), BUCKET_ACTIONS[access].objects);
    if (BUCKET_ACTIONS[access].bucket.length > 0) add(getAtt(bucketId), BUCKET_ACTIONS[access].bucket);
  }
  for (const key of spec.kmsKeys ?? []) add(getAtt(id('AWS::KMS::Key', `${pascal(key)}Key`)), SIGNING_KEY_ACTIONS);
  for (const secret of spec.secrets ?? []) add({ Ref: id('AWS::SecretsManager::Secret', `${pascal(secret)}Secret`) }, SECRET_READ_ACTIONS);
  if (spec.schedule) add(getAtt(id('AWS::SQS::Queue', `${pascal(name)}DeadLetterQueue`)), ['sqs:SendMessage']);
  return Object.fromEntries([...grants].map(([key, actions]) => [key, [...actions].sort()]));
}

describe('the access-level mapping (documented in docs/ARCHITECTURE.md)', () => {
  it('spells out every action: no wildcard in any level', () => {
    const everyAction = [
      ...Object.values(TABLE_ACTIONS).flat(),
      ...Object.values(BUCKET_ACTIONS).flatMap((level) => [...level.objects, ...level.bucket]),
      ...QUEUE_SEND_ACTIONS,
      ...SECRET_READ_ACTIONS,
      ...SIGNING_KEY_ACTIONS,
    ];
    expect(everyAction.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('lets append put, query and get, and nothing that rewrites an item', () => {
    expect([...TABLE_ACTIONS.append].sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
  });

  it('lets count only update (an atomic ADD): no read, put or delete', () => {
    expect(TABLE_ACTIONS.count).toEqual(['dynamodb:UpdateItem']);
  });

  it('keeps read free of writes and write free of reads', () => {
    expect(TABLE_ACTIONS.read.filter((action) => /Put|Update|Delete|Write|ConditionCheck/.test(action))).toEqual([]);
    expect(TABLE_ACTIONS.write.filter((action) => /Get|Query|Scan/.test(action))).toEqual([]);
    expect([...TABLE_ACTIONS.readWrite].sort()).toEqual([...TABLE_ACTIONS.read, ...TABLE_ACTIONS.write].sort());
    expect(BUCKET_ACTIONS.read.objects).toEqual(['s3:GetObject']);
    // append reads back what it wrote (checkpoints chain to the previous one) but never deletes.
    expect([...BUCKET_ACTIONS.append.objects].sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect([...BUCKET_ACTIONS.append.objects, ...BUCKET_ACTIONS.append.bucket].filter((action) => /Delete|Retention|LegalHold|Lifecycle/.test(action))).toEqual(
      [],
    );
  });
});

describe.each([
  ['system.ts', SYSTEM],
  ['synthetic', SYNTHETIC_SYSTEM],
])('least privilege (%s)', (_label, system) => {
  const { template } = synthesize({ system, alarmEmail: 'ops@example.com' });
  const functions = Object.entries(system.functions) as [string, FunctionSpec][];

  it.each(functions.map(([name]) => [name]))('gives %s exactly the actions and resources its spec uses', (name) => {
    expect(grantsOfRole(template, roleOf(template, name))).toEqual(expectedGrants(template, system, name, system.functions[name]!));
  });

  it('has no wildcard action in any policy, and a wildcard resource only for X-Ray, which has no resource-level permissions', () => {
    const statements = allStatements(template);
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.flatMap((statement) => asArray(statement.Action)).filter((action) => action.includes('*'))).toEqual([]);
    const anyResource = statements.filter((statement) => asArray(statement.Resource).includes('*'));
    for (const statement of anyResource) expect([...asArray(statement.Action)].sort()).toEqual(XRAY_ACTIONS);
  });

  it('uses no AWS managed policy on any role', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('never lets anything update, delete or batch-write the insert-only audit table', () => {
    const auditTable = JSON.stringify(getAtt(logicalId(template, 'AWS::DynamoDB::Table', 'AuditTable')));
    const onAudit = allStatements(template).filter((statement) => asArray(statement.Resource).some((resource) => JSON.stringify(resource) === auditTable));
    expect(onAudit.length).toBeGreaterThan(0);
    const allowed = new Set([...TABLE_ACTIONS.append, ...TABLE_ACTIONS.read]);
    expect(onAudit.flatMap((statement) => asArray(statement.Action)).filter((action) => !allowed.has(action))).toEqual([]);
  });

  it('lets only the functions that declare a signing key sign with it', () => {
    for (const key of new Set(functions.flatMap(([, spec]) => spec.kmsKeys ?? []))) {
      const keyArn = JSON.stringify(getAtt(logicalId(template, 'AWS::KMS::Key', `${pascal(key)}Key`)));
      const signers = functions.filter(([name]) => Object.keys(grantsOfRole(template, roleOf(template, name))).includes(keyArn)).map(([name]) => name);
      expect(signers).toEqual(functions.filter(([, spec]) => spec.kmsKeys?.includes(key)).map(([name]) => name));
    }
  });
});

describe('the least-privilege checks catch a broken stack', () => {
  it('notices one action more than the spec asks for', () => {
    const { template } = synthesize({
      tamper: (stack) =>
        stack.functions.investorsApi!.addToRolePolicy(
          new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [stack.tables.audit.table.tableArn] }),
        ),
    });
    expect(grantsOfRole(template, roleOf(template, 'investorsApi'))).not.toEqual(
      expectedGrants(template, SYSTEM, 'investorsApi', SYSTEM.functions.investorsApi!),
    );
  });

  it('notices a wildcard action', () => {
    const { template } = synthesize({
      tamper: (stack) =>
        stack.functions.screeningWorker!.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:*'], resources: [stack.tables.cases.table.tableArn] })),
    });
    expect(
      allStatements(template)
        .flatMap((statement) => asArray(statement.Action))
        .filter((action) => action.includes('*')),
    ).toEqual(['dynamodb:*']);
  });
});
