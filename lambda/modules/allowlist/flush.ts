import { TransientError, numericCountryCode, changeGroupId, type AllowlistAction } from '../../shared';
import type { AuditLog } from '../audit';
import type { Investor, InvestorRepository } from '../investors';
import { bookkeeping, deadLetter, plus, recordDone, recordSkipped, type Bookkeeping, type DoneIntent, type Recorder } from './bookkeeping';
import { planIntents, type Operation } from './plan';
import type { AllowlistHold, AllowlistJournal, ChainCall, DeadLetters, PendingIntent, RegistryChain, TransactionSlot } from './ports';
import { shareOneEstimate, simulateBatches, simulateEach, simulateSplitting, type Preparation, type Prepared, type RevertedIntent } from './prepare';
import { issuedClaimData, kycClaimData, restsOn } from './claims';
import { ChainRevertError } from './errors';
import { MAY_HOLD_TOKENS, splitStale } from './stale';
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
  /** The token's emergency pause: while it holds, adds and unfreezes wait. */
  readonly hold?: AllowlistHold;
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
  /** Pending intents held back by the pipeline hold (adds, unfreezes and what follows them for the same wallet). */
  held: number;
}

/** One flush of one registry: what it works with and until when. */
interface FlushRun extends Recorder {
  readonly chain: RegistryChain;
  readonly maxAttempts: number;
  readonly sender: JournaledSender;
  /** Epoch ms after which no further page is started. */
  readonly deadline: number;
  readonly hold?: AllowlistHold;
  /** Wallets with a held intent this flush: their later intents wait too, so each wallet's order holds. */
  readonly heldWallets: Set<string>;
  readonly heldKeys: Set<string>;
}

/**
 * What a failure of the flush counts against: the page being flushed, less the intents whose
 * transaction is broadcast and may still be mined (those are never dead-lettered). Kept current
 * as the flush goes, since a failure may stop it anywhere.
 */
interface Exposure {
  page: readonly PendingIntent[];
  readonly inFlight: Set<string>;
}

/** What a step of the flush did: intents it resolved (applied, already in state, skipped or dead-lettered; recorded or being recorded) and transactions it sent. */
interface Progress {
  readonly resolved: number;
  readonly transactions: number;
}

const NO_PROGRESS: Progress = { resolved: 0, transactions: 0 };

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
  const run = startRun(deps, group, options.deadline);
  const exposure: Exposure = { page: [], inFlight: new Set() };
  try {
    return await flushPending(run, exposure);
  } catch (error) {
    await countFailure(run, exposure, error);
    throw error;
  } finally {
    await deps.journal.releaseLease(group, deps.holder);
  }
}

function startRun(deps: FlushDeps, group: string, deadline: number): FlushRun {
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const { chain, journal, audit, investors, deadLetters, actor, maxAttempts } = deps;
  const sender = new JournaledSender({ chain, journal, group, now, sleep, deadline, afterBroadcast: deps.afterBroadcast });
  return {
    chain,
    journal,
    audit,
    investors,
    deadLetters,
    actor,
    maxAttempts,
    group,
    now,
    sender,
    deadline,
    hold: deps.hold,
    heldWallets: new Set(),
    heldKeys: new Set(),
  };
}

/**
 * Finishes what a crashed run left broadcast, then flushes page after page. What a page's
 * transactions did is recorded while the next page is planned and sent; pages are recorded one
 * after another, so each stream keeps its order. The next page starts after the last key of the
 * one before only if every intent of that one was resolved; if any is left pending (a second
 * change of a wallet, a reverted transaction, an add whose identity was not created), the next
 * page starts again from the oldest pending intent, so nothing of its wallet on a later page goes first.
 */
async function flushPending(run: FlushRun, exposure: Exposure): Promise<FlushResult> {
  const books = bookkeeping();
  let progress = await finishCrashed(run, books, exposure);
  let after: string | undefined;
  /** Intents resolved since the flush last started from the oldest: a sweep that resolves none (all held) ends the flush. */
  let sweepResolved = 0;
  try {
    while (Date.now() < run.deadline) {
      // From the oldest again, what is being recorded must have left the journal first.
      if (after === undefined) {
        await books.recorded();
        sweepResolved = 0;
      }
      const page = await run.journal.pendingIntents(run.group, run.chain.maxBatchSize, after);
      exposure.page = page;
      const fromOldest = after === undefined;
      after = undefined;
      // Past the last page: once more from the oldest, which ends the flush unless something is pending.
      if (page.length === 0 && !fromOldest && sweepResolved === 0) break;
      if (page.length === 0 && !fromOldest) continue;
      if (page.length === 0) break;
      const flushed = await flushPage(run, books, exposure, page);
      progress = advanced(progress, flushed);
      sweepResolved += flushed.resolved;
      // Held intents wait for the unpause: the flush moves past them (a later freeze or removal still applies).
      if (flushed.resolved + flushed.held === page.length) after = page.at(-1)!.key;
      else if (flushed.resolved === 0) break;
    }
  } catch (error) {
    // Whatever was recorded stays recorded; the error that stopped the flush is the one to report.
    await books.recorded().catch(() => undefined);
    throw error;
  }
  const recorded = await books.recorded();
  const remaining = (await run.journal.pendingSummary(run.group, 10_000)).count;
  return { ...plus(recorded, { transactions: progress.transactions }), remaining, held: run.heldKeys.size };
}

/**
 * Finishes the transactions of this registry that a crashed run broadcast, and records what they
 * did. Their intents are in flight until then, as those of a transaction this run sends.
 */
async function finishCrashed(run: FlushRun, books: Bookkeeping, exposure: Exposure): Promise<Progress> {
  const open = await run.sender.openSlots();
  const keys = open.filter((slot) => slot.group === run.group).flatMap((slot) => slot.intentKeys);
  for (const key of keys) exposure.inFlight.add(key);
  const recovered = (await run.sender.resume(open)).filter((slot) => slot.group === run.group && slot.intentKeys.length > 0);
  let progress = NO_PROGRESS;
  if (recovered.length > 0) {
    exposure.page = await run.journal.pendingIntents(run.group, Number.MAX_SAFE_INTEGER);
    progress = await applySettled(run, books, exposure, exposure.page, recovered);
  }
  for (const key of keys) exposure.inFlight.delete(key);
  return progress;
}

/**
 * One page: skips what no longer holds, plans the rest against the wallets' on-chain state,
 * records what is in place already, dead-letters what no transaction can apply, sends the rest.
 */
async function flushPage(run: FlushRun, books: Bookkeeping, exposure: Exposure, page: readonly PendingIntent[]): Promise<Progress & { held: number }> {
  const wallets = [...new Set(page.map((intent) => intent.change.wallet))];
  const [{ fresh: unstale, stale, investors }, states] = await Promise.all([splitStale(run.investors, page), run.chain.walletStates(wallets)]);
  const { ready: fresh, held } = await holdBack(run, unstale);
  exposure.page = fresh;
  // Recorded after what earlier pages applied, so each investor's stream keeps queue order.
  if (stale.length > 0) books.later(() => recordSkipped(run, stale));
  const plan = planIntents(fresh, states, { repairsVerification: true });
  const migrations = await identityMigrations(run.chain, plan.satisfied, plan.operations);
  const satisfied = record(
    run,
    books,
    plan.satisfied.filter((intent) => !migrations.moved.has(intent)).map((intent) => ({ intent })),
  );
  const rejected = deadLetterLater(
    run,
    books,
    plan.rejected.map(({ intent, reason }) => ({ intent, code: 'REJECTED', reason })),
  );
  const operations = [...plan.operations, ...migrations.operations];
  const sent = operations.length > 0 ? await execute(run, books, exposure, fresh, operations, investors) : NO_PROGRESS;
  return { ...advanced({ resolved: stale.length + satisfied + rejected, transactions: 0 }, sent), held: held.length };
}

/**
 * The pipeline hold: while the token is paused, adds and unfreezes stay pending (not a failure:
 * no attempt is counted), and so does every later intent of their wallets, so a wallet's changes
 * keep queue order. Removals and freezes of other wallets go ahead.
 */
async function holdBack(run: FlushRun, page: readonly PendingIntent[]): Promise<{ ready: PendingIntent[]; held: PendingIntent[] }> {
  const holding = run.hold ? await run.hold.additionsHeld() : false;
  if (!holding && run.heldWallets.size === 0) return { ready: [...page], held: [] };
  const ready: PendingIntent[] = [];
  const held: PendingIntent[] = [];
  for (const intent of page) {
    const { action, wallet } = intent.change;
    if ((holding && (action === 'add' || action === 'unfreeze')) || run.heldWallets.has(wallet)) {
      run.heldWallets.add(wallet);
      run.heldKeys.add(intent.key);
      held.push(intent);
    } else ready.push(intent);
  }
  return { ready, held };
}

/**
 * Freezes, claim revocations, removals and missing investor identities go first (independent of
 * each other), then the investors' KYC claims, registrations to the investor's identity and
 * unfreezes, which need the identities. Nonce order keeps a freeze ahead of the same wallet's
 * removal and a claim ahead of the registrations it verifies. What would revert goes to the DLQ,
 * recorded in turn with the rest.
 */
async function execute(
  run: FlushRun,
  books: Bookkeeping,
  exposure: Exposure,
  page: readonly PendingIntent[],
  operations: readonly Operation[],
  investors: ReadonlyMap<string, Investor | undefined>,
): Promise<Progress> {
  const { chain } = run;
  const of = (action: AllowlistAction) => operations.filter((operation) => operation.action === action);
  const adds = of('add');
  const revokes = [...of('revoke'), ...impliedRevocations(operations, investors)];
  const identities = await chain.investorIdentities([...new Set([...adds, ...revokes].map(investorOf))]);
  // One identity per investor: the first add of each investor without one creates it.
  const withoutIdentity = distinctBy(
    adds.filter((operation) => !identities.get(investorOf(operation))),
    investorOf,
  );

  const freezes = deadLetterReverted(run, books, await simulateBatches(chain, of('freeze'), (wallets) => ({ kind: 'setFrozen', wallets, frozen: true })));
  const revocations = await prepareRevocations(run, books, revokes, identities);
  const removals = deadLetterReverted(run, books, await simulateEach(chain, of('remove'), (operation) => ({ kind: 'delete', wallet: operation.wallet })));
  const removalCalls = await shareOneEstimate(chain, removals.calls);
  const creations = deadLetterReverted(
    run,
    books,
    await simulateEach(chain, withoutIdentity, (operation) => ({ kind: 'createInvestorIdentity', investorId: investorOf(operation) })),
  );
  const creationCalls = await shareOneEstimate(chain, creations.calls);
  const first = await sendStage(run, books, exposure, page, [...freezes.calls, ...revocations.calls, ...removalCalls, ...creationCalls]);

  const created = withoutIdentity.length > 0 ? await chain.investorIdentities(withoutIdentity.map(investorOf)) : new Map<string, string | undefined>();
  const identityOf = (operation: Operation) => identities.get(investorOf(operation)) ?? created.get(investorOf(operation));
  const claims = await prepareClaims(run, books, adds.filter(identityOf), identityOf, investors);
  const registrations = deadLetterReverted(run, books, await simulateBatches(chain, claims.toRegister, (_wallets, batch) => registration(batch, identityOf)));
  const updates = deadLetterReverted(
    run,
    books,
    await simulateEach(chain, claims.toUpdate, (operation) => ({ kind: 'updateIdentity', wallet: operation.wallet, identity: identityOf(operation)! })),
  );
  const updateCalls = await shareOneEstimate(chain, updates.calls);
  const unfreezes = deadLetterReverted(run, books, await simulateBatches(chain, of('unfreeze'), (wallets) => ({ kind: 'setFrozen', wallets, frozen: false })));
  const second = await sendStage(run, books, exposure, page, [...claims.calls, ...registrations.calls, ...updateCalls, ...unfreezes.calls]);

  const reverted = [freezes, revocations, removals, creations, registrations, updates, unfreezes].reduce((count, { reverted }) => count + reverted.length, 0);
  return [first, second].reduce(advanced, { resolved: reverted + revocations.satisfied + claims.resolved, transactions: 0 });
}

/**
 * Adds already in force whose wallet is registered to another identity than the investor's one (a
 * per-wallet identity from before identities were per investor): verified today, but not by our
 * claim. Where we issue claims they become repairs (the investor's identity, its claim, the wallet
 * moved to it), which is how `cli allowlist migrate-identities` migrates: it re-queues adds.
 */
async function identityMigrations(
  chain: RegistryChain,
  satisfied: readonly PendingIntent[],
  planned: readonly Operation[],
): Promise<{ operations: Operation[]; moved: ReadonlySet<PendingIntent> }> {
  const busy = new Set(planned.filter((operation) => operation.action === 'add').map((operation) => operation.wallet));
  const adds = satisfied.filter((intent) => intent.change.action === 'add' && !busy.has(intent.change.wallet));
  if (!chain.issuesClaims || adds.length === 0) return { operations: [], moved: new Set() };
  const [registered, identities] = await Promise.all([
    chain.registeredIdentities([...new Set(adds.map((intent) => intent.change.wallet))]),
    chain.investorIdentities([...new Set(adds.map((intent) => intent.change.investorId))]),
  ]);
  const byWallet = new Map<string, Operation>();
  for (const intent of adds) {
    const { wallet, investorId } = intent.change;
    if (registered.get(wallet) === identities.get(investorId)) continue;
    const operation = byWallet.get(wallet) ?? { action: 'add', wallet, intents: [], registered: true };
    operation.intents.push(intent);
    byWallet.set(wallet, operation);
  }
  const operations = [...byWallet.values()];
  return { operations, moved: new Set(operations.flatMap((operation) => operation.intents)) };
}

const investorOf = (operation: Operation) => operation.intents[0]?.change.investorId ?? operation.investorId!;

/**
 * Removals of an investor who may no longer hold tokens (KYC rejected or expired, suspended, a
 * confirmed match, offboarded) revoke the investor's KYC claim first: one transaction that
 * unverifies every wallet of theirs on this chain, whatever the removals' progress. The revocation
 * carries no intents (the removals do); a wallet released by an investor in good standing keeps it.
 */
function impliedRevocations(operations: readonly Operation[], investors: ReadonlyMap<string, Investor | undefined>): Operation[] {
  const explicit = new Set(operations.filter((operation) => operation.action === 'revoke').map(investorOf));
  const removals = operations.filter((operation) => operation.action === 'remove' && !explicit.has(investorOf(operation)));
  return distinctBy(removals, investorOf)
    .filter((operation) => {
      const investor = investors.get(investorOf(operation));
      return investor !== undefined && !MAY_HOLD_TOKENS.includes(investor.status);
    })
    .map((operation) => ({ action: 'revoke', wallet: operation.wallet, intents: [], investorId: investorOf(operation) }));
}

function distinctBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}

/**
 * One revocation per investor (their revokes ride on it): our claim on their identity, by its
 * signature, which unverifies every wallet registered to the identity. Already revoked, or no claim
 * of ours to revoke (no identity yet, claims not issued on this chain): done without a transaction.
 */
async function prepareRevocations(
  run: FlushRun,
  books: Bookkeeping,
  revokes: readonly Operation[],
  identities: ReadonlyMap<string, string | undefined>,
): Promise<Preparation & { satisfied: number }> {
  const { chain } = run;
  const toRevoke: { operation: Operation; identity: string; signature: string }[] = [];
  const done: PendingIntent[] = [];
  await Promise.all(
    revokes.map(async (operation) => {
      const identity = identities.get(investorOf(operation));
      const stored = chain.issuesClaims && identity ? await chain.kycClaim(identity) : undefined;
      if (identity && stored && !stored.revoked) toRevoke.push({ operation, identity, signature: stored.signature });
      else done.push(...operation.intents);
    }),
  );
  const satisfied = record(
    run,
    books,
    done.map((intent) => ({ intent })),
  );
  const prepared = deadLetterReverted(
    run,
    books,
    (
      await Promise.all(
        toRevoke.map(({ operation, identity, signature }) =>
          simulateSplitting(chain, [operation], () => ({ kind: 'revokeClaim', identity, signature }), 'estimate'),
        ),
      )
    ).reduce((a, b) => ({ calls: [...a.calls, ...b.calls], reverted: [...a.reverted, ...b.reverted] }), { calls: [], reverted: [] } as Preparation),
  );
  return { ...prepared, satisfied };
}

interface ClaimPreparation {
  /** addClaim calls, one per investor whose identity lacks our current claim; they carry the adds they repair. */
  readonly calls: readonly Prepared[];
  /** Adds of wallets the registry does not hold yet. */
  readonly toRegister: readonly Operation[];
  /** Adds of wallets registered to another identity (a per-wallet one from before): moved to the investor's. */
  readonly toUpdate: readonly Operation[];
  /** Intents resolved here: dead-lettered (a claim that would revert, a wallet no claim can verify). */
  readonly resolved: number;
}

/**
 * The KYC claim each investor with adds needs on their identity: none when the identity holds our
 * current claim (same data, not revoked), else one signed now. The data rests on the investor's
 * KYC record as read for this flush. A claim that would revert takes the investor's adds to the
 * DLQ with the reason (registering them would leave them unverified).
 */
async function prepareClaims(
  run: FlushRun,
  books: Bookkeeping,
  adds: readonly Operation[],
  identityOf: (operation: Operation) => string | undefined,
  investors: ReadonlyMap<string, Investor | undefined>,
): Promise<ClaimPreparation> {
  const { chain } = run;
  const repairs = adds.filter((operation) => operation.registered);
  const registered =
    repairs.length > 0 ? await chain.registeredIdentities(repairs.map((operation) => operation.wallet)) : new Map<string, string | undefined>();
  const toUpdate = repairs.filter((operation) => registered.get(operation.wallet) !== identityOf(operation));
  const sameIdentity = repairs.filter((operation) => registered.get(operation.wallet) === identityOf(operation));
  const byInvestor = new Map<string, Operation[]>();
  for (const operation of adds) byInvestor.set(investorOf(operation), [...(byInvestor.get(investorOf(operation)) ?? []), operation]);

  const calls: Prepared[] = [];
  const failed: RevertedIntent[] = [];
  const blocked = new Set<string>();
  const unrepairable: Operation[] = [];
  await Promise.all(
    [...byInvestor].map(async ([investorId, operations]) => {
      const identity = identityOf(operations[0]!)!;
      const repaired = sameIdentity.filter((operation) => investorOf(operation) === investorId);
      const investor = investors.get(investorId);
      if (!chain.issuesClaims || !investor) {
        unrepairable.push(...repaired);
        return;
      }
      const basis = kycClaimData(investor);
      const stored = await chain.kycClaim(identity);
      if (stored && !stored.revoked && restsOn(stored.data, basis)) {
        unrepairable.push(...repaired);
        return;
      }
      const call: ChainCall = { kind: 'addClaim', identity, claim: await chain.signClaim(identity, issuedClaimData(basis, run.now())) };
      try {
        const gas = await chain.estimateGas(call);
        calls.push({ call, gasLimit: (gas * 12n) / 10n, operations: repaired });
      } catch (error) {
        if (!(error instanceof ChainRevertError)) throw error;
        blocked.add(investorId);
        failed.push(
          ...operations.flatMap((operation) => operation.intents.map((intent) => ({ intent, code: error.code, reason: `the KYC claim: ${error.reason}` }))),
        );
      }
    }),
  );
  const rejected = unrepairable.flatMap((operation) =>
    operation.intents.map((intent) => ({
      intent,
      code: 'REJECTED',
      reason:
        'the wallet is registered to the investor identity, which holds our current KYC claim, and still not verified (another required claim is missing)',
    })),
  );
  const resolved = deadLetterLater(run, books, [...failed, ...rejected]);
  const open = (operation: Operation) => !blocked.has(investorOf(operation));
  return {
    calls,
    toRegister: adds.filter((operation) => !operation.registered && open(operation)),
    toUpdate: toUpdate.filter(open),
    resolved,
  };
}

function registration(batch: readonly Operation[], identityOf: (operation: Operation) => string | undefined): ChainCall {
  return {
    kind: 'register',
    entries: batch.map((operation) => ({
      wallet: operation.wallet,
      identity: identityOf(operation)!,
      country: numericCountryCode(operation.intents[0]!.change.country),
    })),
  };
}

/** The intents the chain would refuse go to the DLQ with the revert reason. */
function deadLetterReverted(run: FlushRun, books: Bookkeeping, preparation: Preparation): Preparation {
  deadLetterLater(run, books, preparation.reverted);
  return preparation;
}

/**
 * Dead letters are recorded behind what is being recorded, like every outcome of the flush, so
 * each audit stream keeps its order; returns how many are queued.
 */
function deadLetterLater(run: FlushRun, books: Bookkeeping, entries: readonly { intent: PendingIntent; code: string; reason: string }[]): number {
  if (entries.length > 0) books.later(async () => ({ deadLettered: await deadLetter(run, entries) }));
  return entries.length;
}

/** Sends a stage's calls and records what they did; their intents are in flight until their transactions settle. */
async function sendStage(
  run: FlushRun,
  books: Bookkeeping,
  exposure: Exposure,
  page: readonly PendingIntent[],
  prepared: readonly Prepared[],
): Promise<Progress> {
  if (prepared.length === 0) return NO_PROGRESS;
  const calls: CallToSend[] = prepared.map(({ call, gasLimit, operations }) => ({
    call,
    gasLimit,
    intentKeys: operations.flatMap((operation) => operation.intents.map((intent) => intent.key)),
  }));
  const keys = calls.flatMap((call) => call.intentKeys);
  for (const key of keys) exposure.inFlight.add(key);
  const settled = await run.sender.send(calls);
  const applied = await applySettled(run, books, exposure, page, settled);
  for (const key of keys) exposure.inFlight.delete(key);
  return advanced(applied, { resolved: 0, transactions: settled.length });
}

/** Records what settled transactions did: mined ones complete their intents, reverted ones count a failed attempt. */
async function applySettled(
  run: FlushRun,
  books: Bookkeeping,
  exposure: Exposure,
  page: readonly PendingIntent[],
  settled: readonly SettledSlot[],
): Promise<Progress> {
  const { done, reverted } = outcomesOf(page, settled);
  const completed = record(run, books, done);
  let deadLettered = 0;
  for (const { keys, hash } of reverted) {
    for (const key of keys) exposure.inFlight.delete(key);
    const counted = await run.journal.recordFailure(run.group, keys, `transaction ${hash} reverted`);
    const exhausted = counted.filter((intent) => intent.attempts >= run.maxAttempts);
    deadLettered += deadLetterLater(
      run,
      books,
      exhausted.map((intent) => ({ intent, code: 'CHAIN_REVERTED', reason: `transaction ${hash} reverted ${intent.attempts} times` })),
    );
  }
  return { resolved: completed + deadLettered, transactions: 0 };
}

/** The page's intents that mined transactions applied (with the transaction), and those of reverted transactions. */
function outcomesOf(page: readonly PendingIntent[], settled: readonly SettledSlot[]): { done: DoneIntent[]; reverted: { keys: string[]; hash: string }[] } {
  const byKey = new Map(page.map((intent) => [intent.key, intent]));
  const done: DoneIntent[] = [];
  const reverted: { keys: string[]; hash: string }[] = [];
  for (const slot of settled) {
    const intents = slot.intentKeys.map((key) => byKey.get(key)).filter((intent): intent is PendingIntent => intent !== undefined);
    if (slot.status === 'mined' && slot.call.kind !== 'createIdentity' && slot.call.kind !== 'createInvestorIdentity') {
      const tx = {
        transactionHash: slot.receipt!.hash,
        nonce: slot.nonce,
        blockNumber: slot.receipt!.blockNumber,
        batchSize: new Set(intents.map((intent) => intent.change.wallet)).size,
      };
      done.push(...intents.map((intent) => ({ intent, tx })));
    } else if (slot.status === 'reverted') {
      reverted.push({ keys: intents.map((intent) => intent.key), hash: slot.receipt!.hash });
    }
  }
  return { done, reverted };
}

/** Queues the records of intents done; returns how many. */
function record(run: FlushRun, books: Bookkeeping, done: readonly DoneIntent[]): number {
  if (done.length > 0) books.later(() => recordDone(run, done));
  return done.length;
}

/** After a failed flush, each waiting intent counts one attempt; those out of attempts go to the DLQ. */
async function countFailure(run: FlushRun, exposure: Exposure, error: unknown): Promise<void> {
  // A failure before the first page was read (the node down from the start) counts for that page.
  const page = exposure.page.length > 0 ? exposure.page : await run.journal.pendingIntents(run.group, run.chain.maxBatchSize);
  const keys = page.map((intent) => intent.key).filter((key) => !exposure.inFlight.has(key));
  if (keys.length === 0) return;
  const reason = error instanceof Error ? error.message : 'unknown failure';
  const counted = await run.journal.recordFailure(run.group, keys, reason);
  const exhausted = counted.filter((intent) => intent.attempts >= run.maxAttempts);
  await deadLetter(
    run,
    exhausted.map((intent) => ({ intent, code: 'RETRIES_EXHAUSTED', reason: `gave up after ${intent.attempts} attempts: ${reason}` })),
  );
}

function advanced(a: Progress, b: Progress): Progress {
  return { resolved: a.resolved + b.resolved, transactions: a.transactions + b.transactions };
}
