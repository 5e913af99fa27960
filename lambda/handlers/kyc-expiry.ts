import { expireKycApprovals } from '../domain/investors';
import { logger } from './shared/observability';
import { wiring } from './shared/wiring';

const deps = { ...wiring.lifecycle(), actor: 'system:kyc-expiry' };

/** Daily (EventBridge): approvals past their validity are revoked until the investor passes KYC again. */
export const handler = async (): Promise<{ expired: number }> => {
  const result = await expireKycApprovals(deps);
  logger.info('kyc expiry sweep done', result);
  return result;
};
