import { screenInvestor } from '../../modules/screening';
import { screeningRequestSchema } from '../../shared';
import { parseMessage, sqsFunction } from '../../platform/sqs';
import type { ScreeningWorkerDeps } from './root';

/** Screens each requested investor against the current list and routes the outcome. */
export function createHandler(deps: ScreeningWorkerDeps) {
  return sqsFunction(async (record) => {
    const { investorId, reason, listVersion } = parseMessage(record, screeningRequestSchema);
    await screenInvestor(deps, investorId, { reason, listVersion });
  });
}
