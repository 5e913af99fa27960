import { readFunctionConfig } from '../../config/function-config';
import type { TokenChain, TokenWorkerDeps } from '../../modules/token';
import { DynamoAllowlistJournal, SqsFlushRequests } from '../../modules/allowlist/adapters';
import { dynamoAuditLog } from '../../modules/audit/adapters';
import { DynamoTokenOperations, tokenChains } from '../../modules/token/adapters';
import { documentClient } from '../../platform/aws/dynamo';
import { sqsClient } from '../../platform/aws/sqs';
import { lazy } from '../../platform/lazy';

export interface TokenWorkerOptions {
  /** Test seam: runs after a transaction is broadcast and before anything else is recorded. */
  readonly afterBroadcast?: TokenWorkerDeps['afterBroadcast'];
  readonly retryBaseSeconds?: number;
}

export interface TokenWorkerRoot {
  readonly retryBaseSeconds: number;
  /** Built on first use, once the RPC URLs are read from their secret. */
  readonly worker: () => Promise<TokenWorkerDeps & { readonly chains: readonly TokenChain[] }>;
}

/** First retry after 2 s, then 4, 8, 16: a pause must not wait long for a blip to pass. */
const RETRY_BASE_SECONDS = 2;

/**
 * The token worker: each chain's token signing as the token agent (KMS on AWS, a local key
 * locally), the allowlist journal for its nonce slots, the operations table, the audit log, and the
 * allowlist queue for the flush an unpause requests.
 */
export function compose(env: NodeJS.ProcessEnv, options: TokenWorkerOptions = {}): TokenWorkerRoot {
  const { tables, queues, secrets, kmsKeys, chains: configured } = readFunctionConfig('tokenWorker', env);
  const common = {
    store: new DynamoTokenOperations(documentClient(), tables.tokenOperations),
    audit: dynamoAuditLog(tables.audit),
    journal: new DynamoAllowlistJournal(documentClient(), tables.allowlistJournal),
    flushRequests: new SqsFlushRequests(sqsClient(), queues.allowlist),
    actor: 'system:token-worker',
    afterBroadcast: options.afterBroadcast,
  };
  const worker = lazy(async () => {
    const chains = await tokenChains(configured, secrets.chainRpcUrls, kmsKeys.tokenSigner);
    const byId = new Map(chains.map((chain) => [chain.chainId, chain]));
    return { ...common, chain: (chainId: number) => byId.get(chainId), chains };
  });
  return { retryBaseSeconds: options.retryBaseSeconds ?? RETRY_BASE_SECONDS, worker };
}
