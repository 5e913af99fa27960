import { expireKycApprovals } from '../../modules/investors';
import { logger } from '../../platform/observability';
import { wiring } from '../wiring';

const deps = { ...wiring.lifecycle(), actor: 'system:kyc-expiry' };

/** Daily (EventBridge): approvals past their validity are revoked until the investor passes KYC again. */
export const handler = async (): Promise<{ expired: number }> => {
  const result = await expireKycApprovals(deps);
  logger.info('kyc expiry sweep done', result);
  return result;
};
