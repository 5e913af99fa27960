import { bumpFees } from '../../../lambda/modules/allowlist/transactions';
import { chunk, planIntents } from '../../../lambda/modules/allowlist/plan';
import type { PendingIntent, WalletState } from '../../../lambda/modules/allowlist/ports';
import type { AllowlistAction } from '../../../lambda/shared';

const W1 = '0x1111111111111111111111111111111111111111';
const W2 = '0x2222222222222222222222222222222222222222';
let sequence = 0;
function intent(action: AllowlistAction, wallet: string): PendingIntent {
  sequence++;
  return {
    group: 'g',
    key: String(sequence).padStart(4, '0'),
    change: { action, investorId: 'i', wallet, country: 'US', chainId: 1, identityRegistry: W2, version: sequence },
    messageId: `m${sequence}`,
    receivedAt: '',
    attempts: 0,
  };
}
const state = (contains: boolean, frozen = false, verified = contains): WalletState => ({ contains, verified, frozen });

describe('planIntents', () => {
  it('treats a change already in force on chain as done without a transaction', () => {
    const plan = planIntents([intent('add', W1), intent('unfreeze', W1)], new Map([[W1, state(true)]]));
    expect(plan.satisfied).toHaveLength(2);
    expect(plan.operations).toEqual([]);
  });

  it('lets repeats ride on the first operation and keeps a freeze and a removal of one wallet together', () => {
    const plan = planIntents(
      [intent('add', W1), intent('add', W1), intent('freeze', W2), intent('remove', W2)],
      new Map([
        [W1, state(false)],
        [W2, state(true)],
      ]),
    );
    expect(plan.operations.map((operation) => [operation.action, operation.wallet, operation.intents.length])).toEqual([
      ['add', W1, 2],
      ['freeze', W2, 1],
      ['remove', W2, 1],
    ]);
  });

  it('defers a second change of the same wallet and dimension, and everything after it, to the next round', () => {
    const plan = planIntents([intent('add', W1), intent('remove', W1), intent('add', W1), intent('freeze', W1)], new Map([[W1, state(false)]]));
    expect(plan.operations.map((operation) => operation.action)).toEqual(['add', 'freeze']);
    expect(plan.deferred.map((deferred) => deferred.change.action)).toEqual(['remove', 'add']);
  });

  it('rejects an add for a wallet that is registered but not verified', () => {
    const plan = planIntents([intent('add', W1)], new Map([[W1, state(true, false, false)]]));
    expect(plan.rejected[0]?.reason).toMatch(/not verified/);
  });
});

describe('bumpFees', () => {
  it('raises both fees by at least the percentage, and to what the chain asks if that is more', () => {
    expect(bumpFees({ maxFeePerGas: '100', maxPriorityFeePerGas: '10' }, { maxFeePerGas: '50', maxPriorityFeePerGas: '5' }, 15)).toEqual({
      maxFeePerGas: '115',
      maxPriorityFeePerGas: '12',
    });
    expect(bumpFees({ maxFeePerGas: '100', maxPriorityFeePerGas: '10' }, { maxFeePerGas: '300', maxPriorityFeePerGas: '30' }, 15)).toEqual({
      maxFeePerGas: '300',
      maxPriorityFeePerGas: '30',
    });
  });
});

describe('chunk', () => {
  it('splits into pieces of at most the size, in order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
