import { z } from 'zod';
import { vendorApis } from '../../modules/kyc/adapters';
import { readPositiveIntSetting } from '../../config/env';
import { applyKycEvent } from '../../modules/kyc';
import { logger } from '../../platform/observability';
import { sqsHandler } from '../../platform/sqs';
import { wiring } from '../wiring';

const messageSchema = z.object({ eventKey: z.string().min(1) });
const deps = {
  ...wiring.lifecycle(),
  events: wiring.kycEvents(),
  cases: wiring.cases(),
  kycValidityDays: readPositiveIntSetting('kycValidityDays'),
  actor: 'system:kyc-worker',
};

export const handler = sqsHandler('standard', async (record) => {
  const { eventKey } = messageSchema.parse(JSON.parse(record.body));
  // Read per record: the secrets adapter caches for 5 minutes, so fixed credentials arrive without a cold start.
  const outcome = await applyKycEvent({ ...deps, vendorApi: await vendorApis() }, eventKey);
  logger.info('kyc event handled', { messageId: record.messageId, eventKey, outcome });
  // Verdicts in one batch are often about the same investor (a vendor's GREEN then RED): in order, not racing.
}, { inParallel: false });
