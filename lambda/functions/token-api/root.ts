import { readFunctionConfig } from '../../config/function-config';
import type { EmergencyDeps, TokenReader } from '../../modules/token';
import { dynamoAuditLog } from '../../modules/audit/adapters';
import { DynamoTokenOperations, SqsTokenOperationRequests, tokenChains } from '../../modules/token/adapters';
import { documentClient } from '../../platform/aws/dynamo';
import { sqsClient } from '../../platform/aws/sqs';
import { lazy } from '../../platform/lazy';

export interface TokenApiDeps extends EmergencyDeps {
  /** Each chain's token, read-only (no signer): the status reads `paused()` on every chain. */
  readonly readers: () => Promise<readonly TokenReader[]>;
}

/** The emergency controls: the control item and operations, the audit log, the token queue; chains only read. */
export function compose(env: NodeJS.ProcessEnv): TokenApiDeps {
  const { tables, queues, chains, secrets } = readFunctionConfig('tokenApi', env);
  return {
    store: new DynamoTokenOperations(documentClient(), tables.tokenOperations),
    audit: dynamoAuditLog(tables.audit),
    requests: new SqsTokenOperationRequests(sqsClient(), queues.token),
    chainIds: chains.map((chain) => chain.chainId),
    readers: lazy(() => tokenChains(chains, secrets.chainRpcUrls)),
  };
}
