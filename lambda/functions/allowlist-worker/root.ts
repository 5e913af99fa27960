import { randomUUID } from 'node:crypto';
import { readFunctionConfig } from '../../config/function-config';
import { FUNCTIONS, QUEUES } from '../../config/system';
import type { AllowlistWorkerDeps, FlushDeps, TransactionSlot } from '../../modules/allowlist';
import { DynamoAllowlistJournal, SqsDeadLetters, SqsFlushRequests, registryChains, type EvmRegistryChain } from '../../modules/allowlist/adapters';
import { dynamoAuditLog } from '../../modules/audit/adapters';
import { DynamoInvestorRepository } from '../../modules/investors/adapters';
import { tokenPipelineHold } from '../../modules/token';
import { DynamoTokenOperations } from '../../modules/token/adapters';
import { changeGroupId } from '../../shared';
import { documentClient } from '../../platform/aws/dynamo';
import { sqsClient } from '../../platform/aws/sqs';
import { lazy } from '../../platform/lazy';

export interface AllowlistWorkerOptions {
  /** This worker's name as a registry's writer; unique per process by default. */
  readonly holder?: string;
  readonly retryBaseSeconds?: number;
  readonly leaseTtlMs?: number;
  readonly afterBroadcast?: (slot: TransactionSlot) => Promise<void>;
}

export interface AllowlistWorker extends AllowlistWorkerDeps {
  readonly chains: readonly EvmRegistryChain[];
}

export interface AllowlistWorkerRoot {
  /** The queue whose failed records are made visible again after their backoff. */
  readonly queueUrl: string;
  /** Built on first use, once the RPC URLs are read from their secret. */
  readonly worker: () => Promise<AllowlistWorker>;
}

/** First retry after 5 s, then 10, 20, 40: a node restart or an RPC provider's blip passes. */
const RETRY_BASE_SECONDS = 5;

/**
 * The allowlist worker: one EvmRegistryChain per configured chain (RPC URLs from the chainRpcUrls
 * secret, the agent key from KMS or locally), the journal, the queue and its DLQ. The configuration
 * is read at once (a missing setting fails the cold start); the chains on first use, from the secret.
 * The Lambda handler, the local runner, the tests and the benchmark build the worker here.
 */
export function compose(env: NodeJS.ProcessEnv, options: AllowlistWorkerOptions = {}): AllowlistWorkerRoot {
  const { tables, queues, deadLetterQueues, secrets, kmsKeys, chains: configured } = readFunctionConfig('allowlistWorker', env);
  const journal = new DynamoAllowlistJournal(documentClient(), tables.allowlistJournal);
  const deadLetters = new SqsDeadLetters(sqsClient(), deadLetterQueues.allowlist);
  const common = {
    journal,
    deadLetters,
    audit: dynamoAuditLog(tables.audit),
    investors: new DynamoInvestorRepository(documentClient(), tables.investors),
    actor: 'system:allowlist-worker',
    holder: options.holder ?? `allowlist-worker:${randomUUID()}`,
    // A holder that dies keeps the lease no longer than it could have run.
    leaseTtlMs: options.leaseTtlMs ?? (FUNCTIONS.allowlistWorker.timeoutSeconds + 10) * 1000,
    maxAttempts: QUEUES.allowlist.maxReceiveCount,
    afterBroadcast: options.afterBroadcast,
    // While the token is paused, adds and unfreezes wait in the journal; the unpause flushes them.
    hold: tokenPipelineHold(new DynamoTokenOperations(documentClient(), tables.tokenOperations)),
  };
  const worker = lazy(async (): Promise<AllowlistWorker> => {
    const chains = await registryChains(configured, secrets.chainRpcUrls, kmsKeys.allowlistSigner, kmsKeys.claimSigner);
    const registries = new Map<string, FlushDeps>(chains.map((chain) => [changeGroupId(chain), { ...common, chain }]));
    return {
      journal,
      deadLetters,
      flushRequests: new SqsFlushRequests(sqsClient(), queues.allowlist),
      registry: (target) => registries.get(changeGroupId(target)),
      maxReceiveCount: QUEUES.allowlist.maxReceiveCount,
      retryBaseSeconds: options.retryBaseSeconds ?? RETRY_BASE_SECONDS,
      chains,
    };
  });
  return { queueUrl: queues.allowlist, worker };
}
