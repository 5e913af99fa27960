import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, CfnUserPoolGroup, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { chainsConfigSchema, type ChainConfig } from '../lambda/config/chains';
import {
  BUCKETS,
  FUNCTION_SPECS,
  QUEUES,
  ROLES,
  ROUTES,
  TABLES,
  type Access,
  type BucketName,
  type FunctionName,
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
    this.buckets = mapValues(BUCKETS, (_spec, name) => new SnapshotBucket(this, `${pascal(name)}Bucket`));

    const names = {
      table: (table: TableName) => this.tables[table].table.tableName,
      queue: (queue: QueueName) => this.queues[queue].queue.queueUrl,
      bucket: (bucket: BucketName) => this.buckets[bucket].bucket.bucketName,
      chains: () => JSON.stringify(chains.success ? chains.data : []),
    };
    this.functions = mapValues(FUNCTION_SPECS, (spec, name) => {
      const fn = new ComplianceFunction(this, `${pascal(name)}Function`, { name, spec, environment: environmentFor(spec, names) }).fn;
      for (const [table, access] of Object.entries(spec.tables ?? {}) as [TableName, Access][]) grantTable(this.tables[table], fn, access);
      for (const queue of spec.sendsTo ?? []) this.queues[queue].queue.grantSendMessages(fn);
      for (const [bucket, access] of Object.entries(spec.buckets ?? {}) as [BucketName, Access][]) grantBucket(this.buckets[bucket], fn, access);
      if (spec.consumes) {
        fn.addEventSource(new SqsEventSource(this.queues[spec.consumes].queue, { batchSize: QUEUES[spec.consumes].batchSize, reportBatchItemFailures: true }));
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
  else if (access === 'append' || access === 'write') bucket.bucket.grantPut(grantee);
  else bucket.bucket.grantReadWrite(grantee);
}

function mapValues<K extends string, V, R>(record: Record<K, V>, map: (value: V, key: K) => R): Record<K, R> {
  return Object.fromEntries((Object.entries(record) as [K, V][]).map(([key, value]) => [key, map(value, key)])) as Record<K, R>;
}

function pascal(name: string): string {
  return name.replace(/(^|[-_])(\w)/g, (_m, _sep, letter: string) => letter.toUpperCase()).replace(/^\w/, (letter) => letter.toUpperCase());
}
