import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { readOptionalInt } from '../../config/env';
import { ENV } from '../../config/system';
import { DEFAULT_SETTLE_MS, runCheckpoint } from '../../modules/audit';
import { logger } from '../../platform/observability';
import { wiring } from '../wiring';

const records = wiring.auditRecords();
const deps = {
  store: wiring.auditStore(),
  records,
  coverage: records,
  bodies: wiring.checkpointBodies(),
  signer: wiring.auditSigner(),
  actor: 'system:audit-checkpoint',
  settleMs: readOptionalInt(ENV.auditSettleSeconds, DEFAULT_SETTLE_MS / 1000) * 1000,
};

/** On a schedule: seals the records since the last checkpoint under a signed Merkle root. */
export const handler = middy()
  .use(injectLambdaContext(logger, { logEvent: false }))
  .handler(async () => {
    const result = await runCheckpoint(deps);
    if (result.breaks.length > 0) logger.error('audit chains stop short of the cutoff', { breaks: result.breaks });
    if (result.status === 'checkpointed') logger.info('audit checkpoint', { number: result.header.number, leafCount: result.header.leafCount, streams: result.header.streamCount, root: result.header.root });
    return { status: result.status, number: result.status === 'checkpointed' ? result.header.number : undefined, breaks: result.breaks.length };
  });
