import type { AllowlistHold } from '../allowlist';
import type { TokenOperationStore } from './ports';

/** The allowlist's pipeline hold from the token's control item: adds and unfreezes wait while the token is (to be) paused. */
export function tokenPipelineHold(store: Pick<TokenOperationStore, 'control'>): AllowlistHold {
  return { additionsHeld: async () => (await store.control()).paused };
}
