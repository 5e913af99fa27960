import { readFunctionConfig } from '../../config/function-config';
import { DynamoAllowlistJournal, SqsFlushRequests, registryChains } from '../../modules/allowlist/adapters';
import { dynamoAuditLog } from '../../modules/audit/adapters';
import { DynamoCaseRepository } from '../../modules/cases/adapters';
import { DynamoInvestorRepository } from '../../modules/investors/adapters';
import { documentClient } from '../../platform/aws/dynamo';
import { sqsClient } from '../../platform/aws/sqs';
import { lazy } from '../../platform/lazy';

/** The reconciler reads the registries (it never signs) and compares them with the investors. */
export function compose(env: NodeJS.ProcessEnv) {
  const { tables, queues, secrets, chains } = readFunctionConfig('allowlistReconciler', env);
  return {
    /** Read on first use: the RPC URLs live in a secret. */
    registries: lazy(() => registryChains(chains, secrets.chainRpcUrls)),
    investors: new DynamoInvestorRepository(documentClient(), tables.investors),
    journal: new DynamoAllowlistJournal(documentClient(), tables.allowlistJournal),
    cases: new DynamoCaseRepository(documentClient(), tables.cases),
    audit: dynamoAuditLog(tables.audit),
    flushRequests: new SqsFlushRequests(sqsClient(), queues.allowlist),
    actor: 'system:allowlist-reconciler',
  };
}

export type AllowlistReconcilerDeps = ReturnType<typeof compose>;
