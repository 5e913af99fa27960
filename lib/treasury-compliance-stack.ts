import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, CfnUserPoolGroup, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { chainsConfigSchema, type ChainConfig } from '../lambda/config/chains';
import {
  BUCKETS,
  FUNCTION_SPECS,
  KMS_KEYS,
  SECRETS,
  QUEUES,
  ROLES,
  ROUTES,
  TABLES,
  type Access,
  type BucketName,
  type BucketSpec,
  type FunctionName,
  type KmsKeyName,
  type SecretName,
  environmentFor,
  type QueueName,
  type TableName,
} from '../lambda/config/system';
import { ComplianceFunction } from './constructs/compliance-function';
import { ComplianceQueue } from './constructs/compliance-queue';
import { ComplianceTable } from './constructs/compliance-table';
import { SnapshotBucket } from './constructs/snapshot-bucket';

export interface TreasuryComplianceStackProps extends StackProps {
  /** The token's chains; the allowlist refuses to start without at least one. */
  readonly chains: readonly ChainConfig[];
}

/**
 * Everything lambda/config/system.ts declares, on AWS: tables, queues with dead-letter queues, the
 * snapshot bucket, the functions with exactly the grants their specs ask for, the HTTP API with a
 * Cognito JWT authorizer, and the queue event sources with partial batch responses.
 */
export class TreasuryComplianceStack extends Stack {
  readonly tables: Record<TableName, ComplianceTable>;
  readonly queues: Record<QueueName, ComplianceQueue>;
  readonly buckets: Record<BucketName, SnapshotBucket>;
  readonly functions: Record<FunctionName, NodejsFunction>;
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: TreasuryComplianceStackProps) {
    super(scope, id, props);
    const chains = chainsConfigSchema.safeParse(props.chains);
    if (!chains.success) Annotations.of(this).addWarning('No valid chain configuration: pass -c chains=\'[...]\' (see README, Deploy). The allowlist worker will refuse to start.');

    this.tables = mapValues(TABLES, (spec, name) => new ComplianceTable(this, `${pascal(name)}Table`, { spec }));
    this.queues = mapValues(QUEUES, (spec, name) => new ComplianceQueue(this, `${pascal(name)}Queue`, { spec }));
    this.buckets = mapValues(BUCKETS, (spec: BucketSpec, name) => new SnapshotBucket(this, `${pascal(name)}Bucket`, { objectLock: spec.objectLock }));

    // Keys and secrets exist only if some function uses them.
    const keys = new Map<KmsKeyName, Key>();
    const keyFor = (name: KmsKeyName) => {
      let key = keys.get(name);
      if (!key) {
        key = new Key(this, `${pascal(name)}Key`, { keySpec: KeySpec[KMS_KEYS[name].keySpec], keyUsage: KeyUsage.SIGN_VERIFY, description: `treasury-compliance ${name}` });
        keys.set(name, key);
      }
      return key;
    };
    const secrets = new Map<SecretName, Secret>();
    const secretFor = (name: SecretName) => {
      let secret = secrets.get(name);
      if (!secret) {
        // Created empty; operators put the value (README, Deploy). Several values per vendor allow rotation.
        secret = new Secret(this, `${pascal(name)}Secret`, { description: SECRETS[name].description });
        secrets.set(name, secret);
      }
      return secret;
    };
    const names = {
      table: (table: TableName) => this.tables[table].table.tableName,
      queue: (queue: QueueName) => this.queues[queue].queue.queueUrl,
      bucket: (bucket: BucketName) => this.buckets[bucket].bucket.bucketName,
      chains: () => JSON.stringify(chains.success ? chains.data : []),
      kmsKey: (key: KmsKeyName) => keyFor(key).keyId,
      secret: (secret: SecretName) => secretFor(secret).secretArn,
    };
    this.functions = mapValues(FUNCTION_SPECS, (spec, name) => {
      const fn = new ComplianceFunction(this, `${pascal(name)}Function`, { name, spec, environment: environmentFor(spec, names) }).fn;
      for (const [table, access] of Object.entries(spec.tables ?? {}) as [TableName, Access][]) grantTable(this.tables[table], fn, access);
      for (const queue of spec.sendsTo ?? []) this.queues[queue].queue.grantSendMessages(fn);
      for (const [bucket, access] of Object.entries(spec.buckets ?? {}) as [BucketName, Access][]) grantBucket(this.buckets[bucket], fn, access);
      for (const key of spec.kmsKeys ?? []) keyFor(key).grant(fn, 'kms:Sign', 'kms:GetPublicKey');
      for (const secret of spec.secrets ?? []) secretFor(secret).grantRead(fn);
      if (spec.consumes) {
        fn.addEventSource(new SqsEventSource(this.queues[spec.consumes].queue, { batchSize: QUEUES[spec.consumes].batchSize, reportBatchItemFailures: true }));
      }
      if (spec.schedule) {
        new Rule(this, `${pascal(name)}Schedule`, { schedule: Schedule.expression(spec.schedule), targets: [new LambdaFunction(fn)] });
      }
      return fn;
    });

    const userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: { minLength: 14, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
    });
    for (const role of ROLES) new CfnUserPoolGroup(this, `${pascal(role)}Group`, { userPoolId: userPool.userPoolId, groupName: role });
    const client = new UserPoolClient(this, 'ApiClient', { userPool, authFlows: { userSrp: true } });
    const authorizer: IHttpRouteAuthorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', userPool, { userPoolClients: [client] });

    this.api = new HttpApi(this, 'Api', {
      description: 'treasury-compliance: KYC webhooks, investors, cases, audit',
      corsPreflight: { allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST], allowOrigins: [] },
      createDefaultStage: true,
    });
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const route of ROUTES) {
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascal(route.function)}Integration`, this.functions[route.function]);
        integrations.set(route.function, integration);
      }
      this.api.addRoutes({
        path: route.path,
        methods: [route.method as HttpMethod],
        integration,
        authorizer: route.auth === 'public' ? new HttpNoneAuthorizer() : authorizer,
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
  }
}

function grantTable(table: ComplianceTable, grantee: IGrantable, access: Access): void {
  switch (access) {
    case 'read':
      table.table.grantReadData(grantee);
      return;
    case 'write':
      table.table.grantWriteData(grantee);
      return;
    case 'readWrite':
      table.table.grantReadWriteData(grantee);
      return;
    case 'append':
      // Insert-only: conditional PutItem plus the reads that find a stream's head; never Update or Delete.
      table.table.grant(grantee, 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:GetItem');
      return;
  }
}

function grantBucket(bucket: SnapshotBucket, grantee: IGrantable, access: Access): void {
  if (access === 'read') bucket.bucket.grantRead(grantee);
  else if (access === 'write') bucket.bucket.grantPut(grantee);
  else if (access === 'append') {
    // Like the insert-only table: add and read objects; never delete them or touch their retention.
    Grant.addToPrincipal({ grantee, actions: ['s3:PutObject'], resourceArns: [bucket.bucket.arnForObjects('*')] });
    bucket.bucket.grantRead(grantee);
  } else bucket.bucket.grantReadWrite(grantee);
}

function mapValues<K extends string, V, R>(record: Record<K, V>, map: (value: V, key: K) => R): Record<K, R> {
  return Object.fromEntries((Object.entries(record) as [K, V][]).map(([key, value]) => [key, map(value, key)])) as Record<K, R>;
}

function pascal(name: string): string {
  return name.replace(/(^|[-_])(\w)/g, (_m, _sep, letter: string) => letter.toUpperCase()).replace(/^\w/, (letter) => letter.toUpperCase());
}
