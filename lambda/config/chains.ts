import { z } from 'zod';
import { ENV } from './system';
import { readJsonEnv } from './env';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address');

export const chainConfigSchema = z.object({
  chainId: z.number().int().positive(),
  name: z.string().min(1),
  rpcUrl: z.string().url(),
  identityRegistry: address,
  /** ONCHAINID factory that creates one identity contract per investor. */
  identityFactory: address,
  token: address,
  /** Blocks to wait after inclusion before a change counts as done. */
  confirmations: z.number().int().min(1).default(1),
});
export type ChainConfig = z.infer<typeof chainConfigSchema>;

export const chainsConfigSchema = z.array(chainConfigSchema).min(1, 'at least one chain');

export function readChainsConfig(env: NodeJS.ProcessEnv = process.env): ChainConfig[] {
  return readJsonEnv(ENV.chains, chainsConfigSchema, env);
}

