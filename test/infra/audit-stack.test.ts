import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SnapshotBucket } from '../../lib/constructs/snapshot-bucket';
import { FUNCTIONS, TABLES } from '../../lambda/config/system';
import { synthesize } from '../helpers/infra';

const { template } = synthesize();

/** Every action a function's role may take on resources whose reference mentions `resourceId`. */
function actionsOn(functionId: string, resourceId: string): string[] {
  const actions: string[] = [];
  for (const [id, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    if (!id.startsWith(functionId)) continue;
    for (const statement of policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]) {
      if (JSON.stringify(statement.Resource).includes(resourceId)) actions.push(...([] as string[]).concat(statement.Action));
    }
  }
  return actions;
}

const logicalId = (type: string, prefix: string) => Object.keys(template.findResources(type)).find((id) => id.startsWith(prefix))!;

describe('audit trail on AWS', () => {
  it('keeps checkpoints in a versioned bucket with Object Lock in compliance mode for ten years', () => {
    const bucket = template.findResources('AWS::S3::Bucket')[logicalId('AWS::S3::Bucket', 'AuditCheckpointsBucket')]!;
    expect(bucket.Properties.ObjectLockEnabled).toBe(true);
    expect(bucket.Properties.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3653 } } });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.DeletionPolicy).toBe('Retain');
  });

  it('adds Object Lock only where a bucket spec asks for it, in the mode it asks for', () => {
    const stack = new Stack();
    new SnapshotBucket(stack, 'Plain');
    new SnapshotBucket(stack, 'Governed', { objectLock: { mode: 'governance', retentionYears: 1 } });
    const buckets = Object.entries(Template.fromStack(stack).findResources('AWS::S3::Bucket'));
    expect(buckets.find(([id]) => id.startsWith('Plain'))![1].Properties.ObjectLockEnabled).toBeUndefined();
    expect(buckets.find(([id]) => id.startsWith('Governed'))![1].Properties.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({
      Mode: 'GOVERNANCE',
      Days: 366,
    });
  });

  it("gives the audit table its auditors' indexes", () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'stream', KeyType: 'HASH' },
        { AttributeName: 'seq', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLES.audit.indexes.map((index) =>
        Match.objectLike({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: 'at', KeyType: 'RANGE' },
          ],
        }),
      ),
    });
  });

  it('lets the checkpointer only add and read: records, checkpoint objects, and signatures', () => {
    const table = logicalId('AWS::DynamoDB::Table', 'AuditTable');
    const bucket = logicalId('AWS::S3::Bucket', 'AuditCheckpointsBucket');
    expect(new Set(actionsOn('AuditCheckpointFunction', table))).toEqual(new Set(['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:GetItem']));
    const objectActions = actionsOn('AuditCheckpointFunction', bucket);
    expect(objectActions).toEqual(expect.arrayContaining(['s3:PutObject', 's3:GetObject']));
    expect(objectActions.filter((action) => action.startsWith('s3:Put') || /Delete|Retention|LegalHold|Governance|Abort/.test(action))).toEqual([
      's3:PutObject',
    ]);
    expect(actionsOn('AuditCheckpointFunction', logicalId('AWS::KMS::Key', 'AuditSignerKey')).sort()).toEqual(['kms:GetPublicKey', 'kms:Sign']);
  });

  it('keeps the auditor API read-only on the audit table and the checkpoints', () => {
    const tableActions = actionsOn('AuditApiFunction', logicalId('AWS::DynamoDB::Table', 'AuditTable'));
    expect(tableActions).toContain('dynamodb:Query');
    expect(tableActions.filter((action) => /Put|Update|Delete|Write/.test(action))).toEqual([]);
    expect(actionsOn('AuditApiFunction', logicalId('AWS::S3::Bucket', 'AuditCheckpointsBucket')).filter((action) => /Put|Delete/.test(action))).toEqual([]);
  });

  it('signs with a P-256 KMS key and seals checkpoints on the declared schedule', () => {
    template.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: FUNCTIONS.auditCheckpoint.schedule,
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditCheckpointFunction'), 'Arn'] } })],
    });
  });
});
