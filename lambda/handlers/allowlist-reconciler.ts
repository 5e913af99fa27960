import { reconcileRegistry } from '../domain/allowlist';
import { SqsFlushRequests } from '../adapters/sqs/allowlist-queue';
import { sqsClient } from '../adapters/sqs/client';
import { DynamoAllowlistJournal } from '../adapters/dynamo/allowlist-journal';
import { documentClient } from '../adapters/dynamo/client';
import { queueUrl, tableName } from '../config/env';
import { createRegistryChains } from './shared/allowlist';
import { describeError, logger } from './shared/observability';
import { wiring } from './shared/wiring';

const chains = createRegistryChains();
chains.catch(() => undefined);

/** Scheduled: each registry against the investors' intended state; drift becomes a chain_drift case. */
export const handler = async (): Promise<void> => {
  const deps = {
    investors: wiring.investors(),
    journal: new DynamoAllowlistJournal(documentClient(), tableName('allowlistJournal')),
    cases: wiring.cases(),
    audit: wiring.audit(),
    flushRequests: new SqsFlushRequests(sqsClient(), queueUrl('allowlist')),
    actor: 'system:allowlist-reconciler',
  };
  const registries = await chains;
  const results = await Promise.allSettled(registries.map((chain) => reconcileRegistry({ ...deps, chain })));
  results.forEach((result, index) => {
    const { chainId } = registries[index]!;
    if (result.status === 'fulfilled') logger.info('registry reconciled', { chainId, ...result.value });
    else logger.error('registry reconciliation failed', { chainId, ...describeError(result.reason) });
  });
  if (results.some((result) => result.status === 'rejected')) throw new Error('reconciliation failed on at least one chain; see the log');
};
