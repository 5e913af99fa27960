import path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SERVICE_NAME, type FunctionSpec } from '../../lambda/config/system';

const ROOT = path.resolve(__dirname, '..', '..');

export interface ComplianceFunctionProps {
  readonly name: string;
  readonly spec: FunctionSpec;
  readonly environment: Record<string, string>;
  readonly overrides?: Partial<NodejsFunctionProps>;
}

/**
 * A function from its lambda/config/system.ts spec: Node 24 on arm64, bundled by esbuild from the
 * local install (no Docker), JSON logs, no event logging.
 */
export class ComplianceFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: ComplianceFunctionProps) {
    super(scope, id);
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
      loggingFormat: LoggingFormat.JSON,
      logGroup: new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR }),
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_LOGGER_LOG_EVENT: 'false',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node24',
        format: OutputFormat.CJS,
        // The runtime ships the AWS SDK, but bundling pins the version we test with.
        externalModules: [],
      },
      ...props.overrides,
    });
  }
}
