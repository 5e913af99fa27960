import { createHash } from 'node:crypto';
import { z } from 'zod';
import { evmAddress } from '../investors/investor';

export const ALLOWLIST_ACTIONS = ['add', 'remove', 'freeze', 'unfreeze'] as const;
export type AllowlistAction = (typeof ALLOWLIST_ACTIONS)[number];

/** An intended change to one wallet's standing on one chain's identity registry. */
export const allowlistChangeSchema = z
  .object({
    action: z.enum(ALLOWLIST_ACTIONS),
    investorId: z.string().min(1),
    wallet: evmAddress,
    /** ISO 3166-1 alpha-2 of the investor's residence; the registry stores it as a numeric code. */
    country: z.string().length(2),
    chainId: z.number().int().positive(),
    identityRegistry: evmAddress,
    /** The investor version that caused the change; part of the de-duplication key. */
    version: z.number().int().positive(),
  })
  .strict();
export type AllowlistChange = z.output<typeof allowlistChangeSchema>;

export interface RegistryTarget {
  readonly chainId: number;
  readonly identityRegistry: string;
}

/** FIFO group: one writer per chain and registry, so nonces and order never race. */
export function changeGroupId(change: Pick<AllowlistChange, 'chainId' | 'identityRegistry'>): string {
  return `${change.chainId}:${change.identityRegistry.toLowerCase()}`;
}

/** FIFO de-duplication id: the same intended change is sent once however often it is requested. */
export function changeDeduplicationId(change: AllowlistChange): string {
  const key = [change.chainId, change.identityRegistry.toLowerCase(), change.investorId, change.wallet, change.action, change.version].join('|');
  return createHash('sha256').update(key).digest('hex');
}

export interface AllowlistRequests {
  request(change: AllowlistChange): Promise<void>;
}
