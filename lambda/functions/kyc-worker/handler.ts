import { applyKycEvent } from '../../modules/kyc';
import { kycEventMessageSchema } from '../../shared';
import { logger } from '../../platform/observability';
import { parseMessage, sqsFunction } from '../../platform/sqs';
import type { KycWorkerDeps } from './root';

/** Applies each stored KYC verdict to the investor lifecycle, in the vendor's order. */
export function createHandler({ vendorApis, ...deps }: KycWorkerDeps) {
  return sqsFunction(
    async (record) => {
      const { eventKey } = parseMessage(record, kycEventMessageSchema);
      const outcome = await applyKycEvent({ ...deps, vendorApi: await vendorApis() }, eventKey);
      logger.info('kyc event handled', { messageId: record.messageId, eventKey, outcome });
    },
    // Verdicts in one batch are often about the same investor (a vendor's GREEN then RED): in order, not racing.
    { inParallel: false },
  );
}
