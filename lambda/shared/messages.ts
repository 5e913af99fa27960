import { createHash } from 'node:crypto';
import { z } from 'zod';
import { toChecksumAddress } from './keccak';

/**
 * The contracts of every queue message: the modules that send a message and the one that
 * consumes it share the schema here, so neither imports the other.
 */

/**
 * An EVM address: all lower case, all upper case, or mixed case with a correct EIP-55 checksum (a
 * mixed-case address with a wrong one is a typo the checksum exists to catch). Stored lower case.
 */
const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

export const evmAddress = z
  .string()
  .trim()
  .regex(HEX_ADDRESS, 'must be a 0x-prefixed 20-byte hex address')
  .refine((address) => {
    // zod runs refinements after a failed regex too: only a well-formed address has a checksum to check.
    if (!HEX_ADDRESS.test(address)) return true;
    const hex = address.slice(2);
    return hex === hex.toLowerCase() || hex === hex.toUpperCase() || toChecksumAddress(address) === address;
  }, 'has a wrong EIP-55 checksum (mixed case that does not match the address); check it or send it in lower case')
  .transform((address) => address.toLowerCase());

/** An investor's wallet: an address that can hold tokens, so never the zero address. */
export const walletAddress = evmAddress.refine((address) => !/^0x0{40}$/.test(address), 'must not be the zero address');

// ---- allowlist queue (FIFO) -------------------------------------------------------------------

/**
 * `revoke` revokes the investor's KYC claim on the chain (one transaction for all their wallets,
 * which are unverified from then on); it is sent for each wallet, ahead of its `remove`, and the
 * worker folds an investor's revokes into one.
 */
export const ALLOWLIST_ACTIONS = ['add', 'remove', 'freeze', 'unfreeze', 'revoke'] as const;
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

/**
 * The allowlist worker's own control message on the allowlist queue: "apply what is pending for this
 * registry now". It travels in the registry's FIFO group, so it arrives after every change that
 * was queued before it; that is what lets the worker coalesce a burst into large batches.
 */
export const flushRequestSchema = z.object({ flush: z.object({ chainId: z.number().int().positive(), identityRegistry: evmAddress }).strict() }).strict();
export type FlushRequest = z.output<typeof flushRequestSchema>;

/** One chain's identity registry: where a wallet's allowlist standing lives. */
export interface RegistryTarget {
  readonly chainId: number;
  readonly identityRegistry: string;
}

/** FIFO group: one writer per chain and registry, so nonces and order never race. */
export function changeGroupId(change: RegistryTarget): string {
  return `${change.chainId}:${change.identityRegistry.toLowerCase()}`;
}

/** FIFO de-duplication id: the same intended change is sent once however often it is requested. */
export function changeDeduplicationId(change: AllowlistChange): string {
  const key = [change.chainId, change.identityRegistry.toLowerCase(), change.investorId, change.wallet, change.action, change.version].join('|');
  return createHash('sha256').update(key).digest('hex');
}

// ---- screening queue --------------------------------------------------------------------------

/** Asks the screening worker to screen one investor against the current list. */
export const screeningRequestSchema = z.object({
  investorId: z.string().min(1),
  /** Why: `registered`, `list changed`, `wallet added`, ... */
  reason: z.string(),
  /** Re-screens: the list version that asked for it; the worker holds that version or a newer one. */
  listVersion: z.string().optional(),
});
export type ScreeningRequestMessage = z.output<typeof screeningRequestSchema>;

// ---- KYC queue --------------------------------------------------------------------------------

/** A verified, stored KYC webhook event, handed from the webhook to the KYC worker by its key. */
export const kycEventMessageSchema = z.object({ eventKey: z.string().min(1) });
export type KycEventMessage = z.output<typeof kycEventMessageSchema>;

/** Token queue (FIFO, group = `token:<chainId>`): execute one token operation (pause, unpause) on one chain. */
export const tokenOperationMessageSchema = z.object({ operationId: z.string().min(1).max(64), chainId: z.number().int().positive() }).strict();
export type TokenOperationMessage = z.output<typeof tokenOperationMessageSchema>;

/** FIFO group of a chain's token operations: they run in the order they were requested. */
export function tokenGroupId(chainId: number): string {
  return `token:${chainId}`;
}
