import { z } from 'zod';
import { readChainsConfig } from '../../config/chains';
import { CurrentListCache, screenInvestor } from '../../modules/screening';
import { sqsHandler } from '../../platform/sqs';
import { wiring } from '../wiring';

const messageSchema = z.object({ investorId: z.string().min(1), reason: z.string(), listVersion: z.string().optional() });

const deps = {
  investors: wiring.investors(),
  screenings: wiring.screenings(),
  cases: wiring.cases(),
  audit: wiring.audit(),
  allowlist: wiring.allowlistRequests(),
  // Built on first use from the current snapshot and kept across invocations of this instance.
  lists: new CurrentListCache({ versions: wiring.listVersions(), snapshots: wiring.listSnapshots() }),
  registries: readChainsConfig().map(({ chainId, identityRegistry }) => ({ chainId, identityRegistry })),
  actor: 'system:screening-worker',
};

export const handler = sqsHandler('standard', async (record) => {
  const { investorId, reason, listVersion } = messageSchema.parse(JSON.parse(record.body));
  await screenInvestor(deps, investorId, { reason, listVersion });
});
