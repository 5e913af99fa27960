import path from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, type CfnFunction, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SERVICE_NAME, type FunctionSpec } from '../../lambda/config/system';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Powertools switches every function gets. Events, responses and outbound HTTPS calls never reach
 * logs or traces: events and responses carry personal data, and chain RPC URLs embed provider keys.
 */
export const OBSERVABILITY_ENVIRONMENT = {
  POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
  POWERTOOLS_LOGGER_LOG_EVENT: 'false',
  POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
  POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
} as const;

export interface ComplianceFunctionProps {
  readonly name: string;
  readonly spec: FunctionSpec;
  readonly environment: Record<string, string>;
  /** Caps the function and guarantees it that many concurrent executions. */
  readonly reservedConcurrency?: number;
  /**
   * Where failed asynchronous invocations (schedules) go. Without it the function must only be
   * invoked synchronously: by API Gateway or an SQS event source, whose queue has its own DLQ.
   */
  readonly deadLetterQueue?: IQueue;
  /** A custom resource's function: CloudFormation invokes it at deployment and waits for its answer. */
  readonly invokedByCloudFormation?: boolean;
  readonly overrides?: Partial<NodejsFunctionProps>;
}

/**
 * A function from its lambda/config/system.ts spec: Node 24 on arm64, bundled by esbuild from the
 * local install (no Docker), JSON logs at INFO into its own log group, X-Ray tracing, no event
 * logging, and a role of its own that starts empty: the stack grants exactly what the spec uses.
 */
export class ComplianceFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: ComplianceFunctionProps) {
    super(scope, id);
    // No AWSLambdaBasicExecutionRole: it grants log writes to every log group in the account.
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `${SERVICE_NAME} ${props.name}` });
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR });
    logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: path.join(ROOT, props.spec.entry),
      handler: 'handler',
      projectRoot: ROOT,
      depsLockFilePath: path.join(ROOT, 'package-lock.json'),
      description: props.spec.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.spec.memorySize,
      timeout: Duration.seconds(props.spec.timeoutSeconds),
      role: this.role,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      logGroup,
      reservedConcurrentExecutions: props.reservedConcurrency,
      ...(props.deadLetterQueue ? { deadLetterQueueEnabled: true, deadLetterQueue: props.deadLetterQueue } : {}),
      environment: {
        ...OBSERVABILITY_ENVIRONMENT,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node24',
        format: OutputFormat.CJS,
        logLevel: LogLevel.WARNING,
        // The runtime ships the AWS SDK, but bundling pins the version we test with.
        externalModules: [],
      },
      ...props.overrides,
    });

    // Tracing is switched on at the L1 level so its X-Ray statement (which IAM cannot scope to a
    // resource) lives in a policy of its own instead of the role's default policy: acknowledging
    // `Resource::*` there cannot hide a wildcard resource in any other grant.
    (this.fn.node.defaultChild as CfnFunction).tracingConfig = { mode: 'Active' };
    const tracing = new Policy(this, 'TracingPolicy', {
      roles: [this.role],
      statements: [new PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] })],
    });
    this.fn.node.addDependency(tracing);
    Validations.of(tracing).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions; this policy holds nothing else.',
    });

    if (props.invokedByCloudFormation) {
      Validations.of(this.fn).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'A custom resource: CloudFormation invokes it during a deployment and waits for its answer; a failure fails and rolls back that deployment, so a DLQ would hold events nobody could replay.',
      });
    } else if (!props.deadLetterQueue) {
      Validations.of(this.fn).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously only (API Gateway, or an SQS event source whose queue has its own DLQ and alarm); a Lambda DLQ applies to asynchronous invocations.',
      });
    }
  }
}
