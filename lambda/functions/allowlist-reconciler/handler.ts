import { reconcileRegistry } from '../../modules/allowlist';
import { SqsFlushRequests, DynamoAllowlistJournal } from '../../modules/allowlist/adapters';
import { sqsClient } from '../../platform/aws/sqs';
import { documentClient } from '../../platform/aws/dynamo';
import { queueUrl, tableName } from '../../config/env';
import { createRegistryChains } from '../allowlist-worker/root';
import { describeError, logger } from '../../platform/observability';
import { wiring } from '../wiring';

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
