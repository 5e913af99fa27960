import { changeGroupId, type AllowlistAction, type AllowlistChange } from '../../lambda/shared';
import type { FlushDeps } from '../../lambda/modules/allowlist';
import type { PendingIntent } from '../../lambda/modules/allowlist/ports';
import {
  FakeRegistryChain,
  InMemoryAllowlistJournal,
  RecordingDeadLetters,
  RecordingFlushRequests,
  type FakeRegistryChainOptions,
} from '../../lambda/modules/allowlist/fakes';
import { inMemoryAuditLog } from '../../lambda/modules/audit/fakes';
import { InMemoryInvestorRepository, anInvestor } from '../../lambda/modules/investors/fakes';
import type { Investor } from '../../lambda/modules/investors';

/**
 * The allowlist worker's surroundings in memory: one registry chain, the journal, the audit log,
 * the investors, the DLQ and the flush requests, on one clock that only moves when the worker
 * sleeps or a test moves it. While the worker sleeps (polling for receipts) the chain mines a block.
 */
export function allowlistWorld(options: { chain?: FakeRegistryChainOptions; maxAttempts?: number; holder?: string } = {}) {
  let clock = Date.parse('2026-03-02T09:00:00.000Z');
  const now = () => new Date(clock);
  const chain = new FakeRegistryChain({ now, ...options.chain });
  const journal = new InMemoryAllowlistJournal(() => clock);
  const { audit, store } = inMemoryAuditLog(now);
  const investors = new InMemoryInvestorRepository();
  const deadLetters = new RecordingDeadLetters();
  const flushRequests = new RecordingFlushRequests();
  const group = changeGroupId(chain);
  const world = {
    chain,
    journal,
    audit,
    store,
    investors,
    deadLetters,
    flushRequests,
    group,
    now,
    /** Moves the clock on (leases expire, transactions become stuck). */
    advance(ms: number) {
      clock += ms;
    },
    deps(overrides: Partial<FlushDeps> = {}): FlushDeps {
      return {
        chain,
        journal,
        audit,
        investors,
        deadLetters,
        actor: 'system:allowlist-worker',
        holder: options.holder ?? 'worker-1',
        leaseTtlMs: 60_000,
        maxAttempts: options.maxAttempts ?? 5,
        now,
        sleep: async (ms) => {
          clock += ms;
          chain.mine();
        },
        ...overrides,
      };
    },
    /** An investor stored as the lifecycle left it: eligible (about to be allowlisted) unless told otherwise. */
    investor(overrides: Partial<Investor> = {}): Investor {
      return investors.put(anInvestor({ status: 'eligible', version: 3, ...overrides }));
    },
    change(investor: Investor, action: AllowlistAction, wallet = investor.wallets[0]!, version = investor.version): AllowlistChange {
      return {
        action,
        investorId: investor.investorId,
        wallet,
        country: investor.countryOfResidence,
        chainId: chain.chainId,
        identityRegistry: chain.identityRegistry,
        version,
      };
    },
    /** Stores changes as pending intents in the order given, as the intake does. */
    async pend(...changes: AllowlistChange[]): Promise<PendingIntent[]> {
      const stored: PendingIntent[] = [];
      for (const change of changes) {
        const key = String(++sequence).padStart(40, '0');
        const intent: PendingIntent = { group: changeGroupId(change), key, change, messageId: `m-${key}`, receivedAt: now().toISOString(), attempts: 0 };
        await journal.recordIntent(intent);
        stored.push(intent);
      }
      return stored;
    },
    /** What is still pending for the registry, oldest first. */
    pending: () => journal.pendingIntents(group, Number.MAX_SAFE_INTEGER),
    /** Record types of an investor's audit stream, in order. */
    trail: (investor: Investor) => store.types(`investor#${investor.investorId}`),
    records: (investor: Investor) => store.records(`investor#${investor.investorId}`),
  };
  let sequence = 0;
  return world;
}

export type AllowlistWorld = ReturnType<typeof allowlistWorld>;

/** Lets pending promise callbacks and I/O run until `done` holds (at most `rounds` turns of the event loop). */
export async function settle(done: () => boolean, rounds = 1_000): Promise<void> {
  for (let round = 0; round < rounds && !done(); round++) await new Promise((resolve) => setImmediate(resolve));
  if (!done()) throw new Error(`still not settled after ${rounds} turns of the event loop`);
}

/** A promise and the function that resolves it: a gate a test opens when it chooses. */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}
