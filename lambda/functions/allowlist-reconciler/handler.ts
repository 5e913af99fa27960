import { reconcileRegistry } from '../../modules/allowlist';
import { InvariantError } from '../../shared';
import { describeError, logger } from '../../platform/observability';
import { scheduledFunction } from '../../platform/scheduled';
import type { AllowlistReconcilerDeps } from './root';

/** Scheduled: each registry against the investors' intended state; drift becomes a chain_drift case. */
export function createHandler({ registries, ...deps }: AllowlistReconcilerDeps) {
  return scheduledFunction(async () => {
    const chains = await registries();
    const results = await Promise.allSettled(chains.map((chain) => reconcileRegistry({ ...deps, chain })));
    results.forEach((result, index) => {
      const { chainId } = chains[index]!;
      if (result.status === 'fulfilled') logger.info('registry reconciled', { chainId, ...result.value });
      else logger.error('registry reconciliation failed', { chainId, ...describeError(result.reason) });
    });
    if (results.some((result) => result.status === 'rejected')) throw new InvariantError('reconciliation failed on at least one chain; see the log');
  });
}
