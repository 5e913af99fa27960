import type { AllowlistWorker } from '../lambda/functions/allowlist-worker/root';
import type { FlushDeps } from '../lambda/modules/allowlist';
import type { RegistryTarget } from '../lambda/shared';

/** Where a flush spends its time: each port call of the worker falls in one phase. */
const PHASE_OF: Readonly<Record<string, string>> = {
  'chain.walletStates': 'chain reads (state, identities, simulation, gas, nonces)',
  'chain.identities': 'chain reads (state, identities, simulation, gas, nonces)',
  'chain.simulate': 'chain reads (state, identities, simulation, gas, nonces)',
  'chain.estimateGas': 'chain reads (state, identities, simulation, gas, nonces)',
  'chain.currentFees': 'chain reads (state, identities, simulation, gas, nonces)',
  'chain.transactionCount': 'chain reads (state, identities, simulation, gas, nonces)',
  'chain.blockNumber': 'chain reads (state, identities, simulation, gas, nonces)',
  'chain.investorIdentities': 'chain reads (state, identities, simulation, gas, nonces)',
  'chain.registeredIdentities': 'chain reads (state, identities, simulation, gas, nonces)',
  'chain.kycClaim': 'chain reads (state, identities, simulation, gas, nonces)',
  'chain.signClaim': 'signing',
  'chain.sign': 'signing',
  'chain.broadcast': 'broadcast and receipts',
  'chain.receipt': 'broadcast and receipts',
  'journal.claimSlots': 'journal (nonce claims, slots, intents, lease)',
  'journal.finishSlots': 'journal (nonce claims, slots, intents, lease)',
  'journal.highestNonce': 'journal (nonce claims, slots, intents, lease)',
  'journal.slotsFrom': 'journal (nonce claims, slots, intents, lease)',
  'journal.pendingIntents': 'journal (nonce claims, slots, intents, lease)',
  'journal.pendingSummary': 'journal (nonce claims, slots, intents, lease)',
  'journal.completeIntents': 'journal (nonce claims, slots, intents, lease)',
  'journal.acquireLease': 'journal (nonce claims, slots, intents, lease)',
  'journal.releaseLease': 'journal (nonce claims, slots, intents, lease)',
  'investors.get': 'investor reads (status check, transition)',
  'investors.save': 'investor saves',
  'audit.appendAll': 'audit records',
  'audit.append': 'audit records',
};

/**
 * Times a worker's port calls by phase, as wall-clock time during which the phase had a call in
 * flight (phases overlap: a page is recorded while the next one is sent). For the benchmark only.
 */
export class PhaseClock {
  private readonly intervals = new Map<string, [number, number][]>();

  /** The worker with its flush ports timed, and an invoke wrapper that times intake and flush batches. */
  instrument(worker: AllowlistWorker): AllowlistWorker {
    const timed = new Map<FlushDeps, FlushDeps>();
    const registry = (target: RegistryTarget) => {
      const deps = worker.registry(target);
      if (!deps) return undefined;
      if (!timed.has(deps)) {
        timed.set(deps, {
          ...deps,
          chain: this.wrap('chain', deps.chain),
          journal: this.wrap('journal', deps.journal),
          investors: this.wrap('investors', deps.investors),
          audit: this.wrap('audit', deps.audit),
        });
      }
      return timed.get(deps);
    };
    return { ...worker, registry };
  }

  /** Records `[start, end]` of one handler invocation under `phase`. */
  async time<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.add(phase, start, performance.now());
    }
  }

  /** Each phase's wall-clock time in ms, longest first. */
  report(): [string, number][] {
    return [...this.intervals.entries()].map(([phase, spans]): [string, number] => [phase, union(spans)]).sort((a, b) => b[1] - a[1]);
  }

  private add(phase: string, start: number, end: number): void {
    const spans = this.intervals.get(phase) ?? [];
    spans.push([start, end]);
    this.intervals.set(phase, spans);
  }

  private wrap<T extends object>(port: string, target: T): T {
    return new Proxy(target, {
      get: (object, property, receiver) => {
        const value = Reflect.get(object, property, receiver) as unknown;
        const phase = PHASE_OF[`${port}.${String(property)}`];
        if (typeof value !== 'function' || !phase) return value;
        return (...args: unknown[]) => this.time(phase, () => (value as (...a: unknown[]) => Promise<unknown>).apply(object, args));
      },
    });
  }
}

function union(spans: readonly [number, number][]): number {
  let total = 0;
  let end = -Infinity;
  for (const [start, stop] of [...spans].sort((a, b) => a[0] - b[0])) {
    if (stop <= end) continue;
    total += stop - Math.max(start, end);
    end = stop;
  }
  return total;
}
