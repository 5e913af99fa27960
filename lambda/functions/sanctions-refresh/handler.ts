import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS } from '../../config/system';
import { refreshSanctionsList, type ListId } from '../../modules/screening';
import { logger, metrics } from '../../platform/observability';
import { scheduledFunction } from '../../platform/scheduled';
import type { SanctionsRefreshDeps } from './root';

export interface ListRefreshSummary {
  readonly list: ListId;
  readonly changed: boolean;
  readonly versionId: string;
  readonly rescreen?: 'delta' | 'full';
  readonly added?: number;
  readonly removed?: number;
  readonly changedEntries?: number;
  readonly investorsQueued: number;
}

export interface RefreshSummary {
  readonly lists: readonly ListRefreshSummary[];
}

/**
 * On a schedule: check OFAC for a new version of each screened list, one after another (each has
 * its own version, diff and re-screen). The metric proves a successful check of every list, changed
 * or not; a list that fails fails the run, which the scheduler retries.
 */
export function createHandler({ sources, ...deps }: SanctionsRefreshDeps) {
  return scheduledFunction(async (): Promise<RefreshSummary> => {
    const lists: ListRefreshSummary[] = [];
    for (const { list, source } of sources) {
      const result = await refreshSanctionsList(deps, source);
      const summary: ListRefreshSummary = {
        list,
        changed: result.changed,
        versionId: result.version.id,
        rescreen: result.changed ? result.version.rescreen : undefined,
        added: result.diff?.added.length,
        removed: result.diff?.removed.length,
        changedEntries: result.diff?.changed.length,
        investorsQueued: result.investorsQueued,
      };
      logger.info('sanctions list checked', { ...summary });
      lists.push(summary);
    }
    metrics.addMetric(METRICS.sanctionsListChecked, MetricUnit.Count, 1);
    return { lists };
  });
}
