import { readChainsConfig } from '../config/chains';
import { Erc3643IdentityRegistry } from '../adapters/chain/identity-registry';
import { allowlistChangeSchema, applyAllowlistChange, type IdentityRegistryGateway } from '../domain/allowlist';
import { NotFoundError } from '../domain/errors';
import { logger } from './shared/observability';
import { sqsHandler } from './shared/sqs';
import { wiring } from './shared/wiring';

const registries = new Map<number, IdentityRegistryGateway>(readChainsConfig().map((chain) => [chain.chainId, new Erc3643IdentityRegistry(chain)]));

const deps = {
  investors: wiring.investors(),
  audit: wiring.audit(),
  actor: 'system:allowlist-worker',
  registryFor: (chainId: number) => {
    const registry = registries.get(chainId);
    if (!registry) throw new NotFoundError(`chain ${chainId} is not configured`);
    return registry;
  },
};

export const handler = sqsHandler('fifo', async (record) => {
  const change = allowlistChangeSchema.parse(JSON.parse(record.body));
  const result = await applyAllowlistChange(deps, change);
  logger.info('allowlist change done', { messageId: record.messageId, investorId: change.investorId, chainId: change.chainId, action: change.action, result });
});
