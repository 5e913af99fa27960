import { InvariantError, type AllowlistAction } from '../../shared';
import { ACTION_DIMENSION, ACTION_TARGET } from './change';
import type { PendingIntent, WalletState } from './ports';

/** One on-chain change of one wallet, and every pending intent it satisfies. */
export interface Operation {
  readonly action: AllowlistAction;
  readonly wallet: string;
  readonly intents: PendingIntent[];
  /** An add of a wallet the registry holds already but does not verify: its identity or claim needs repair, not a registration. */
  readonly registered?: boolean;
  /** The investor of an operation without intents of its own (a revocation that removals imply). */
  readonly investorId?: string;
}

export interface Plan {
  /** Already in the desired state on chain: success without a transaction. */
  readonly satisfied: readonly PendingIntent[];
  /** Intents that no transaction can satisfy, with the reason. */
  readonly rejected: readonly { intent: PendingIntent; reason: string }[];
  /**
   * The operations to send now, at most one per wallet and dimension, so they can share
   * transactions in any order. Intents that need a second change of the same wallet wait for a
   * later flush, after this one's transactions are mined and the state is read again.
   */
  readonly operations: readonly Operation[];
  readonly deferred: readonly PendingIntent[];
}

/**
 * Plans pending intents, in queue order, against the chain's current state. Each intent is
 * checked against the state as it will be after the operations planned before it, so a repeated
 * change rides along with the first and a remove after an add waits for the add.
 */
export function planIntents(
  intents: readonly PendingIntent[],
  states: ReadonlyMap<string, WalletState>,
  options: { repairsVerification?: boolean } = {},
): Plan {
  const satisfied: PendingIntent[] = [];
  const rejected: { intent: PendingIntent; reason: string }[] = [];
  const operations: Operation[] = [];
  const deferred: PendingIntent[] = [];
  const planned = new Map<string, Operation>();
  const blocked = new Set<string>();

  for (const intent of intents) {
    const { action, wallet } = intent.change;
    const dimension = ACTION_DIMENSION[action];
    // The claim is the investor's: one revocation stands for all of their wallets' revokes.
    const slot = dimension === 'claim' ? `claim:${intent.change.investorId}` : `${dimension}:${wallet}`;
    // Once a wallet's dimension waits for a later flush, so does everything after it: order holds.
    if (blocked.has(slot)) {
      deferred.push(intent);
      continue;
    }
    const state = states.get(wallet);
    if (!state) throw new InvariantError(`no on-chain state read for wallet ${wallet}`);
    const earlier = planned.get(slot);
    // A claim's state is read when its revocation is prepared: until then it counts as in force.
    const current = earlier ? ACTION_TARGET[earlier.action] : dimension === 'registration' ? state.contains : dimension === 'frozen' ? state.frozen : true;

    if (current === ACTION_TARGET[action]) {
      if (earlier) earlier.intents.push(intent);
      else if (action === 'add' && !state.verified && options.repairsVerification) {
        const operation: Operation = { action, wallet, intents: [intent], registered: true };
        planned.set(slot, operation);
        operations.push(operation);
      } else if (action === 'add' && !state.verified)
        rejected.push({ intent, reason: 'the wallet is registered but not verified (its identity lacks required claims); registering again cannot fix it' });
      else satisfied.push(intent);
      continue;
    }
    if (earlier) {
      blocked.add(slot);
      deferred.push(intent);
      continue;
    }
    const operation: Operation = { action, wallet, intents: [intent] };
    planned.set(slot, operation);
    operations.push(operation);
  }
  return { satisfied, rejected, operations, deferred };
}

/** Splits a list into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
