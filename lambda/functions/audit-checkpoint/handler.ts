import { runCheckpoint } from '../../modules/audit';
import { logger } from '../../platform/observability';
import { scheduledFunction } from '../../platform/scheduled';
import type { AuditCheckpointDeps } from './root';

/** On a schedule: seals the records since the last checkpoint under a signed Merkle root. */
export function createHandler(deps: AuditCheckpointDeps) {
  return scheduledFunction(async () => {
    const result = await runCheckpoint(deps);
    if (result.breaks.length > 0) logger.error('audit chains stop short of the cutoff', { breaks: result.breaks });
    if (result.status === 'checkpointed')
      logger.info('audit checkpoint', {
        number: result.header.number,
        leafCount: result.header.leafCount,
        streams: result.header.streamCount,
        root: result.header.root,
      });
    return { status: result.status, number: result.status === 'checkpointed' ? result.header.number : undefined, breaks: result.breaks.length };
  });
}
