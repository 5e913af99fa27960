import { stateChange, type AuditEvent, type AuditLog } from '../audit';
import { ConflictError } from '../../shared';
import { transition, type Investor, type InvestorRepository } from '../investors';
import { ACTION_EVENT, changeAuditKey } from './change';
import { distinctInvestors, forEachInvestor } from './per-investor';
import type { AllowlistJournal, DeadLetters, PendingIntent, RegistryChain } from './ports';
import type { StaleIntent } from './stale';

/** What recording the outcome of a registry's changes needs. */
export interface Recorder {
  readonly chain: Pick<RegistryChain, 'chainId' | 'identityRegistry'>;
  readonly journal: AllowlistJournal;
  readonly audit: AuditLog;
  readonly investors: InvestorRepository;
  readonly deadLetters: DeadLetters;
  readonly actor: string;
  /** The registry's FIFO group: `<chainId>:<registry>`. */
  readonly group: string;
  readonly now: () => Date;
}

/** Counts of what a flush did with the intents it resolved. */
export interface Tally {
  readonly applied: number;
  readonly alreadyInState: number;
  readonly skipped: number;
  readonly deadLettered: number;
  readonly transactions: number;
}

export const NO_TALLY: Tally = { applied: 0, alreadyInState: 0, skipped: 0, deadLettered: 0, transactions: 0 };

export function plus(a: Tally, b: Partial<Tally>): Tally {
  return {
    applied: a.applied + (b.applied ?? 0),
    alreadyInState: a.alreadyInState + (b.alreadyInState ?? 0),
    skipped: a.skipped + (b.skipped ?? 0),
    deadLettered: a.deadLettered + (b.deadLettered ?? 0),
    transactions: a.transactions + (b.transactions ?? 0),
  };
}

/** The transaction that applied an intent, as its audit record states it. */
export interface TransactionFacts {
  readonly transactionHash: string;
  readonly nonce: number;
  readonly blockNumber: number;
  readonly batchSize: number;
}

/** An intent done: applied by a transaction, or (without one) found already in place on chain. */
export interface DoneIntent {
  readonly intent: PendingIntent;
  readonly tx?: TransactionFacts;
}

/**
 * Recording runs behind the chain, one piece of work after another: each audit stream gets its
 * records in the order the work was queued, and what was recorded adds up to the flush's counts.
 */
export interface Bookkeeping {
  /** Queues work behind what is already queued; it runs while the flush goes on. */
  later(work: () => Promise<Partial<Tally>>): void;
  /** What was recorded, once all that is queued is; rejects with the failure that stopped the recording. */
  recorded(): Promise<Tally>;
}

export function bookkeeping(): Bookkeeping {
  let queue: Promise<Tally> = Promise.resolve(NO_TALLY);
  return {
    later(work) {
      const next = queue.then(async (recorded) => plus(recorded, await work()));
      // A failure surfaces where the flush awaits its bookkeeping; nothing queued after it runs.
      next.catch(() => undefined);
      queue = next;
    },
    recorded: () => queue,
  };
}

/**
 * Audit record per intent (before the journal forgets it), and eligible investors become
 * allowlisted: every record is appended together (few writes), each investor's transition is
 * recorded before it is saved, and a save that loses a race is redone from a fresh read.
 */
export async function recordDone(recorder: Recorder, done: readonly DoneIntent[]): Promise<Partial<Tally>> {
  const { chainId, identityRegistry } = recorder.chain;
  const transitions = await allowlistings(recorder, done);
  await recorder.audit.appendAll([
    ...done.map(({ intent: { change }, tx }) => ({
      stream: `investor#${change.investorId}`,
      type: ACTION_EVENT[change.action],
      actor: recorder.actor,
      investorId: change.investorId,
      data: { chainId, identityRegistry, wallet: change.wallet, ...(tx ?? { observedOnChain: true }) },
      idempotencyKey: changeAuditKey(change),
    })),
    ...transitions.map(({ intent, allowlisted }) => allowlistedEvent(recorder, intent, allowlisted)),
  ]);
  await forEachInvestor(transitions, async ({ intent, allowlisted }) => {
    try {
      await recorder.investors.save(allowlisted);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      await markAllowlisted(recorder, intent);
    }
  });
  await recorder.journal.completeIntents(recorder.group, keysOf(done));
  const applied = done.filter(({ tx }) => tx !== undefined).length;
  return { applied, alreadyInState: done.length - applied };
}

/** Records stale changes as skipped, with the reason, and forgets them. */
export async function recordSkipped(recorder: Recorder, stale: readonly StaleIntent[]): Promise<Partial<Tally>> {
  const { chainId, identityRegistry } = recorder.chain;
  await recorder.audit.appendAll(
    stale.map(({ intent: { change, key }, reason }) => ({
      stream: `investor#${change.investorId}`,
      type: 'allowlist.skipped',
      actor: recorder.actor,
      investorId: change.investorId,
      data: { chainId, identityRegistry, wallet: change.wallet, action: change.action, reason },
      idempotencyKey: `${changeAuditKey(change)}:skipped:${key}`,
    })),
  );
  await recorder.journal.completeIntents(recorder.group, keysOf(stale));
  return { skipped: stale.length };
}

/**
 * The change goes to the DLQ with its reason first, so it is never lost; then the audit record;
 * then the journal forgets it. Returns how many went.
 */
export async function deadLetter(recorder: Recorder, entries: readonly { intent: PendingIntent; code: string; reason: string }[]): Promise<number> {
  if (entries.length === 0) return 0;
  const { chainId, identityRegistry } = recorder.chain;
  await forEachInvestor(entries, async ({ intent, code, reason }) => {
    const { change } = intent;
    await recorder.deadLetters.send({ body: JSON.stringify(change), group: recorder.group, key: intent.key }, { code, reason, attempts: intent.attempts });
    await recorder.audit.append({
      stream: `investor#${change.investorId}`,
      type: 'allowlist.failed',
      actor: recorder.actor,
      investorId: change.investorId,
      data: { chainId, identityRegistry, wallet: change.wallet, action: change.action, code, reason },
      idempotencyKey: `${changeAuditKey(change)}:failed:${intent.key}`,
    });
  });
  await recorder.journal.completeIntents(recorder.group, keysOf(entries));
  return entries.length;
}

/** The investors of the adds who are eligible now, each with the allowlisted state their wallet's registration moves them to. */
async function allowlistings(recorder: Recorder, done: readonly DoneIntent[]): Promise<{ intent: PendingIntent; allowlisted: Investor }[]> {
  const adds = distinctInvestors(done.filter(({ intent }) => intent.change.action === 'add'));
  const allowlisted = new Map<PendingIntent, Investor>();
  await forEachInvestor(adds, async ({ intent }) => {
    const investor = await recorder.investors.get(intent.change.investorId);
    if (investor?.status === 'eligible') allowlisted.set(intent, transition(investor, 'allowlisted', recorder.now()));
  });
  return adds.flatMap(({ intent }) => {
    const investor = allowlisted.get(intent);
    return investor ? [{ intent, allowlisted: investor }] : [];
  });
}

function allowlistedEvent(recorder: Recorder, { change }: PendingIntent, allowlisted: Investor): AuditEvent {
  const stream = `investor#${change.investorId}`;
  const where = { chainId: change.chainId, identityRegistry: change.identityRegistry, wallet: change.wallet };
  return stateChange({ stream, type: 'investor.allowlisted', actor: recorder.actor, investorId: change.investorId, data: where }, allowlisted.version);
}

/** eligible → allowlisted once a wallet is registered; other chains' workers may race to do the same. */
async function markAllowlisted(recorder: Recorder, intent: PendingIntent): Promise<void> {
  const { change } = intent;
  for (let attempt = 0; attempt < 3; attempt++) {
    const investor = await recorder.investors.get(change.investorId);
    if (investor?.status !== 'eligible') return;
    const allowlisted = transition(investor, 'allowlisted', recorder.now());
    await recorder.audit.append(allowlistedEvent(recorder, intent, allowlisted));
    try {
      await recorder.investors.save(allowlisted);
      return;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}

function keysOf(entries: readonly { intent: PendingIntent }[]): string[] {
  return entries.map(({ intent }) => intent.key);
}
