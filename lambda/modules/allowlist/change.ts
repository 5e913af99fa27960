import type { AllowlistAction, AllowlistChange } from '../../shared';

/** Registration (add/remove), freezing (freeze/unfreeze) and the investor's KYC claim (revoke) are independent on chain. */
export type StateDimension = 'registration' | 'frozen' | 'claim';
export const ACTION_DIMENSION: Readonly<Record<AllowlistAction, StateDimension>> = {
  add: 'registration',
  remove: 'registration',
  freeze: 'frozen',
  unfreeze: 'frozen',
  revoke: 'claim',
};
/** The value of the action's dimension once it is applied. */
export const ACTION_TARGET: Readonly<Record<AllowlistAction, boolean>> = { add: true, remove: false, freeze: true, unfreeze: false, revoke: false };
/** Audit event type per action. */
export const ACTION_EVENT: Readonly<Record<AllowlistAction, string>> = {
  add: 'allowlist.registered',
  remove: 'allowlist.removed',
  freeze: 'allowlist.frozen',
  unfreeze: 'allowlist.unfrozen',
  revoke: 'allowlist.claim_revoked',
};

/** Audit idempotency key of a change: the record of one intended change is appended once. */
export function changeAuditKey(change: AllowlistChange): string {
  return `allowlist#${change.chainId}:${change.identityRegistry.toLowerCase()}:${change.wallet}:${change.action}:v${change.version}`;
}
