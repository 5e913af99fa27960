import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Context } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { sqsClient } from '../../lambda/platform/aws/sqs';
import { ENV, FUNCTION_SPECS, KMS_KEYS, QUEUES, ROUTES, SERVICE_NAME, SETTINGS, type FunctionName } from '../../lambda/config/system';
import { createApiServer, type HttpLambda } from './api-gateway';
import { startConsoleServer } from './console-server';
import { auditLocalEnv, startAuditCheckpoints } from './audit';
import { kycLocalEnv, startVendorSimulator } from './kyc';
import { DEV_ACCOUNTS, type DeployedSuite } from './chain-deploy';
import { DEV_USERS, DevAuthority } from './dev-auth';
import { lambdaContext } from './lambda-context';
import { localChainEnv, startLocalChains } from './local-chains';
import { provision } from './provision';
import { apiDocumentText } from '../openapi/document';
import { loadFunction } from './functions';
import { CURRENT_SDN_DIR, NON_SDN_DIR } from './ofac-data';
import { allStarted, freePort, startDynamoDbLocal, startFauxqs, type LocalService } from './services';
import { QueuePoller, type SqsLambda } from './sqs-poller';

const ROOT = path.resolve(__dirname, '..', '..');
export const LOCAL_REGION = 'us-east-1';
/**
 * Batches of a standard queue in flight at once locally. Lambda runs several; 4 here made two verdicts of one investor
 * in separate batches conflict and wait out the visibility timeout (60 s) in the e2e tests, so locally one at a time.
 */
const STANDARD_QUEUE_CONCURRENCY = 1;

export interface LocalSystemOptions {
  /** Preferred ports; 0 (the default) picks free ones. */
  readonly ports?: { api?: number; dynamodb?: number; fauxqs?: number; chain?: number; vendors?: number; console?: number };
  /** How many of the fund's seven chains to run (each a Hardhat node); default all seven. */
  readonly chains?: number;
  /** Where logs and scratch files go. */
  readonly workDir?: string;
  /** Powertools log level for the handlers (default WARN, so the console stays readable). */
  readonly logLevel?: string;
  readonly onProgress?: (step: string) => void;
  /** Aborting stops the start after its current step; whatever had started is stopped. */
  readonly signal?: AbortSignal;
}

export interface LocalSystem {
  readonly apiUrl: string;
  /** The officers' and auditors' web console, signed in with the dev identities below. */
  readonly consoleUrl: string;
  /** The simulated KYC vendors: their applicant APIs, and `POST /_simulator/decide` to deliver a verdict. */
  readonly vendorSimulatorUrl: string;
  /** In a fixed order: the console, DynamoDB Local, fauxqs, the chains' nodes by chain id, the vendor simulator. */
  readonly services: readonly LocalService[];
  readonly chains: readonly DeployedSuite[];
  /** The environment the handlers run with: table names, queue URLs, endpoints, chain config. */
  readonly env: Readonly<Record<string, string>>;
  readonly tokens: readonly { subject: string; role: string; token: string }[];
  readonly pollers: readonly QueuePoller[];
  stop(): Promise<void>;
}

/** Uses `preferred` if it is free, else any free port: a second run or a test never collides. */
async function portOrFree(preferred: number | undefined): Promise<number> {
  if (!preferred) return freePort();
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(freePort()));
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(preferred)));
  });
}

/**
 * The whole system on this machine: DynamoDB Local, fauxqs and a Hardhat chain with the T-REX
 * contracts, the tables and queues of lambda/config/system.ts, the HTTP API and queue consumers
 * running the same handlers Lambda runs.
 */
export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const step = (description: string) => {
    options.signal?.throwIfAborted();
    options.onProgress?.(description);
  };
  const workDir = options.workDir ?? path.join(ROOT, '.local');
  const logDir = path.join(workDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const started: LocalService[] = [];
  /** The API server, the queue consumers and the audit timer: stopped newest first, before the services they use. */
  const running: { stop(): Promise<unknown> }[] = [];
  const stopAll = async () => {
    for (const part of [...running].reverse()) await part.stop().catch(() => undefined);
    await Promise.allSettled(started.map((service) => service.stop()));
  };

  try {
    step('starting DynamoDB Local, fauxqs and the Hardhat chains, deploying the ERC-3643 contracts');
    const chainPort = (index: number) => portOrFree(options.ports?.chain ? options.ports.chain + index : 0);
    const [dynamodb, fauxqs, suites] = await allStarted([
      portOrFree(options.ports?.dynamodb)
        .then((port) => startDynamoDbLocal({ port, logDir }))
        .then(track),
      portOrFree(options.ports?.fauxqs)
        .then((port) => startFauxqs({ port, logDir }))
        .then(track),
      startLocalChains({ count: options.chains ?? 7, port: chainPort, logDir, workDir, track }),
    ] as const);

    step('creating tables, queues and buckets');
    const awsEnv = {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_SQS: fauxqs.endpoint,
      AWS_ENDPOINT_URL_S3: fauxqs.endpoint,
      [ENV.s3ForcePathStyle]: 'true',
    };
    Object.assign(process.env, awsEnv);
    const clients = {
      dynamodb: new DynamoDBClient({}),
      sqs: sqsClient(),
      s3: new S3Client({ forcePathStyle: true }),
    };
    const resourceEnv = await provision(clients, 'tc-local');
    const simulator = await startVendorSimulator(await portOrFree(options.ports?.vendors));
    const simulatorService = track({ name: 'KYC vendor simulator', endpoint: simulator.url, stop: () => simulator.stop() });
    const env: Record<string, string> = {
      ...awsEnv,
      ...resourceEnv,
      ...localChainEnv(suites),
      [ENV.signerPrivateKey]: DEV_ACCOUNTS.allowlistAgent,
      [KMS_KEYS.tokenSigner.localEnvVar]: DEV_ACCOUNTS.tokenAgent,
      [ENV.serviceName]: SERVICE_NAME,
      POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
      ...auditLocalEnv(),
      ...sanctionsListEnv(),
      ...kycLocalEnv(simulator.apiBaseUrls()),
      // The deployment's defaults, so local behaviour is the deployed one.
      ...Object.fromEntries(Object.values(SETTINGS).map((setting) => [setting.envVar, setting.default])),
    };
    // What every function's runtime has (region, endpoints, log level); each function's own
    // configuration it gets from its spec alone, as on Lambda.
    Object.assign(process.env, {
      ...awsEnv,
      [ENV.serviceName]: SERVICE_NAME,
      POWERTOOLS_LOG_LEVEL: env.POWERTOOLS_LOG_LEVEL,
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
    });

    step('loading the functions');
    const handlers = new Map<FunctionName, unknown>();
    for (const name of Object.keys(FUNCTION_SPECS) as FunctionName[]) handlers.set(name, await loadFunction(name, env));
    const contextFor = (name: FunctionName) => () =>
      lambdaContext(`${SERVICE_NAME}-${name}`, FUNCTION_SPECS[name].timeoutSeconds, FUNCTION_SPECS[name].memorySize);

    step('loading the sanctions lists (OFAC SDN, 2024-05-03 snapshot; consolidated non-SDN, 2025-12 snapshot)');
    await seedSanctionsList(handlers.get('sanctionsRefresh') as ScheduledLambda, contextFor('sanctionsRefresh'));

    step('starting the HTTP API, the console and the queue consumers');
    const authority = new DevAuthority();
    const tokens = DEV_USERS.map((user) => ({ ...user, token: authority.issue(user) }));
    const apiPort = await portOrFree(options.ports?.api);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const consoleServer = await startConsoleServer({ port: await portOrFree(options.ports?.console), apiUrl, identities: tokens });
    const consoleService = track({ name: 'Console', endpoint: consoleServer.url, stop: () => consoleServer.stop() });
    const server = createApiServer(
      ROUTES.map((spec) => ({ spec, invoke: handlers.get(spec.function) as HttpLambda, context: contextFor(spec.function) })),
      authority,
      { allowOrigins: consoleServer.origins },
      { '/openapi.json': apiDocumentText },
    );
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(apiPort, '127.0.0.1', resolve));
    running.push({ stop: () => closeServer(server) });
    simulator.webhookBaseUrl = `http://127.0.0.1:${apiPort}/webhooks/kyc`;

    const pollers: QueuePoller[] = [];
    for (const [name, spec] of Object.entries(FUNCTION_SPECS) as [FunctionName, (typeof FUNCTION_SPECS)[FunctionName]][]) {
      if (!spec.consumes) continue;
      const poller = new QueuePoller({
        sqs: clients.sqs,
        queueUrl: resourceEnv[QUEUES[spec.consumes].envVar]!,
        batchSize: QUEUES[spec.consumes].batchSize,
        invoke: handlers.get(name) as SqsLambda,
        context: contextFor(name),
        onError: (error) => console.error(`[local] ${name} invocation failed: ${(error as Error).message}`),
        // A FIFO queue's order is per message group: one batch at a time keeps it simple locally.
        concurrency: QUEUES[spec.consumes].fifo ? 1 : STANDARD_QUEUE_CONCURRENCY,
      });
      await poller.start();
      pollers.push(poller);
      running.push(poller);
    }
    running.push(startAudit(handlers, contextFor));
    options.signal?.throwIfAborted();

    const chainNodes = started.filter((service) => service.chainId !== undefined).sort((a, b) => a.chainId! - b.chainId!);
    return {
      apiUrl,
      consoleUrl: consoleServer.url,
      vendorSimulatorUrl: simulator.url,
      services: [consoleService, dynamodb, fauxqs, ...chainNodes, simulatorService],
      chains: suites,
      env,
      tokens,
      pollers,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }

  function track(service: LocalService): LocalService {
    started.push(service);
    return service;
  }
}

// ---- Sanctions lists --------------------------------------------------------------------------
// Locally the list-refresh function loads OFAC's files from folders instead of fetching them: the
// SDN list and the consolidated non-SDN lists. The runner invokes it once before the queue
// consumers start, so the first screening has both lists; `cli lists load --dir <folder> --local`
// loads another version of either (diff + re-screen of the book).

/** The newest complete SDN snapshot shipped with the repository (data/ofac/PROVENANCE.md). */
export const LOCAL_SANCTIONS_DIR = CURRENT_SDN_DIR;
/** The consolidated non-SDN snapshot shipped with the repository. */
export const LOCAL_NON_SDN_DIR = NON_SDN_DIR;

type ScheduledLambda = (event: Record<string, never>, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

function sanctionsListEnv(): Record<string, string> {
  return { [ENV.sanctionsSourceDir]: LOCAL_SANCTIONS_DIR, [ENV.nonSdnSourceDir]: LOCAL_NON_SDN_DIR };
}

async function seedSanctionsList(refresh: ScheduledLambda, context: () => ReturnType<typeof lambdaContext>): Promise<void> {
  await refresh({}, context());
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** The audit trail's scheduled checkpoints (an EventBridge rule on AWS). */
function startAudit(handlers: ReadonlyMap<FunctionName, unknown>, contextFor: (name: FunctionName) => () => Context) {
  return startAuditCheckpoints(handlers.get('auditCheckpoint') as Parameters<typeof startAuditCheckpoints>[0], contextFor('auditCheckpoint'), (error) =>
    console.error(`[local] auditCheckpoint invocation failed: ${(error as Error).message}`),
  );
}
