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

/**
 * The worker's own control message on the allowlist queue: "apply what is pending for this
 * registry now". It travels in the registry's FIFO group, so it arrives after every change that
 * was queued before it; that is what lets the worker coalesce a burst into large batches.
 */
export const flushRequestSchema = z
  .object({ flush: z.object({ chainId: z.number().int().positive(), identityRegistry: evmAddress }).strict() })
  .strict();
export type FlushRequest = z.output<typeof flushRequestSchema>;

/** Registration (add/remove) and freezing (freeze/unfreeze) are independent on chain. */
export type StateDimension = 'registration' | 'frozen';
export const ACTION_DIMENSION: Readonly<Record<AllowlistAction, StateDimension>> = { add: 'registration', remove: 'registration', freeze: 'frozen', unfreeze: 'frozen' };
/** The value of the action's dimension once it is applied. */
export const ACTION_TARGET: Readonly<Record<AllowlistAction, boolean>> = { add: true, remove: false, freeze: true, unfreeze: false };
/** Audit event type per action. */
export const ACTION_EVENT: Readonly<Record<AllowlistAction, string>> = { add: 'allowlist.registered', remove: 'allowlist.removed', freeze: 'allowlist.frozen', unfreeze: 'allowlist.unfrozen' };

/** Audit idempotency key of a change: the record of one intended change is appended once. */
export function changeAuditKey(change: AllowlistChange): string {
  return `allowlist#${change.chainId}:${change.identityRegistry.toLowerCase()}:${change.wallet}:${change.action}:v${change.version}`;
}

/** Asks the worker to apply what is pending for a registry; `token` de-duplicates repeated requests. */
export interface FlushRequests {
  requestFlush(target: RegistryTarget, token: string): Promise<void>;
}
