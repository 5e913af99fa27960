import type { AllowlistAction, AllowlistChange } from '../../shared';

/** Registration (add/remove) and freezing (freeze/unfreeze) are independent on chain. */
export type StateDimension = 'registration' | 'frozen';
export const ACTION_DIMENSION: Readonly<Record<AllowlistAction, StateDimension>> = {
  add: 'registration',
  remove: 'registration',
  freeze: 'frozen',
  unfreeze: 'frozen',
};
/** The value of the action's dimension once it is applied. */
export const ACTION_TARGET: Readonly<Record<AllowlistAction, boolean>> = { add: true, remove: false, freeze: true, unfreeze: false };
/** Audit event type per action. */
export const ACTION_EVENT: Readonly<Record<AllowlistAction, string>> = {
  add: 'allowlist.registered',
  remove: 'allowlist.removed',
  freeze: 'allowlist.frozen',
  unfreeze: 'allowlist.unfrozen',
};

/** Audit idempotency key of a change: the record of one intended change is appended once. */
export function changeAuditKey(change: AllowlistChange): string {
  return `allowlist#${change.chainId}:${change.identityRegistry.toLowerCase()}:${change.wallet}:${change.action}:v${change.version}`;
}
