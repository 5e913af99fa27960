import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import { SqsFifoPartialProcessorAsync, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { readChainsConfig, rpcUrlsSchema, withRpcUrls } from '../../config/chains';
import { queueUrl, readVar, tableName } from '../../config/env';
import { FUNCTIONS, QUEUES } from '../../config/system';
import { AuditLog } from '../../modules/audit';
import { changeGroupId } from '../../shared';
import { handleAllowlistBatch, type AllowlistMessage, type AllowlistWorkerDeps, type FlushDeps, type TransactionSlot } from '../../modules/allowlist';
import { EvmRegistryChain, DynamoAllowlistJournal, SqsDeadLetters, SqsFlushRequests, retryAfter } from '../../modules/allowlist/adapters';
import { DynamoAuditStore } from '../../modules/audit/adapters';
import { documentClient } from '../../platform/aws/dynamo';
import { DynamoInvestorRepository } from '../../modules/investors/adapters';
import { readSecretJson } from '../../platform/aws/secrets';
import { sqsClient } from '../../platform/aws/sqs';
import { describeError, logger, tracer } from '../../platform/observability';

export interface AllowlistWorkerOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** This worker's name as a registry's writer; unique per process by default. */
  readonly holder?: string;
  readonly retryBaseSeconds?: number;
  readonly leaseTtlMs?: number;
  readonly afterBroadcast?: (slot: TransactionSlot) => Promise<void>;
}

export type AllowlistWorker = AllowlistWorkerDeps & { readonly chains: readonly EvmRegistryChain[] };

/** One EvmRegistryChain per configured chain, RPC URLs from the chainRpcUrls secret. */
export async function createRegistryChains(env: NodeJS.ProcessEnv = process.env): Promise<EvmRegistryChain[]> {
  const rpcUrls = await readSecretJson('chainRpcUrls', rpcUrlsSchema, env);
  return withRpcUrls(readChainsConfig(env), rpcUrls).map((chain) => new EvmRegistryChain(chain, { env }));
}

/** First retry after 5 s, then 10, 20, 40: a node restart or an RPC provider's blip passes. */
const RETRY_BASE_SECONDS = 5;

/**
 * The allowlist worker's adapters, from the environment: one EvmRegistryChain per configured
 * chain (RPC URLs from the chainRpcUrls secret), the journal, the queue and its DLQ. The Lambda
 * handler, the CLI and the benchmark build the worker here, so they run the same engine.
 */
export async function createAllowlistWorker(options: AllowlistWorkerOptions = {}): Promise<AllowlistWorker> {
  const env = options.env ?? process.env;
  const chains = await createRegistryChains(env);
  const journal = new DynamoAllowlistJournal(documentClient(), tableName('allowlistJournal', env));
  const deadLetters = new SqsDeadLetters(sqsClient(), readVar(QUEUES.allowlist.deadLetterEnvVar, env));
  const common = {
    journal,
    deadLetters,
    audit: new AuditLog(new DynamoAuditStore(documentClient(), tableName('audit', env))),
    investors: new DynamoInvestorRepository(documentClient(), tableName('investors', env)),
    actor: 'system:allowlist-worker',
    holder: options.holder ?? `allowlist-worker:${randomUUID()}`,
    // A holder that dies keeps the lease no longer than it could have run.
    leaseTtlMs: options.leaseTtlMs ?? (FUNCTIONS.allowlistWorker.timeoutSeconds + 10) * 1000,
    maxAttempts: QUEUES.allowlist.maxReceiveCount,
    afterBroadcast: options.afterBroadcast,
  };
  const registries = new Map<string, FlushDeps>(chains.map((chain) => [changeGroupId(chain), { ...common, chain }]));
  return {
    journal,
    deadLetters,
    flushRequests: new SqsFlushRequests(sqsClient(), queueUrl('allowlist', env)),
    registry: (target) => registries.get(changeGroupId(target)),
    maxReceiveCount: QUEUES.allowlist.maxReceiveCount,
    retryBaseSeconds: options.retryBaseSeconds ?? RETRY_BASE_SECONDS,
    chains,
  };
}

/** Time kept back from the function's timeout to record what a flush finished. */
const SAFETY_MS = 10_000;

/** SQS FIFO sequence numbers order a group's messages; fixed width so they sort as strings. */
export function toAllowlistMessage(record: SQSRecord): AllowlistMessage {
  const { SequenceNumber, SentTimestamp, ApproximateReceiveCount, MessageGroupId } = record.attributes;
  const sequence = SequenceNumber ? SequenceNumber.padStart(40, '0') : `${SentTimestamp.padStart(20, '0')}:${record.messageId}`;
  return { body: record.body, messageId: record.messageId, sequence, receiveCount: Number(ApproximateReceiveCount), group: MessageGroupId };
}

/**
 * The allowlist queue's Lambda handler for a worker: one use-case call per batch (its changes are
 * stored together), then Powertools reports the outcomes as partial batch failures: a record to
 * retry becomes visible again after its backoff, and the later records of its FIFO group are skipped.
 */
export function allowlistHandler(worker: Promise<AllowlistWorker>, queueUrl: string) {
  // Awaited by every invocation; a configuration error fails each of them with its message.
  worker.catch(() => undefined);
  return middy<SQSEvent, SQSBatchResponse>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { logEvent: false }))
    .handler(async (event: SQSEvent, context: Context) => {
      const deadline = Date.now() + (context?.getRemainingTimeInMillis() ?? 60_000) - SAFETY_MS;
      const outcomes = await handleAllowlistBatch(await worker, event.Records.map(toAllowlistMessage), deadline);
      const outcomeOf = new Map(event.Records.map((record, index) => [record.messageId, outcomes[index]!]));
      const report = async (record: SQSRecord): Promise<void> => {
        const outcome = outcomeOf.get(record.messageId)!;
        const flush = 'flush' in outcome ? outcome.flush : undefined;
        logger.info('allowlist message handled', { messageId: record.messageId, status: outcome.status, ...(flush ?? {}), ...('reason' in outcome ? { failureCode: outcome.reason.code } : {}) });
        if (outcome.status !== 'retry') return;
        logger.warn('record failed; it will be retried', { messageId: record.messageId, ...describeError(outcome.error) });
        await retryAfter(sqsClient(), queueUrl, record.receiptHandle, outcome.afterSeconds);
        throw outcome.error;
      };
      return processPartialResponse(event, report, new SqsFifoPartialProcessorAsync(), { context, skipGroupOnError: true });
    });
}
