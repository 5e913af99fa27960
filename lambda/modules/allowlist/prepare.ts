import { ChainRevertError } from './errors';
import { chunk, type Operation } from './plan';
import type { ChainCall, PendingIntent, RegistryChain } from './ports';

/** A call ready to be signed: simulated, with its gas limit and the operations it applies. */
export interface Prepared {
  readonly call: ChainCall;
  readonly gasLimit: bigint;
  readonly operations: readonly Operation[];
}

/** An intent the chain would refuse, with the revert: it goes to the DLQ. */
export interface RevertedIntent {
  readonly intent: PendingIntent;
  readonly code: string;
  readonly reason: string;
}

export interface Preparation {
  readonly calls: readonly Prepared[];
  readonly reverted: readonly RevertedIntent[];
}

const NOTHING: Preparation = { calls: [], reverted: [] };

/** Calls of up to maxBatchSize operations each, simulated through a gas estimate (its gas, +20%, is the limit). */
export async function simulateBatches(
  chain: RegistryChain,
  operations: readonly Operation[],
  toCall: (wallets: string[], batch: readonly Operation[]) => ChainCall,
): Promise<Preparation> {
  let preparation = NOTHING;
  for (const batch of chunk(operations, chain.maxBatchSize)) {
    // The call is built from the part being simulated: a split simulates each half on its own.
    const simulated = await simulateSplitting(
      chain,
      batch,
      (part) =>
        toCall(
          part.map((operation) => operation.wallet),
          part,
        ),
      'estimate',
    );
    preparation = joined(preparation, simulated);
  }
  return preparation;
}

/** One call per operation, simulated side by side without estimating (cheaper); shareOneEstimate gives them their gas limit. */
export async function simulateEach(chain: RegistryChain, operations: readonly Operation[], toCall: (operation: Operation) => ChainCall): Promise<Preparation> {
  const simulated = await Promise.all(operations.map((operation) => simulateSplitting(chain, [operation], () => toCall(operation), 'call')));
  return simulated.reduce(joined, NOTHING);
}

/**
 * Calls of one kind on one contract cost the same but for their arguments' length: one estimate,
 * with room to spare (+50%), serves them all (each was still simulated for reverts).
 */
export async function shareOneEstimate(chain: RegistryChain, calls: readonly Prepared[]): Promise<Prepared[]> {
  if (calls.length === 0) return [];
  const gas = ((await chain.estimateGas(calls[0]!.call)) * 15n) / 10n;
  return calls.map((call) => ({ ...call, gasLimit: gas }));
}

/**
 * Simulates the call of a batch. A batch that would revert is split in halves until the entries
 * that fail on their own are found: those are set aside with the revert reason, the rest still goes through.
 */
export async function simulateSplitting(
  chain: RegistryChain,
  batch: readonly Operation[],
  toCall: (batch: readonly Operation[]) => ChainCall,
  mode: 'estimate' | 'call',
): Promise<Preparation> {
  const call = toCall(batch);
  try {
    if (mode === 'call') {
      await chain.simulate(call);
      return { calls: [{ call, gasLimit: 0n, operations: batch }], reverted: [] };
    }
    const gas = await chain.estimateGas(call);
    return { calls: [{ call, gasLimit: (gas * 12n) / 10n, operations: batch }], reverted: [] };
  } catch (error) {
    if (!(error instanceof ChainRevertError)) throw error;
    if (batch.length === 1) return { calls: [], reverted: batch[0]!.intents.map((intent) => ({ intent, code: error.code, reason: error.reason })) };
    const half = Math.ceil(batch.length / 2);
    const first = await simulateSplitting(chain, batch.slice(0, half), toCall, mode);
    return joined(first, await simulateSplitting(chain, batch.slice(half), toCall, mode));
  }
}

function joined(a: Preparation, b: Preparation): Preparation {
  return { calls: [...a.calls, ...b.calls], reverted: [...a.reverted, ...b.reverted] };
}
