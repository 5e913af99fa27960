import { z } from 'zod';
import { ENV } from './system';
import { ConfigurationError, readJsonEnv } from './env';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address');

/** How the allowlist worker pays for and replaces transactions on a chain. */
export const feePolicySchema = z.object({
  /** A transaction not mined after this long is replaced: same nonce, higher fee. */
  stuckAfterSeconds: z.number().positive().default(60),
  /** Fee increase per replacement; nodes refuse replacements below +10 %. */
  bumpPercent: z.number().int().min(10).max(300).default(15),
});

export const chainConfigSchema = z.object({
  chainId: z.number().int().positive(),
  name: z.string().min(1),
  /** Optional here: RPC URLs often embed provider keys, so on AWS they come from the chainRpcUrls secret. */
  rpcUrl: z.string().url().optional(),
  identityRegistry: address,
  /** ONCHAINID factory that creates one identity contract per investor. */
  identityFactory: address,
  token: address,
  /**
   * Our ONCHAINID ClaimIssuer on this chain, trusted by the token's TrustedIssuersRegistry for
   * kycClaimTopic (a required topic of its ClaimTopicsRegistry): the worker gives each investor's
   * identity a KYC claim it signs, and revokes it to unverify every wallet of the investor at once.
   * Without it the worker registers wallets to the investor's identity and issues no claims.
   */
  claimIssuer: address.optional(),
  /** The KYC claim topic (ERC-735 topic number) the ClaimTopicsRegistry requires. */
  kycClaimTopic: z.number().int().nonnegative().default(1),
  /** Blocks to wait after inclusion before a change counts as done. */
  confirmations: z.number().int().min(1).default(1),
  /** Most wallets per batched transaction (batchRegisterIdentity, batchSetAddressFrozen). */
  maxBatchSize: z.number().int().min(1).max(500).default(100),
  /** How often the worker polls for receipts. */
  pollIntervalMs: z.number().int().min(10).default(1000),
  fees: feePolicySchema.prefault({}),
});
export type ChainConfig = z.infer<typeof chainConfigSchema>;
/** A chain as written in configuration, defaults not yet applied. */
export type ChainConfigInput = z.input<typeof chainConfigSchema>;

export const chainsConfigSchema = z.array(chainConfigSchema).min(1, 'at least one chain');

export function readChainsConfig(env: NodeJS.ProcessEnv = process.env): ChainConfig[] {
  return readJsonEnv(ENV.chains, chainsConfigSchema, env);
}

/** The chainRpcUrls secret: `{"<chainId>": "https://..."}`. */
export const rpcUrlsSchema = z.record(z.string().regex(/^\d+$/, 'keys are chain ids'), z.string().url());

/** Each chain with its RPC URL: from the secret where it has one, else from the chain's own config. */
export function withRpcUrls(chains: readonly ChainConfig[], rpcUrls: Readonly<Record<string, string>>): (ChainConfig & { rpcUrl: string })[] {
  return chains.map((chain) => {
    const rpcUrl = rpcUrls[String(chain.chainId)] ?? chain.rpcUrl;
    if (!rpcUrl) throw new ConfigurationError(`No RPC URL for chain ${chain.chainId} (${chain.name}): add it to the chainRpcUrls secret`);
    return { ...chain, rpcUrl };
  });
}

/** The identity registries of the configured chains: every wallet joins or leaves each of them. */
export function registriesOf(chains: readonly ChainConfig[]): { chainId: number; identityRegistry: string }[] {
  return chains.map(({ chainId, identityRegistry }) => ({ chainId, identityRegistry }));
}
