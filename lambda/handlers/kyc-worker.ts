import { z } from 'zod';
import { vendorApis } from '../adapters/kyc-vendors';
import { readPositiveIntSetting } from '../config/env';
import { applyKycEvent } from '../domain/kyc/apply';
import { logger } from './shared/observability';
import { sqsHandler } from './shared/sqs';
import { wiring } from './shared/wiring';

const messageSchema = z.object({ eventKey: z.string().min(1) });
const deps = {
  ...wiring.lifecycle(),
  events: wiring.kycEvents(),
  cases: wiring.cases(),
  kycValidityDays: readPositiveIntSetting('kycValidityDays'),
  actor: 'system:kyc-worker',
};
// Re-read with the secrets cache (5 minutes), so fixed credentials take effect without a cold start.
const VENDOR_API_REFRESH_MS = 5 * 60_000;
let apis: { get: Awaited<ReturnType<typeof vendorApis>>; readAt: number } | undefined;

export const handler = sqsHandler('standard', async (record) => {
  const { eventKey } = messageSchema.parse(JSON.parse(record.body));
  if (!apis || Date.now() - apis.readAt > VENDOR_API_REFRESH_MS) apis = { get: await vendorApis(), readAt: Date.now() };
  const outcome = await applyKycEvent({ ...deps, vendorApi: apis.get }, eventKey);
  logger.info('kyc event handled', { messageId: record.messageId, eventKey, outcome });
  // Verdicts in one batch are often about the same investor (a vendor's GREEN then RED): in order, not racing.
}, { inParallel: false });
