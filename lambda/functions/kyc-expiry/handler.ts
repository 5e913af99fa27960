import { expireKycApprovals } from '../../modules/investors';
import { logger } from '../../platform/observability';
import { scheduledFunction } from '../../platform/scheduled';
import type { KycExpiryDeps } from './root';

/** Daily (EventBridge): approvals past their validity are revoked until the investor passes KYC again. */
export function createHandler(deps: KycExpiryDeps) {
  return scheduledFunction(async () => {
    const result = await expireKycApprovals(deps);
    logger.info('kyc expiry sweep done', result);
    return result;
  });
}
