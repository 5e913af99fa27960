import { Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Access, BucketAccess, TableSpec } from '../lambda/config/system';

/*
 * The one mapping from the access levels of lambda/config/system.ts to IAM actions. Every action is
 * spelled out: no wildcard actions, so a reviewer reads exactly what a function may do, and a new
 * action in an AWS service never widens a grant silently.
 */

const DYNAMODB_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan'] as const;
// ConditionCheckItem is what a ConditionCheck inside TransactWriteItems needs.
const DYNAMODB_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem'] as const;

export const TABLE_ACTIONS: Readonly<Record<Access, readonly string[]>> = {
  read: DYNAMODB_READ,
  write: DYNAMODB_WRITE,
  readWrite: [...DYNAMODB_READ, ...DYNAMODB_WRITE],
  // Insert-only (the audit log): conditional puts (also inside transactions) and the reads that find
  // a stream's head. Never Update, Delete or BatchWrite, which could rewrite history.
  append: ['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:GetItem'],
  // Counters (refused webhooks): an atomic ADD, nothing read, nothing deleted.
  count: ['dynamodb:UpdateItem'],
};

/** The actions that also work on a table's secondary indexes. */
const INDEX_ACTIONS = new Set(['dynamodb:Query', 'dynamodb:Scan']);

/**
 * DynamoDB calls KMS with the caller's credentials for customer-managed keys: reads decrypt, writes
 * also encrypt (the explicit form of CDK's `kms:ReEncrypt*` and `kms:GenerateDataKey*`).
 */
const TABLE_KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'] as const;
const TABLE_KEY_WRITE = [
  ...TABLE_KEY_READ,
  'kms:Encrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
] as const;

export const BUCKET_ACTIONS: Readonly<Record<BucketAccess, { objects: readonly string[]; bucket: readonly string[] }>> = {
  read: { objects: ['s3:GetObject'], bucket: ['s3:ListBucket'] },
  write: { objects: ['s3:PutObject'], bucket: [] },
  readWrite: { objects: ['s3:GetObject', 's3:PutObject'], bucket: ['s3:ListBucket'] },
  // Like the insert-only table: add objects and read them back, never delete them or change their
  // retention. With versioning (and Object Lock where declared) a put never destroys an earlier object.
  append: { objects: ['s3:PutObject', 's3:GetObject'], bucket: ['s3:ListBucket'] },
};

export const QUEUE_SEND_ACTIONS = ['sqs:SendMessage'] as const;
export const SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue'] as const;
export const SIGNING_KEY_ACTIONS = ['kms:Sign', 'kms:GetPublicKey'] as const;

/** The table and exactly the indexes the access level can use, plus its key when it has a customer-managed one. */
export function grantTableAccess(grantee: IGrantable, table: ITable, spec: TableSpec, access: Access): void {
  if (spec.insertOnly && access !== 'append' && access !== 'read') {
    throw new Error(`Table ${spec.envVar} is insert-only: declare 'append' or 'read' access, not '${access}'`);
  }
  const actions = TABLE_ACTIONS[access];
  const indexes = spec.indexes ?? [];
  Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [table.tableArn] });
  const indexActions = actions.filter((action) => INDEX_ACTIONS.has(action));
  if (indexes.length > 0 && indexActions.length > 0) {
    Grant.addToPrincipal({ grantee, actions: indexActions, resourceArns: indexes.map((index) => `${table.tableArn}/index/${index.name}`) });
  }
  if (table.encryptionKey) {
    const keyActions = access === 'read' ? TABLE_KEY_READ : TABLE_KEY_WRITE;
    // The key stays usable only through DynamoDB: a function cannot call KMS with it directly.
    const viaDynamoDb = { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(table).region}.${Stack.of(table).urlSuffix}` } };
    Grant.addToPrincipal({ grantee, actions: [...keyActions], resourceArns: [table.encryptionKey.keyArn], conditions: viaDynamoDb });
  }
}

export function grantBucketAccess(grantee: IGrantable, bucket: IBucket, access: BucketAccess): void {
  const { objects, bucket: bucketActions } = BUCKET_ACTIONS[access];
  Grant.addToPrincipal({ grantee, actions: [...objects], resourceArns: [bucket.arnForObjects('*')] });
  if (bucketActions.length > 0) Grant.addToPrincipal({ grantee, actions: [...bucketActions], resourceArns: [bucket.bucketArn] });
}

/** One action list on one resource: queues, secrets and signing keys. */
export function grantActions(grantee: IGrantable, actions: readonly string[], resourceArn: string): void {
  Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [resourceArn] });
}
