import { stateChange, type AuditEvent, type AuditLog } from '../audit';
import { ConflictError, TransientError, numericCountryCode, changeGroupId, type AllowlistAction, type AllowlistChange } from '../../shared';
import { transition, type Investor, type InvestorRepository, type InvestorStatus } from '../investors';
import { ACTION_EVENT, changeAuditKey } from './change';
import { ChainRevertError } from './errors';
import { chunk, planIntents, type Operation } from './plan';
import type { AllowlistJournal, ChainCall, DeadLetters, PendingIntent, RegistryChain, TransactionSlot } from './ports';
import { JournaledSender, type CallToSend, type SettledSlot } from './transactions';

export interface FlushDeps {
  readonly chain: RegistryChain;
  readonly journal: AllowlistJournal;
  readonly audit: AuditLog;
  readonly investors: InvestorRepository;
  readonly deadLetters: DeadLetters;
  readonly actor: string;
  /** This worker's name as the registry's single writer. */
  readonly holder: string;
  /** How long the writer lease lasts if its holder dies; at least the function's timeout. */
  readonly leaseTtlMs: number;
  /** Failed flushes an intent survives before it goes to the dead-letter queue. */
  readonly maxAttempts: number;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly afterBroadcast?: (slot: TransactionSlot) => Promise<void>;
}

export interface FlushResult {
  /** Intents applied by a transaction of this flush (or of a crashed earlier one it finished). */
  applied: number;
  alreadyInState: number;
  /** Adds and unfreezes not sent because they no longer hold (investor suspended, offboarded, wallet released, ...). */
  skipped: number;
  deadLettered: number;
  transactions: number;
  /** Intents still pending for the registry afterwards. */
  remaining: number;
}

interface TransactionFacts {
  readonly transactionHash: string;
  readonly nonce: number;
  readonly blockNumber: number;
  readonly batchSize: number;
}

/** Investors whose bookkeeping runs at once; each investor's own records are written in order. */
const BOOKKEEPING_CONCURRENCY = 32;

/**
 * Applies what is pending for one registry: finishes transactions a crashed run left behind,
 * then, page by page (a page is one batch), reads the wallets' on-chain state, plans, simulates,
 * sends and records. Holds the registry's writer lease throughout, so one writer sends per registry.
 */
export async function flushRegistry(deps: FlushDeps, options: { deadline: number }): Promise<FlushResult> {
  const group = changeGroupId(deps.chain);
  if (!(await deps.journal.acquireLease(group, deps.holder, deps.leaseTtlMs))) {
    throw new TransientError(`another worker is applying the changes of registry ${group}`);
  }
  const flush = new RegistryFlush(deps, group, options.deadline);
  try {
    return await flush.run();
  } catch (error) {
    await flush.countFailure(error);
    throw error;
  } finally {
    await deps.journal.releaseLease(group, deps.holder);
  }
}

class RegistryFlush {
  private readonly result: FlushResult = { applied: 0, alreadyInState: 0, skipped: 0, deadLettered: 0, transactions: 0, remaining: 0 };
  private readonly sender: JournaledSender;
  private page: readonly PendingIntent[] = [];
  /** Intents applied, already in state, skipped or dead-lettered so far (recorded or being recorded). */
  private resolved = 0;
  /** The next page starts after this key; undefined: from the oldest pending intent. */
  private after: string | undefined;
  /**
   * Recording what a page's transactions did (audit, investors, journal) runs while the next page
   * is planned and sent; pages are recorded one after another, so each stream keeps its order.
   */
  private bookkeeping: Promise<void> = Promise.resolve();
  /** Intents whose transaction is broadcast: never dead-lettered while it may still be mined. */
  private readonly inFlight = new Set<string>();
  private readonly now: () => Date;

  constructor(
    private readonly deps: FlushDeps,
    private readonly group: string,
    private readonly deadline: number,
  ) {
    this.now = deps.now ?? (() => new Date());
    const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    this.sender = new JournaledSender({ chain: deps.chain, journal: deps.journal, group, now: this.now, sleep, deadline, afterBroadcast: deps.afterBroadcast });
  }

  async run(): Promise<FlushResult> {
    const { journal, chain } = this.deps;
    const recovered = (await this.sender.recover()).filter((slot) => slot.group === this.group && slot.intentKeys.length > 0);
    if (recovered.length > 0) {
      this.page = await journal.pendingIntents(this.group, Number.MAX_SAFE_INTEGER);
      await this.applySettled(recovered);
    }
    try {
      while (Date.now() < this.deadline) {
        // From the oldest again, what is being recorded must have left the journal first.
        if (this.after === undefined) await this.bookkeeping;
        this.page = await journal.pendingIntents(this.group, chain.maxBatchSize, this.after);
        const fromOldest = this.after === undefined;
        this.after = undefined;
        // Past the last page: once more from the oldest, which ends the flush unless something is pending.
        if (this.page.length === 0 && !fromOldest) continue;
        if (this.page.length === 0 || (await this.flushPage()) === 0) break;
      }
    } catch (error) {
      // Whatever was recorded stays recorded; the error that stopped the flush is the one to report.
      await this.bookkeeping.catch(() => undefined);
      throw error;
    }
    await this.bookkeeping;
    this.result.remaining = (await journal.pendingSummary(this.group, 10_000)).count;
    return this.result;
  }

  /** After a failed flush, each waiting intent counts one attempt; those out of attempts go to the DLQ. */
  async countFailure(error: unknown): Promise<void> {
    // A failure before the first page was read (the node down from the start) counts for that page.
    const page = this.page.length > 0 ? this.page : await this.deps.journal.pendingIntents(this.group, this.deps.chain.maxBatchSize);
    const keys = page.map((intent) => intent.key).filter((key) => !this.inFlight.has(key));
    if (keys.length === 0) return;
    const reason = error instanceof Error ? error.message : 'unknown failure';
    const counted = await this.deps.journal.recordFailure(this.group, keys, reason);
    const exhausted = counted.filter((intent) => intent.attempts >= this.deps.maxAttempts);
    await this.deadLetter(exhausted.map((intent) => ({ intent, code: 'RETRIES_EXHAUSTED', reason: `gave up after ${intent.attempts} attempts: ${reason}` })));
  }

  /**
   * Returns how many intents of the page were resolved (applied, already in state, skipped or
   * dead-lettered). If any is left pending (a second change of a wallet, a reverted transaction,
   * an add whose identity was not created), the next page starts again from the oldest pending
   * intent, so nothing of its wallet on a later page goes first.
   */
  private async flushPage(): Promise<number> {
    const before = this.resolved;
    const size = this.page.length;
    const last = this.page.at(-1)?.key;
    const wallets = [...new Set(this.page.map((intent) => intent.change.wallet))];
    const [page, states] = await Promise.all([this.withoutStaleChanges(this.page), this.deps.chain.walletStates(wallets)]);
    this.page = page;
    const plan = planIntents(page, states);
    this.record(plan.satisfied.map((intent) => ({ intent })));
    await this.deadLetter(plan.rejected.map(({ intent, reason }) => ({ intent, code: 'REJECTED', reason })));
    if (plan.operations.length > 0) await this.execute(plan.operations);
    const resolved = this.resolved - before;
    if (resolved === size) this.after = last;
    return resolved;
  }

  /**
   * An add applies only while its investor may hold tokens (eligible or allowlisted) and the wallet
   * is still theirs; an unfreeze only while they may hold tokens and no sanctions suspension
   * blocks them. One that arrives late or is redriven from the DLQ after the investor was
   * suspended, offboarded or blocked, or the wallet released, is skipped, audited with the reason,
   * and never sent. Removals and freezes always apply.
   */
  private async withoutStaleChanges(page: readonly PendingIntent[]): Promise<PendingIntent[]> {
    const investors = new Map<string, Investor | undefined>();
    const checked = page.filter((intent) => intent.change.action === 'add' || intent.change.action === 'unfreeze');
    await forEachInvestor(distinctInvestors(checked.map((intent) => ({ intent }))), async ({ intent }) => {
      investors.set(intent.change.investorId, await this.deps.investors.get(intent.change.investorId));
    });
    const stale = checked.flatMap((intent) => {
      const reason = staleReason(intent.change, investors.get(intent.change.investorId));
      return reason ? [{ intent, reason }] : [];
    });
    if (stale.length === 0) return [...page];
    const { chainId, identityRegistry } = this.deps.chain;
    this.resolved += stale.length;
    // Recorded after what earlier pages applied, so each investor's stream keeps queue order.
    this.later(async () => {
      await this.deps.audit.appendAll(
        stale.map(({ intent: { change, key }, reason }) => ({
          stream: `investor#${change.investorId}`,
          type: 'allowlist.skipped',
          actor: this.deps.actor,
          investorId: change.investorId,
          data: { chainId, identityRegistry, wallet: change.wallet, action: change.action, reason },
          idempotencyKey: `${changeAuditKey(change)}:skipped:${key}`,
        })),
      );
      await this.deps.journal.completeIntents(
        this.group,
        stale.map(({ intent }) => intent.key),
      );
      this.result.skipped += stale.length;
    });
    const skipped = new Set(stale.map(({ intent }) => intent));
    return page.filter((intent) => !skipped.has(intent));
  }

  /**
   * Freezes, removals and missing identities go first (independent of each other), then
   * registrations and unfreezes, which need the identities. Nonce order keeps a freeze ahead of
   * the same wallet's removal.
   */
  private async execute(operations: readonly Operation[]): Promise<void> {
    const { chain } = this.deps;
    const of = (action: AllowlistAction) => operations.filter((operation) => operation.action === action);
    const adds = of('add');
    const identities = await chain.identities(adds.map((operation) => operation.wallet));
    const withoutIdentity = adds.filter((operation) => !identities.get(operation.wallet));

    await this.sendStage([
      ...(await this.prepareBatches(of('freeze'), (wallets) => ({ kind: 'setFrozen', wallets, frozen: true }))),
      ...(await this.prepareEach(of('remove'), (operation) => ({ kind: 'delete', wallet: operation.wallet }))),
      ...(await this.prepareEach(withoutIdentity, (operation) => ({
        kind: 'createIdentity',
        wallet: operation.wallet,
        salt: `${operation.intents[0]!.change.investorId}:${operation.wallet}`,
      }))),
    ]);

    const created =
      withoutIdentity.length > 0 ? await chain.identities(withoutIdentity.map((operation) => operation.wallet)) : new Map<string, string | undefined>();
    const ready = adds.filter((operation) => identities.get(operation.wallet) ?? created.get(operation.wallet));
    const register = (batch: readonly Operation[]): ChainCall => ({
      kind: 'register',
      entries: batch.map((operation) => ({
        wallet: operation.wallet,
        identity: (identities.get(operation.wallet) ?? created.get(operation.wallet))!,
        country: numericCountryCode(operation.intents[0]!.change.country),
      })),
    });
    await this.sendStage([
      ...(await this.prepareBatches(ready, (_wallets, batch) => register(batch))),
      ...(await this.prepareBatches(of('unfreeze'), (wallets) => ({ kind: 'setFrozen', wallets, frozen: false }))),
    ]);
  }

  private async prepareEach(operations: readonly Operation[], toCall: (operation: Operation) => ChainCall): Promise<Prepared[]> {
    const prepared = await Promise.all(operations.map((operation) => this.simulate([operation], () => toCall(operation), { estimate: false })));
    const calls = prepared.flat();
    if (calls.length === 0) return [];
    // Calls of one kind on one contract cost the same but for their arguments' length: one
    // estimate, with room to spare, serves them all (each was still simulated for reverts).
    const gas = ((await this.deps.chain.estimateGas(calls[0]!.call)) * 15n) / 10n;
    return calls.map((call) => ({ ...call, gasLimit: gas }));
  }

  private async prepareBatches(operations: readonly Operation[], toCall: (wallets: string[], batch: readonly Operation[]) => ChainCall): Promise<Prepared[]> {
    const prepared: Prepared[] = [];
    for (const batch of chunk(operations, this.deps.chain.maxBatchSize)) {
      prepared.push(
        // The call is built from the part being simulated: a split simulates each half on its own.
        ...(await this.simulate(batch, (part) =>
          toCall(
            part.map((operation) => operation.wallet),
            part,
          ),
        )),
      );
    }
    return prepared;
  }

  /**
   * Simulates the call. A batch that would revert is split in halves until the entries that fail
   * on their own are found; those go to the DLQ with the revert reason, the rest still goes through.
   */
  private async simulate(batch: readonly Operation[], toCall: (batch: readonly Operation[]) => ChainCall, options = { estimate: true }): Promise<Prepared[]> {
    const call = toCall(batch);
    try {
      if (!options.estimate) {
        await this.deps.chain.simulate(call);
        return [{ call, gasLimit: 0n, operations: batch }];
      }
      const gas = await this.deps.chain.estimateGas(call);
      return [{ call, gasLimit: (gas * 12n) / 10n, operations: batch }];
    } catch (error) {
      if (!(error instanceof ChainRevertError)) throw error;
      if (batch.length === 1) {
        await this.deadLetter(batch[0]!.intents.map((intent) => ({ intent, code: error.code, reason: error.reason })));
        return [];
      }
      const half = Math.ceil(batch.length / 2);
      return [...(await this.simulate(batch.slice(0, half), toCall, options)), ...(await this.simulate(batch.slice(half), toCall, options))];
    }
  }

  private async sendStage(prepared: readonly Prepared[]): Promise<void> {
    if (prepared.length === 0) return;
    const calls: CallToSend[] = prepared.map(({ call, gasLimit, operations }) => ({
      call,
      gasLimit,
      intentKeys: operations.flatMap((operation) => operation.intents.map((intent) => intent.key)),
    }));
    for (const call of calls) for (const key of call.intentKeys) this.inFlight.add(key);
    const settled = await this.sender.send(calls);
    this.result.transactions += settled.length;
    await this.applySettled(settled);
    for (const call of calls) for (const key of call.intentKeys) this.inFlight.delete(key);
  }

  /** Records what settled transactions did: mined ones complete their intents, reverted ones count a failure. */
  private async applySettled(settled: readonly SettledSlot[]): Promise<void> {
    const byKey = new Map(this.page.map((intent) => [intent.key, intent]));
    const completed: { intent: PendingIntent; tx: TransactionFacts }[] = [];
    const reverted: { keys: string[]; hash: string }[] = [];
    for (const slot of settled) {
      const intents = slot.intentKeys.map((key) => byKey.get(key)).filter((intent): intent is PendingIntent => intent !== undefined);
      if (slot.status === 'mined' && slot.call.kind !== 'createIdentity') {
        const tx = {
          transactionHash: slot.receipt!.hash,
          nonce: slot.nonce,
          blockNumber: slot.receipt!.blockNumber,
          batchSize: new Set(intents.map((intent) => intent.change.wallet)).size,
        };
        completed.push(...intents.map((intent) => ({ intent, tx })));
      } else if (slot.status === 'reverted') {
        reverted.push({ keys: intents.map((intent) => intent.key), hash: slot.receipt!.hash });
      }
    }
    this.record(completed);
    for (const { keys, hash } of reverted) {
      for (const key of keys) this.inFlight.delete(key);
      const counted = await this.deps.journal.recordFailure(this.group, keys, `transaction ${hash} reverted`);
      const exhausted = counted.filter((intent) => intent.attempts >= this.deps.maxAttempts);
      await this.deadLetter(exhausted.map((intent) => ({ intent, code: 'CHAIN_REVERTED', reason: `transaction ${hash} reverted ${intent.attempts} times` })));
    }
  }

  /**
   * Audit record per intent (before the journal forgets it), and eligible investors become
   * allowlisted: every record of the page is appended together (few writes), each investor's
   * transition is recorded before it is saved, and a save that loses a race is redone from a fresh read.
   */
  private record(entries: readonly { intent: PendingIntent; tx?: TransactionFacts }[]): void {
    if (entries.length === 0) return;
    this.resolved += entries.length;
    this.later(() => this.complete(entries));
  }

  /** Queues bookkeeping behind what is already queued; it runs while the flush goes on. */
  private later(work: () => Promise<void>): void {
    const next = this.bookkeeping.then(work);
    // A failure surfaces where the flush awaits its bookkeeping; nothing queued after it runs.
    next.catch(() => undefined);
    this.bookkeeping = next;
  }

  private async complete(entries: readonly { intent: PendingIntent; tx?: TransactionFacts }[]): Promise<void> {
    const { chainId, identityRegistry } = this.deps.chain;
    const transitions: { intent: PendingIntent; allowlisted: Investor }[] = [];
    await forEachInvestor(distinctInvestors(entries.filter(({ intent }) => intent.change.action === 'add')), async ({ intent }) => {
      const investor = await this.deps.investors.get(intent.change.investorId);
      if (investor?.status === 'eligible') transitions.push({ intent, allowlisted: transition(investor, 'allowlisted', this.now()) });
    });
    await this.deps.audit.appendAll([
      ...entries.map(({ intent: { change }, tx }) => ({
        stream: `investor#${change.investorId}`,
        type: ACTION_EVENT[change.action],
        actor: this.deps.actor,
        investorId: change.investorId,
        data: { chainId, identityRegistry, wallet: change.wallet, ...(tx ?? { observedOnChain: true }) },
        idempotencyKey: changeAuditKey(change),
      })),
      ...transitions.map(({ intent, allowlisted }) => this.allowlistedEvent(intent, allowlisted)),
    ]);
    await forEachInvestor(transitions, async ({ intent, allowlisted }) => {
      try {
        await this.deps.investors.save(allowlisted);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        await this.markAllowlisted(intent);
      }
    });
    await this.deps.journal.completeIntents(
      this.group,
      entries.map(({ intent }) => intent.key),
    );
    for (const { tx } of entries) {
      if (tx) this.result.applied++;
      else this.result.alreadyInState++;
    }
  }

  private allowlistedEvent({ change }: PendingIntent, allowlisted: Investor): AuditEvent {
    const stream = `investor#${change.investorId}`;
    const where = { chainId: change.chainId, identityRegistry: change.identityRegistry, wallet: change.wallet };
    return stateChange({ stream, type: 'investor.allowlisted', actor: this.deps.actor, investorId: change.investorId, data: where }, allowlisted.version);
  }

  /** eligible → allowlisted once a wallet is registered; other chains' workers may race to do the same. */
  private async markAllowlisted(intent: PendingIntent): Promise<void> {
    const { change } = intent;
    for (let attempt = 0; attempt < 3; attempt++) {
      const investor = await this.deps.investors.get(change.investorId);
      if (investor?.status !== 'eligible') return;
      const allowlisted = transition(investor, 'allowlisted', this.now());
      await this.deps.audit.append(this.allowlistedEvent(intent, allowlisted));
      try {
        await this.deps.investors.save(allowlisted);
        return;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
  }

  /** The change goes to the DLQ with its reason first, so it is never lost; then the audit record. */
  private async deadLetter(entries: readonly { intent: PendingIntent; code: string; reason: string }[]): Promise<void> {
    if (entries.length === 0) return;
    const { chainId, identityRegistry } = this.deps.chain;
    await forEachInvestor(entries, async ({ intent, code, reason }) => {
      const { change } = intent;
      await this.deps.deadLetters.send({ body: JSON.stringify(change), group: this.group, key: intent.key }, { code, reason, attempts: intent.attempts });
      await this.deps.audit.append({
        stream: `investor#${change.investorId}`,
        type: 'allowlist.failed',
        actor: this.deps.actor,
        investorId: change.investorId,
        data: { chainId, identityRegistry, wallet: change.wallet, action: change.action, code, reason },
        idempotencyKey: `${changeAuditKey(change)}:failed:${intent.key}`,
      });
    });
    await this.deps.journal.completeIntents(
      this.group,
      entries.map(({ intent }) => intent.key),
    );
    this.result.deadLettered += entries.length;
    this.resolved += entries.length;
  }
}

interface Prepared {
  readonly call: ChainCall;
  readonly gasLimit: bigint;
  readonly operations: readonly Operation[];
}

/** Investor statuses in which an add or an unfreeze may be applied. */
const MAY_HOLD_TOKENS: readonly InvestorStatus[] = ['eligible', 'allowlisted'];

/** Why an add or unfreeze no longer holds, or undefined when it does. */
function staleReason(change: AllowlistChange, investor: Investor | undefined): string | undefined {
  if (!investor) return 'no such investor';
  if (!MAY_HOLD_TOKENS.includes(investor.status)) return `the investor is ${investor.status}`;
  if (change.action === 'add' && !investor.wallets.includes(change.wallet)) return "the wallet is no longer one of the investor's";
  if (change.action === 'unfreeze' && investor.suspension?.kind === 'sanctions') return 'the investor has a sanctions suspension';
  return undefined;
}

/** The first entry of each investor. */
function distinctInvestors<T extends { intent: PendingIntent }>(entries: readonly T[]): T[] {
  const seen = new Set<string>();
  return entries.filter(({ intent }) => !seen.has(intent.change.investorId) && seen.add(intent.change.investorId));
}

/** Runs `work` for every entry: one investor's entries in order, investors in parallel. */
async function forEachInvestor<T extends { intent: PendingIntent }>(entries: readonly T[], work: (entry: T) => Promise<void>): Promise<void> {
  const byInvestor = new Map<string, T[]>();
  for (const entry of entries) {
    const list = byInvestor.get(entry.intent.change.investorId) ?? [];
    list.push(entry);
    byInvestor.set(entry.intent.change.investorId, list);
  }
  const queues = [...byInvestor.values()];
  const workers = Array.from({ length: Math.min(BOOKKEEPING_CONCURRENCY, queues.length) }, async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      for (const entry of queue) await work(entry);
    }
  });
  await Promise.all(workers);
}
