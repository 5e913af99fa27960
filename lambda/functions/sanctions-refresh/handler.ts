import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS } from '../../config/system';
import { refreshSanctionsList } from '../../modules/screening';
import { logger, metrics } from '../../platform/observability';
import { scheduledFunction } from '../../platform/scheduled';
import type { SanctionsRefreshDeps } from './root';

export interface RefreshSummary {
  readonly changed: boolean;
  readonly versionId: string;
  readonly added?: number;
  readonly removed?: number;
  readonly changedEntries?: number;
  readonly investorsQueued: number;
}

/** On a schedule: check OFAC for a new list; the metric proves every successful check, changed or not. */
export function createHandler({ source, ...deps }: SanctionsRefreshDeps) {
  return scheduledFunction(async (): Promise<RefreshSummary> => {
    const result = await refreshSanctionsList(deps, source);
    metrics.addMetric(METRICS.sanctionsListChecked, MetricUnit.Count, 1);
    const summary: RefreshSummary = {
      changed: result.changed,
      versionId: result.version.id,
      added: result.diff?.added.length,
      removed: result.diff?.removed.length,
      changedEntries: result.diff?.changed.length,
      investorsQueued: result.investorsQueued,
    };
    logger.info('sanctions list checked', { ...summary });
    return summary;
  });
}
