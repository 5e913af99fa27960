import { Match } from 'aws-cdk-lib/assertions';
import {
  ENV,
  FUNCTIONS,
  KMS_KEYS,
  QUEUES,
  ROLES,
  TABLES,
  environmentFor,
  type BucketName,
  type FunctionSpec,
  type KmsKeyName,
  type QueueName,
  type SecretName,
  type TableName,
} from '../../lambda/config/system';
import { ACCESS_LOG_FIELDS, DEFAULT_THROTTLE, PUBLIC_ROUTE_THROTTLE } from '../../lib/constructs/compliance-api';
import { OBSERVABILITY_ENVIRONMENT } from '../../lib/constructs/compliance-function';
import { chainsConfigSchema } from '../../lambda/config/chains';
import { SYSTEM, writersNeeded, type SystemDefinition } from '../../lib/treasury-compliance-stack';
import { SYNTHETIC_SYSTEM, TEST_CHAINS, getAtt, logicalId, pascal, synthesize, type Synthesized } from '../helpers/infra';

/** A template resource as aws-cdk-lib/assertions returns it. */
type Resource = ReturnType<Synthesized['template']['findResources']>[string];

/** The real system definition and one with what other issues are adding (see SYNTHETIC_SYSTEM). */
const cases: [string, SystemDefinition, Synthesized][] = [
  ['system.ts', SYSTEM, synthesize()],
  ['synthetic', SYNTHETIC_SYSTEM, synthesize({ system: SYNTHETIC_SYSTEM })],
];

function functionResource({ template }: Synthesized, name: string): [string, Resource] {
  const id = logicalId(template, 'AWS::Lambda::Function', `${pascal(name)}Function`);
  return [id, template.findResources('AWS::Lambda::Function')[id]!];
}

describe.each(cases)('TreasuryComplianceStack (%s)', (_label, system, synthesized) => {
  const { template } = synthesized;
  const resources = (type: string) => template.findResources(type);
  const functions = Object.entries(system.functions) as [string, FunctionSpec][];

  describe('tables', () => {
    it('creates one table per spec with point-in-time recovery, deletion protection and retain-on-delete', () => {
      expect(Object.keys(resources('AWS::DynamoDB::Table'))).toHaveLength(Object.keys(system.tables).length);
      for (const table of Object.values(resources('AWS::DynamoDB::Table'))) {
        expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
        expect(table.Properties.DeletionProtectionEnabled).toBe(true);
        expect(table.DeletionPolicy).toBe('Retain');
      }
    });

    it('encrypts each table with its own customer-managed key, rotated yearly and retained', () => {
      const keys = resources('AWS::KMS::Key');
      const used = new Set<string>();
      for (const name of Object.keys(system.tables)) {
        const table = resources('AWS::DynamoDB::Table')[logicalId(template, 'AWS::DynamoDB::Table', `${pascal(name)}Table`)]!;
        expect(table.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
        const keyId = table.Properties.SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0] as string;
        expect(keys[keyId]!.Properties.EnableKeyRotation).toBe(true);
        expect(keys[keyId]!.DeletionPolicy).toBe('Retain');
        used.add(keyId);
      }
      expect(used.size).toBe(Object.keys(system.tables).length);
    });

    it('creates each declared secondary index', () => {
      for (const [name, spec] of Object.entries(system.tables) as [TableName, SystemDefinition['tables'][TableName]][]) {
        const table = resources('AWS::DynamoDB::Table')[logicalId(template, 'AWS::DynamoDB::Table', `${pascal(name)}Table`)]!;
        const indexes = ((table.Properties.GlobalSecondaryIndexes ?? []) as { IndexName: string }[]).map((index) => index.IndexName);
        expect(indexes).toEqual((spec.indexes ?? []).map((index) => index.name));
      }
    });
  });

  describe('queues', () => {
    it("gives every queue a dead-letter queue of the same FIFO-ness with the spec's maxReceiveCount", () => {
      const queues = resources('AWS::SQS::Queue');
      for (const [name, spec] of Object.entries(system.queues) as [QueueName, SystemDefinition['queues'][QueueName]][]) {
        const main = queues[logicalId(template, 'AWS::SQS::Queue', `${pascal(name)}Queue`)]!;
        expect(main.Properties.RedrivePolicy?.maxReceiveCount).toBe(spec.maxReceiveCount);
        expect(main.Properties.VisibilityTimeout).toBe(spec.visibilityTimeoutSeconds);
        const deadLetterId = main.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0] as string;
        expect(deadLetterId).toMatch(new RegExp(`^${pascal(name)}QueueDeadLetterQueue`));
        expect(queues[deadLetterId]!.Properties.FifoQueue).toBe(spec.fifo ? true : undefined);
        expect(main.Properties.FifoQueue).toBe(spec.fifo ? true : undefined);
      }
    });

    it('encrypts every queue (DLQs included), keeps dead letters 14 days and denies non-TLS access', () => {
      const queues = resources('AWS::SQS::Queue');
      for (const [id, queue] of Object.entries(queues)) {
        expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
        if (id.includes('DeadLetterQueue')) expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      }
      const tlsOnly = Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
      for (const id of Object.keys(queues)) {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: Match.arrayWith([{ Ref: id }]),
          PolicyDocument: { Statement: Match.arrayWith([tlsOnly]) },
        });
      }
    });

    it("reports batch item failures on each consumed queue's event source", () => {
      const consumers = functions.filter(([, spec]) => spec.consumes);
      expect(Object.keys(resources('AWS::Lambda::EventSourceMapping'))).toHaveLength(consumers.length);
      for (const [name, spec] of consumers) {
        template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          FunctionName: { Ref: functionResource(synthesized, name)[0] },
          EventSourceArn: getAtt(logicalId(template, 'AWS::SQS::Queue', `${pascal(spec.consumes!)}Queue`)),
          BatchSize: system.queues[spec.consumes!].batchSize,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        });
      }
    });
  });

  describe('buckets', () => {
    it('blocks public access, versions, encrypts, retains and logs access for every declared bucket', () => {
      const accessLogs = logicalId(template, 'AWS::S3::Bucket', 'AccessLogsBucket');
      for (const name of Object.keys(system.buckets) as BucketName[]) {
        const id = logicalId(template, 'AWS::S3::Bucket', `${pascal(name)}Bucket`);
        const bucket = resources('AWS::S3::Bucket')[id]!;
        expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
        expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBeDefined();
        expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: accessLogs });
        expect(bucket.DeletionPolicy).toBe('Retain');
        template.hasResourceProperties('AWS::S3::BucketPolicy', {
          Bucket: { Ref: id },
          PolicyDocument: {
            Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
          },
        });
      }
    });
  });

  describe('functions', () => {
    it('runs every function, the console publisher included, on nodejs24.x, arm64, with X-Ray tracing and JSON logs at INFO in its own log group kept a year', () => {
      const ids = [...functions.map(([name]) => `${pascal(name)}Function`), 'ConsolePublisherFunction'];
      expect(Object.keys(resources('AWS::Lambda::Function'))).toHaveLength(ids.length);
      for (const name of ids) {
        const fn = resources('AWS::Lambda::Function')[logicalId(template, 'AWS::Lambda::Function', name)]!;
        expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
        expect(fn.Properties.LoggingConfig).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO' });
        const logGroup = resources('AWS::Logs::LogGroup')[fn.Properties.LoggingConfig.LogGroup.Ref]!;
        expect(logGroup.Properties.RetentionInDays).toBe(365);
      }
    });

    it('gives each function exactly the variables of what its spec uses, plus the Powertools switches', () => {
      const names = {
        table: () => 't',
        queue: () => 'q',
        bucket: () => 'b',
        chains: () => 'c',
        kmsKey: () => 'k',
        secret: () => 's',
        deadLetterQueue: () => 'd',
        setting: () => 'v',
      };
      for (const [name, spec] of functions) {
        const [, fn] = functionResource(synthesized, name);
        const expected = [...Object.keys(OBSERVABILITY_ENVIRONMENT), 'NODE_OPTIONS', ...Object.keys(environmentFor(spec, names))];
        expect(Object.keys(fn.Properties.Environment.Variables).sort()).toEqual(expected.sort());
      }
    });

    it('hands the validated chain configuration to the functions that need it', () => {
      for (const [name, spec] of functions.filter(([, candidate]) => candidate.readsChains || candidate.signsTransactions)) {
        const [, fn] = functionResource(synthesized, name);
        expect(JSON.parse(fn.Properties.Environment.Variables[ENV.chains] as string)).toEqual(chainsConfigSchema.parse(TEST_CHAINS));
        expect(spec.readsChains || spec.signsTransactions).toBe(true);
      }
    });

    it('reserves one concurrent execution per chain group for functions that sign transactions, and none elsewhere', () => {
      for (const [name, spec] of functions) {
        const [, fn] = functionResource(synthesized, name);
        expect(fn.Properties.ReservedConcurrentExecutions).toBe(spec.signsTransactions ? TEST_CHAINS.length : undefined);
      }
    });

    it('gives each function a role of its own with no AWS managed policy', () => {
      const roles = new Set<string>();
      for (const [name] of functions) {
        const [, fn] = functionResource(synthesized, name);
        const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
        expect(resources('AWS::IAM::Role')[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
        roles.add(roleId);
      }
      expect(roles.size).toBe(functions.length);
    });
  });

  describe('no function logs events', () => {
    it('turns Powertools event logging, response capture and HTTPS capture off in every function and leaves no debug switch on', () => {
      const functionsInTemplate = Object.values(resources('AWS::Lambda::Function'));
      expect(functionsInTemplate.length).toBeGreaterThan(0);
      for (const fn of functionsInTemplate) {
        const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
        expect(variables.POWERTOOLS_LOGGER_LOG_EVENT).toBe('false');
        expect(variables.POWERTOOLS_TRACER_CAPTURE_RESPONSE).toBe('false');
        expect(variables.POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS).toBe('false');
        expect(variables).not.toHaveProperty('POWERTOOLS_DEV');
        expect(variables).not.toHaveProperty('POWERTOOLS_LOGGER_SAMPLE_RATE');
        expect(String(variables.POWERTOOLS_LOG_LEVEL ?? 'INFO')).not.toMatch(/DEBUG|TRACE/i);
        expect(String(fn.Properties.LoggingConfig.ApplicationLogLevel)).not.toMatch(/DEBUG|TRACE/i);
      }
    });
  });

  describe('schedules', () => {
    it('invokes each scheduled function from an EventBridge rule that retries and keeps undeliverable events in a DLQ', () => {
      const scheduled = functions.filter(([, spec]) => spec.schedule);
      expect(Object.keys(resources('AWS::Events::Rule'))).toHaveLength(scheduled.length);
      for (const [name, spec] of scheduled) {
        const [id, fn] = functionResource(synthesized, name);
        const deadLetterQueue = fn.Properties.DeadLetterConfig?.TargetArn;
        expect(deadLetterQueue).toEqual(getAtt(logicalId(template, 'AWS::SQS::Queue', `${pascal(name)}DeadLetterQueue`)));
        template.hasResourceProperties('AWS::Events::Rule', {
          ScheduleExpression: spec.schedule,
          Targets: [
            Match.objectLike({
              Arn: getAtt(id),
              DeadLetterConfig: { Arn: deadLetterQueue },
              RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
            }),
          ],
        });
      }
    });
  });

  describe('signing keys and secrets', () => {
    const keysUsed = new Set(functions.flatMap(([, spec]) => spec.kmsKeys ?? []));
    const secretsUsed = new Set(functions.flatMap(([, spec]) => spec.secrets ?? []));

    it('creates each signing key a function uses, with its key spec, for signing only, retained', () => {
      const signingKeys = Object.values(resources('AWS::KMS::Key')).filter((key) => key.Properties.KeyUsage === 'SIGN_VERIFY');
      expect(signingKeys).toHaveLength(keysUsed.size);
      for (const name of keysUsed as Set<KmsKeyName>) {
        const key = resources('AWS::KMS::Key')[logicalId(template, 'AWS::KMS::Key', `${pascal(name)}Key`)]!;
        expect(key.Properties).toMatchObject({ KeySpec: KMS_KEYS[name].keySpec, KeyUsage: 'SIGN_VERIFY' });
        expect(key.DeletionPolicy).toBe('Retain');
      }
    });

    it('creates each secret a function reads as an empty JSON object, retained, never generated', () => {
      expect(Object.keys(resources('AWS::SecretsManager::Secret'))).toHaveLength(secretsUsed.size);
      for (const name of secretsUsed as Set<SecretName>) {
        const secret = resources('AWS::SecretsManager::Secret')[logicalId(template, 'AWS::SecretsManager::Secret', `${pascal(name)}Secret`)]!;
        expect(secret.Properties.SecretString).toBe('{}');
        expect(secret.Properties.GenerateSecretString).toBeUndefined();
        expect(secret.DeletionPolicy).toBe('Retain');
      }
    });
  });

  describe('HTTP API', () => {
    it('puts every non-public route behind the Cognito JWT authorizer and leaves public routes to signatures', () => {
      const authorizers = Object.values(resources('AWS::ApiGatewayV2::Authorizer'));
      expect(authorizers.map((authorizer) => authorizer.Properties.AuthorizerType)).toEqual(['JWT']);
      const routes = Object.values(resources('AWS::ApiGatewayV2::Route'));
      expect(routes).toHaveLength(system.routes.length);
      for (const spec of system.routes) {
        const route = routes.find((candidate) => candidate.Properties.RouteKey === `${spec.method} ${spec.path}`);
        expect(route?.Properties.AuthorizationType).toBe(spec.auth === 'public' ? 'NONE' : 'JWT');
      }
    });

    it('requires MFA, enforces threat protection and has one group per role in the user pool', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        DeletionProtection: 'ACTIVE',
      });
      const groups = Object.values(resources('AWS::Cognito::UserPoolGroup')).map((group) => group.Properties.GroupName as string);
      expect(groups.sort()).toEqual([...ROLES].sort());
    });

    it('throttles the stage, and public routes tighter still', () => {
      const [stage] = Object.values(resources('AWS::ApiGatewayV2::Stage'));
      expect(stage!.Properties.DefaultRouteSettings).toEqual({
        ThrottlingRateLimit: DEFAULT_THROTTLE.rateLimit,
        ThrottlingBurstLimit: DEFAULT_THROTTLE.burstLimit,
      });
      const publicRoutes = system.routes.filter((route) => route.auth === 'public').map((route) => `${route.method} ${route.path}`);
      expect(Object.keys(stage!.Properties.RouteSettings ?? {})).toEqual(publicRoutes);
      for (const routeKey of publicRoutes) {
        expect(stage!.Properties.RouteSettings[routeKey]).toEqual({
          ThrottlingRateLimit: PUBLIC_ROUTE_THROTTLE.rateLimit,
          ThrottlingBurstLimit: PUBLIC_ROUTE_THROTTLE.burstLimit,
        });
      }
    });

    it('writes JSON access logs with request metadata only: no bodies, headers or personal claims', () => {
      const [stage] = Object.values(resources('AWS::ApiGatewayV2::Stage'));
      const format = JSON.parse(stage!.Properties.AccessLogSettings.Format as string) as Record<string, string>;
      expect(format).toEqual(ACCESS_LOG_FIELDS);
      expect(Object.values(format).filter((variable) => /body|header|email|name|claims\.(?!sub$)/i.test(variable))).toEqual([]);
      const logGroup = resources('AWS::Logs::LogGroup')[stage!.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0]]!;
      expect(logGroup.Properties.RetentionInDays).toBe(365);
    });
  });
});

describe('outputs for operators', () => {
  it('names the API, the user pool, the alarm topic, every secret to put and every dead-letter queue to redrive', () => {
    const { template } = synthesize({ system: SYNTHETIC_SYSTEM });
    const outputs = Object.keys(template.findOutputs('*')).sort();
    const functions = Object.entries(SYNTHETIC_SYSTEM.functions);
    expect(outputs).toEqual(
      [
        'AlarmTopicArn',
        'ApiUrl',
        'UserPoolClientId',
        'UserPoolId',
        'TokenUrl',
        'PortalClientId',
        'ConsoleUrl',
        'ConsoleClientId',
        ...Object.keys(SYNTHETIC_SYSTEM.queues).map((queue) => `${pascal(queue)}DeadLetterQueueArn`),
        ...functions.filter(([, spec]) => spec.schedule).map(([name]) => `${pascal(name)}InvocationsDeadLetterQueueArn`),
        ...new Set(functions.flatMap(([, spec]) => spec.secrets ?? []).map((secret) => `${pascal(secret)}SecretArn`)),
      ].sort(),
    );
    expect(outputs).toEqual(expect.arrayContaining(['AuditCheckpointerInvocationsDeadLetterQueueArn', 'KycWebhookSecretsSecretArn', 'ChainRpcUrlsSecretArn']));
    expect(template.findOutputs('AllowlistDeadLetterQueueArn').AllowlistDeadLetterQueueArn!.Value).toEqual(
      getAtt(logicalId(template, 'AWS::SQS::Queue', 'AllowlistQueueDeadLetterQueue')),
    );
  });
});

describe('writersNeeded', () => {
  it('counts distinct chain groups (chain id and registry), at least one', () => {
    const [first, second] = TEST_CHAINS as [(typeof TEST_CHAINS)[0], (typeof TEST_CHAINS)[0]];
    expect(writersNeeded([])).toBe(1);
    expect(writersNeeded([first])).toBe(1);
    expect(writersNeeded([first, { ...first, identityRegistry: first.identityRegistry.toUpperCase().replace('0X', '0x') }])).toBe(1);
    expect(writersNeeded([first, second])).toBe(2);
  });
});

describe('insert-only tables', () => {
  it('refuses a spec that asks for more than append or read on the audit table', () => {
    const greedy = { ...SYSTEM, functions: { ...SYSTEM.functions, rewriter: { ...SYSTEM.functions.investorsApi!, tables: { audit: 'readWrite' as const } } } };
    expect(() => synthesize({ system: greedy })).toThrow(/insert-only.*'append' or 'read'/);
  });
});

describe('TreasuryComplianceStack: scheduled and signing functions', () => {
  const { template } = cases[0]![2];
  const functionId = (prefix: string) => Object.keys(template.findResources('AWS::Lambda::Function')).find((id) => id.startsWith(prefix))!;

  it('gives the allowlist worker its DLQ URL, SendMessage on that DLQ only, and kms:Sign on the allowlist signer key', () => {
    const worker = template.findResources('AWS::Lambda::Function')[functionId('AllowlistWorkerFunction')]!;
    const env = worker.Properties.Environment.Variables as Record<string, unknown>;
    expect(JSON.stringify(env[QUEUES.allowlist.deadLetterEnvVar])).toContain('AllowlistQueueDeadLetterQueue');
    expect(Object.keys(env)).toEqual(expect.arrayContaining([TABLES.allowlistJournal.envVar, 'ALLOWLIST_SIGNER_KMS_KEY_ID', 'CHAIN_RPC_URLS_ARN']));
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const onDeadLetter = statements.filter((statement) => JSON.stringify(statement.Resource).includes('AllowlistQueueDeadLetterQueue'));
    expect(onDeadLetter.flatMap((statement) => ([] as string[]).concat(statement.Action))).toEqual(expect.arrayContaining(['sqs:SendMessage']));
    expect(
      statements.some(
        (statement) => ([] as string[]).concat(statement.Action).includes('kms:Sign') && JSON.stringify(statement.Resource).includes('AllowlistSignerKey'),
      ),
    ).toBe(true);
  });

  it('runs the reconciler on its schedule', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: FUNCTIONS.allowlistReconciler.schedule });
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
    expect(bucketActions('SanctionsRefreshFunction')).toEqual(expect.arrayContaining(['s3:PutObject', 's3:GetObject']));
    expect(bucketActions('ScreeningWorkerFunction')).toContain('s3:GetObject');
    expect(bucketActions('ScreeningWorkerFunction').filter((action) => action.startsWith('s3:Put') || action.startsWith('s3:Delete'))).toEqual([]);
  });
});
