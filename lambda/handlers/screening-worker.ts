import { z } from 'zod';
import { readChainsConfig } from '../config/chains';
import { placeholderScreener, screenInvestor } from '../domain/screening';
import { sqsHandler } from './shared/sqs';
import { wiring } from './shared/wiring';

const messageSchema = z.object({ investorId: z.string().min(1), reason: z.string() });

const deps = {
  investors: wiring.investors(),
  screenings: wiring.screenings(),
  audit: wiring.audit(),
  allowlist: wiring.allowlistRequests(),
  screener: placeholderScreener,
  registries: readChainsConfig().map(({ chainId, identityRegistry }) => ({ chainId, identityRegistry })),
  actor: 'system:screening-worker',
};

export const handler = sqsHandler('standard', async (record) => {
  const { investorId } = messageSchema.parse(JSON.parse(record.body));
  await screenInvestor(deps, investorId);
});
