import { Annotations, CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Role } from 'aws-cdk-lib/aws-iam';
import { Alias, Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { chainsConfigSchema, type ChainConfig, type ChainConfigInput } from '../lambda/config/chains';
import {
  BUCKETS,
  FUNCTION_SPECS,
  KMS_KEYS,
  SECRETS,
  SETTINGS,
  QUEUES,
  ROUTES,
  SERVICE_NAME,
  TABLES,
  type Access,
  type BucketAccess,
  type BucketName,
  type BucketSpec,
  type FunctionSpec,
  type KmsKeyName,
  type QueueSpec,
  type RouteSpec,
  type SecretName,
  type SettingName,
  type TableSpec,
  environmentFor,
  type QueueName,
  type TableName,
} from '../lambda/config/system';
import { ComplianceApi } from './constructs/compliance-api';
import { CONSOLE_SCOPES, ComplianceConsole } from './constructs/compliance-console';
import { ComplianceFunction } from './constructs/compliance-function';
import { ComplianceQueue, createDeadLetterQueue } from './constructs/compliance-queue';
import { ComplianceTable } from './constructs/compliance-table';
import { OperationsAlarms, type AlarmThresholds } from './constructs/operations-alarms';
import { SnapshotBucket } from './constructs/snapshot-bucket';
import { QUEUE_SEND_ACTIONS, SECRET_READ_ACTIONS, SIGNING_KEY_ACTIONS, grantActions, grantBucketAccess, grantTableAccess } from './least-privilege';

/** What the stack builds: lambda/config/system.ts by default; tests pass variations of it. */
export interface SystemDefinition {
  readonly tables: Readonly<Record<TableName, TableSpec>>;
  readonly queues: Readonly<Record<QueueName, QueueSpec>>;
  readonly buckets: Readonly<Record<BucketName, BucketSpec>>;
  readonly functions: Readonly<Record<string, FunctionSpec>>;
  readonly routes: readonly (Omit<RouteSpec, 'function'> & { readonly function: string })[];
}

export const SYSTEM: SystemDefinition = { tables: TABLES, queues: QUEUES, buckets: BUCKETS, functions: FUNCTION_SPECS, routes: ROUTES };

export interface TreasuryComplianceStackProps extends StackProps {
  /** The token's chains; the allowlist refuses to start without at least one. */
  readonly chains: readonly ChainConfigInput[];
  /** KYC vendors (the `{vendor}` of their webhook route): each gets a signature-rejection alarm. */
  readonly vendors?: readonly string[];
  /** Subscribed to the alarm topic. */
  readonly alarmEmail?: string;
  /** Non-secret settings (`-c blockedCountries=CU,IR`); each defaults to SETTINGS in system.ts. */
  readonly settings?: Partial<Record<SettingName, string>>;
  readonly alarmThresholds?: Partial<AlarmThresholds>;
  /** Cognito domain prefix for managed login and machine clients' token endpoint (`-c authDomainPrefix=...`); default `<stack name>-<account id>`. */
  readonly authDomainPrefix?: string;
  /** The console on a domain of the fund's (`-c consoleDomainName=... -c consoleCertificateArn=...`, certificate in us-east-1). */
  readonly consoleDomain?: { readonly name: string; readonly certificateArn: string };
  /** A WAF web ACL (CLOUDFRONT scope) in front of the console (`-c consoleWebAclArn=...`). */
  readonly consoleWebAclArn?: string;
  readonly system?: SystemDefinition;
}

/**
 * Everything the system definition declares, on AWS, with secure defaults: encrypted tables and
 * queues with dead-letter queues, private buckets with access logs, functions with exactly the
 * grants their specs ask for (lib/least-privilege.ts), the HTTP API behind Cognito, schedules,
 * signing keys, secrets, and alarms on one SNS topic. cdk-nag's AwsSolutions and Serverless packs
 * (lib/nag.ts) pass with every acknowledgement written next to what it acknowledges.
 */
export class TreasuryComplianceStack extends Stack {
  readonly tables: Record<TableName, ComplianceTable>;
  readonly queues: Record<QueueName, ComplianceQueue>;
  readonly buckets: Record<BucketName, SnapshotBucket>;
  readonly functions: Record<string, NodejsFunction>;
  readonly api: ComplianceApi;
  readonly console: ComplianceConsole;
  readonly alarms: OperationsAlarms;

  constructor(scope: Construct, id: string, props: TreasuryComplianceStackProps) {
    super(scope, id, props);
    const system = props.system ?? SYSTEM;
    const chains = chainsConfigSchema.safeParse(props.chains);
    if (!chains.success)
      Annotations.of(this).addWarningV2(
        'treasury-compliance:no-chains',
        "No valid chain configuration: pass -c chains='[...]' (see README, Deploy). The allowlist worker will refuse to start.",
      );
    const vendors = props.vendors ?? [];
    if (vendors.length === 0)
      Annotations.of(this).addWarningV2(
        'treasury-compliance:no-vendors',
        'No KYC vendors: pass -c vendors=\'["<vendor>", ...]\' (see README, Deploy) to alarm on webhook signature rejections.',
      );

    this.tables = mapValues(system.tables, (spec, name) => new ComplianceTable(this, `${pascal(name)}Table`, { spec }));
    this.queues = mapValues(system.queues, (spec, name) => new ComplianceQueue(this, `${pascal(name)}Queue`, { spec }));
    const accessLogs = accessLogsBucket(this);
    this.buckets = mapValues(
      system.buckets,
      (spec, name) => new SnapshotBucket(this, `${pascal(name)}Bucket`, { serverAccessLogsBucket: accessLogs, objectLock: spec.objectLock }),
    );

    // Keys and secrets exist only if some function uses them.
    const keyFor = memo((name: KmsKeyName) => {
      // Asymmetric signing keys cannot rotate; replacing one means a new on-chain agent or checkpoint key.
      const key = new Key(this, `${pascal(name)}Key`, {
        keySpec: KeySpec[KMS_KEYS[name].keySpec],
        keyUsage: KeyUsage.SIGN_VERIFY,
        description: `${SERVICE_NAME} ${name}`,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      new Alias(this, `${pascal(name)}KeyAlias`, { aliasName: `alias/${this.stackName}/${name}`, targetKey: key });
      return key;
    });
    const secretFor = memo((name: SecretName) => {
      // Created as an empty JSON object, so functions fail closed until an operator puts the value;
      // the template never changes it again, so a deploy cannot overwrite a rotated value.
      const secret = new Secret(this, `${pascal(name)}Secret`, {
        description: SECRETS[name].description,
        secretStringValue: SecretValue.unsafePlainText('{}'),
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Issued by third parties (KYC vendors, RPC providers), so no rotation Lambda can create a new value; operators rotate by hand with several values active at once (README, Deploy: Rotating a secret).',
      });
      return secret;
    });
    const names = {
      table: (table: TableName) => this.tables[table].table.tableName,
      queue: (queue: QueueName) => this.queues[queue].queue.queueUrl,
      deadLetterQueue: (queue: QueueName) => this.queues[queue].deadLetterQueue.queueUrl,
      bucket: (bucket: BucketName) => this.buckets[bucket].bucket.bucketName,
      chains: () => JSON.stringify(chains.success ? chains.data : []),
      kmsKey: (key: KmsKeyName) => keyFor(key).keyId,
      secret: (secret: SecretName) => secretFor(secret).secretArn,
      setting: (setting: SettingName) => props.settings?.[setting] ?? SETTINGS[setting].default,
    };

    const deadLetterQueues: Record<string, Queue> = Object.fromEntries(Object.entries(this.queues).map(([name, queue]) => [name, queue.deadLetterQueue]));
    this.functions = mapValues(system.functions, (spec, name) => {
      const deadLetterQueue = spec.schedule ? createDeadLetterQueue(this, `${pascal(name)}DeadLetterQueue`) : undefined;
      if (deadLetterQueue) deadLetterQueues[`${name}Invocations`] = deadLetterQueue;
      const { fn, role } = new ComplianceFunction(this, `${pascal(name)}Function`, {
        name,
        spec,
        environment: environmentFor(spec, names),
        reservedConcurrency: spec.signsTransactions ? writersNeeded(chains.success ? chains.data : []) : undefined,
        deadLetterQueue,
      });
      for (const [table, access] of Object.entries(spec.tables ?? {}) as [TableName, Access][])
        grantTableAccess(fn, this.tables[table].table, system.tables[table], access);
      for (const queue of spec.sendsTo ?? []) grantActions(fn, QUEUE_SEND_ACTIONS, this.queues[queue].queue.queueArn);
      for (const queue of spec.deadLetters ?? []) grantActions(fn, QUEUE_SEND_ACTIONS, this.queues[queue].deadLetterQueue.queueArn);
      for (const [bucket, access] of Object.entries(spec.buckets ?? {}) as [BucketName, BucketAccess][]) {
        grantBucketAccess(fn, this.buckets[bucket].bucket, access);
        acknowledgeObjectWildcard(role, this.buckets[bucket].bucket);
      }
      for (const key of spec.kmsKeys ?? []) grantActions(fn, SIGNING_KEY_ACTIONS, keyFor(key).keyArn);
      for (const secret of spec.secrets ?? []) grantActions(fn, SECRET_READ_ACTIONS, secretFor(secret).secretArn);
      if (spec.consumes) {
        fn.addEventSource(
          new SqsEventSource(this.queues[spec.consumes].queue, { batchSize: system.queues[spec.consumes].batchSize, reportBatchItemFailures: true }),
        );
        Validations.of(fn).acknowledge({
          id: 'Serverless-LambdaEventSourceMappingDestination',
          reason:
            "SQS event sources take no on-failure destination; records that keep failing move to the queue's dead-letter queue by its redrive policy, and that DLQ has an alarm.",
        });
      }
      if (spec.schedule && deadLetterQueue) {
        new Rule(this, `${pascal(name)}Schedule`, {
          schedule: Schedule.expression(spec.schedule),
          targets: [new LambdaFunction(fn, { deadLetterQueue, retryAttempts: 2, maxEventAge: Duration.hours(1) })],
        });
      }
      return fn;
    });

    this.console = new ComplianceConsole(this, 'Console', {
      serverAccessLogsBucket: accessLogs,
      domain: props.consoleDomain,
      webAclArn: props.consoleWebAclArn,
    });
    this.api = new ComplianceApi(this, 'Http', {
      routes: system.routes.map((route) => ({ ...route, handler: this.functions[route.function]! })),
      authDomainPrefix: props.authDomainPrefix ?? `${this.stackName.toLowerCase()}-${this.account}`,
      consoleUrl: this.console.url,
      consoleScopes: CONSOLE_SCOPES,
    });
    this.console.publish({
      apiUrl: this.api.api.apiEndpoint,
      userPoolId: this.api.userPool.userPoolId,
      clientId: this.api.consoleClient!.userPoolClientId,
      authDomain: this.api.domain.baseUrl(),
    });

    this.alarms = new OperationsAlarms(this, 'Alarms', {
      deadLetterQueues,
      functions: this.functions,
      queueAgeLimits: (Object.entries(system.queues) as [QueueName, QueueSpec][])
        .filter(([, spec]) => spec.oldestMessageAlarmSeconds !== undefined)
        .map(([name, spec]) => ({ name, queue: this.queues[name].queue, maxAgeSeconds: spec.oldestMessageAlarmSeconds! })),
      vendors,
      email: props.alarmEmail,
      thresholds: props.alarmThresholds,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: this.api.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.api.client.userPoolClientId });
    new CfnOutput(this, 'TokenUrl', { value: `${this.api.domain.baseUrl()}/oauth2/token` });
    new CfnOutput(this, 'ConsoleUrl', { value: this.console.url, description: "The officers' and auditors' console; people sign in with the user pool (MFA)" });
    new CfnOutput(this, 'ConsoleClientId', { value: this.api.consoleClient!.userPoolClientId });
    for (const [role, client] of this.api.machineClients) new CfnOutput(this, `${pascal(role)}ClientId`, { value: client.userPoolClientId });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    // What the runbooks in the README act on: secrets to put and rotate, dead-letter queues to redrive.
    for (const secret of new Set(Object.values(system.functions).flatMap((spec) => spec.secrets ?? []))) {
      new CfnOutput(this, `${pascal(secret)}SecretArn`, { value: secretFor(secret).secretArn });
    }
    for (const [name, queue] of Object.entries(deadLetterQueues)) new CfnOutput(this, `${pascal(name)}DeadLetterQueueArn`, { value: queue.queueArn });
  }
}

/**
 * One concurrent writer per FIFO message group (`chainId:registry`): the FIFO event source never
 * runs two batches of a group at once, and reserving exactly that many executions keeps a burst
 * elsewhere in the account from throttling the allowlist (throttled batches count as receives
 * and can land in the DLQ) while capping the function where nonces would otherwise race.
 */
export function writersNeeded(chains: readonly Pick<ChainConfig, 'chainId' | 'identityRegistry'>[]): number {
  return Math.max(1, new Set(chains.map((chain) => `${chain.chainId}:${chain.identityRegistry.toLowerCase()}`)).size);
}

/** The destination of every bucket's server access logs. */
function accessLogsBucket(scope: Construct): Bucket {
  const bucket = new Bucket(scope, 'AccessLogsBucket', {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    // Server access log delivery supports SSE-S3 only.
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{ expiration: Duration.days(400) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: "This bucket receives the other buckets' server access logs; logging it into itself would loop.",
  });
  return bucket;
}

/**
 * Object-level S3 actions need `<bucket ARN>/*`; the acknowledgement names this bucket's objects
 * only, so a wildcard on any other resource in the same policy still fails cdk-nag.
 */
function acknowledgeObjectWildcard(role: Role, bucket: Bucket): void {
  const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnBucket);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/*]`,
    reason: "Object-level S3 actions are granted on this one bucket's objects, the narrowest resource the spec names.",
  });
}

function memo<K, V>(create: (key: K) => V): (key: K) => V {
  const made = new Map<K, V>();
  return (key) => {
    if (!made.has(key)) made.set(key, create(key));
    return made.get(key)!;
  };
}

function mapValues<K extends string, V, R>(record: Readonly<Record<K, V>>, map: (value: V, key: K) => R): Record<K, R> {
  return Object.fromEntries((Object.entries(record) as [K, V][]).map(([key, value]) => [key, map(value, key)])) as Record<K, R>;
}

function pascal(name: string): string {
  return name.replace(/(^|[-_])(\w)/g, (_m, _sep, letter: string) => letter.toUpperCase()).replace(/^\w/, (letter) => letter.toUpperCase());
}
