import type { RegistryEventSource, InvestorDirectory, FlushRequests, AllowlistJournal, RegistryChain, WalletState } from './ports';
import type { AuditLog } from '../audit';
import { caseIdFor, openCase, type CaseRepository, type CaseRisk } from '../cases';
import type { Investor, InvestorStatus } from '../investors';
import { changeGroupId } from '../../shared';
import { chunk } from './plan';
import { kycClaimData, restsOn } from './claims';

export interface ReconcileDeps {
  readonly chain: RegistryChain & RegistryEventSource;
  readonly investors: InvestorDirectory;
  readonly journal: AllowlistJournal;
  readonly cases: CaseRepository;
  readonly audit: AuditLog;
  readonly flushRequests: FlushRequests;
  readonly actor: string;
  /** Blocks per event query; providers cap log ranges. */
  readonly blocksPerQuery?: number;
  readonly now?: () => Date;
}

export interface ReconcileResult {
  readonly walletsChecked: number;
  readonly drifts: number;
  readonly casesOpened: number;
  /** Changes found waiting in the journal; a flush was requested for them. */
  readonly pending: number;
}

/** allowlisted: registered, verified, not frozen. eligible: on its way (skipped). Anything else: not registered. */
const EXPECTATION: Readonly<Record<InvestorStatus, 'allowlisted' | 'absent' | undefined>> = {
  registered: 'absent',
  kyc_pending: 'absent',
  kyc_approved: 'absent',
  kyc_rejected: 'absent',
  kyc_retry: 'absent',
  screened: 'absent',
  eligible: undefined,
  allowlisted: 'allowlisted',
  suspended: 'absent',
  offboarded: 'absent',
};

type Drift = {
  /** The wallet, or for a claim drift the investor's identity (`none` when it has none). */
  wallet: string;
  investor?: Investor;
  kind: 'not_verified' | 'frozen' | 'should_not_be_registered' | 'unknown_wallet' | 'claim_missing' | 'claim_revoked' | 'claim_outdated';
  risk: CaseRisk;
  observed: WalletState | { readonly identity: string | null; readonly claim: 'missing' | 'revoked' | 'outdated' };
};

/**
 * Compares one registry with the investors' intended state and opens a `chain_drift` case per
 * difference (one case per wallet and kind of drift, however often it is seen). Wallets with a
 * change still pending are skipped (they are in flight) and the pending changes get a flush
 * request, so nothing waits for new traffic after a crash. Registrations of wallets no investor
 * owns are found from the registry's events since the last run.
 */
export async function reconcileRegistry(deps: ReconcileDeps): Promise<ReconcileResult> {
  const { chain } = deps;
  const group = changeGroupId(chain);
  const pending = await deps.journal.pendingIntents(group, Number.MAX_SAFE_INTEGER);
  const inFlight = new Set(pending.map((intent) => intent.change.wallet));
  if (pending[0]) await deps.flushRequests.requestFlush(chain, `sweep:${pending[0].key}:${pending[0].attempts}`);

  const owners = new Map<string, Investor>();
  for await (const investor of deps.investors.all()) for (const wallet of investor.wallets) owners.set(wallet.toLowerCase(), investor);

  const drifts: Drift[] = [];
  const expected = [...owners].filter(([wallet, investor]) => EXPECTATION[investor.status] !== undefined && !inFlight.has(wallet));
  for (const page of chunk(expected, 100)) {
    const states = await chain.walletStates(page.map(([wallet]) => wallet));
    for (const [wallet, investor] of page) {
      const observed = states.get(wallet)!;
      if (EXPECTATION[investor.status] === 'allowlisted') {
        if (!observed.verified) drifts.push({ wallet, investor, kind: 'not_verified', risk: 'medium', observed });
        else if (observed.frozen) drifts.push({ wallet, investor, kind: 'frozen', risk: 'medium', observed });
      } else if (observed.contains) {
        drifts.push({ wallet, investor, kind: 'should_not_be_registered', risk: 'high', observed });
      }
    }
  }

  drifts.push(...(await claimDrifts(chain, [...new Set(expected.map(([, investor]) => investor))])));

  const unknown = (await registeredSinceCheckpoint(deps, group)).filter((wallet) => !owners.has(wallet) && !inFlight.has(wallet));
  if (unknown.length > 0) {
    const states = await chain.walletStates(unknown);
    for (const wallet of unknown)
      if (states.get(wallet)!.contains) drifts.push({ wallet, kind: 'unknown_wallet', risk: 'high', observed: states.get(wallet)! });
  }

  let casesOpened = 0;
  const checkedAt = (deps.now ?? (() => new Date()))().toISOString();
  for (const drift of drifts) {
    const { opened } = await openCase(
      { cases: deps.cases, audit: deps.audit, now: deps.now },
      {
        type: 'chain_drift',
        key: await driftCaseKey(
          deps.cases,
          drift.kind.startsWith('claim_')
            ? `chain_drift|${group}|investor:${drift.investor!.investorId}|${drift.kind}`
            : `chain_drift|${group}|${drift.wallet}|${drift.kind}`,
        ),
        investorId: drift.investor?.investorId,
        risk: drift.risk,
        evidence: {
          chainId: chain.chainId,
          identityRegistry: chain.identityRegistry,
          wallet: drift.wallet,
          drift: drift.kind,
          investorStatus: drift.investor?.status ?? null,
          observed: drift.observed,
          checkedAt,
        },
      },
      deps.actor,
    );
    if (opened) casesOpened++;
  }
  return { walletsChecked: expected.length + unknown.length, drifts: drifts.length, casesOpened, pending: pending.length };
}

/**
 * Where our KYC claims are issued, each allowlisted investor's identity must hold our current,
 * unrevoked claim: else their wallets are (or may at any moment be) unverified, or the claim rests
 * on another KYC record than the one we hold. (A verified wallet of an investor who is not approved
 * is a should_not_be_registered drift, its observed state says verified.)
 */
async function claimDrifts(chain: ReconcileDeps['chain'], investors: readonly Investor[]): Promise<Drift[]> {
  const allowlisted = investors.filter((investor) => EXPECTATION[investor.status] === 'allowlisted');
  if (!chain.issuesClaims || allowlisted.length === 0) return [];
  const drifts: Drift[] = [];
  for (const page of chunk(allowlisted, 100)) {
    const identities = await chain.investorIdentities(page.map((investor) => investor.investorId));
    await Promise.all(
      page.map(async (investor) => {
        const identity = identities.get(investor.investorId);
        const stored = identity ? await chain.kycClaim(identity) : undefined;
        const claim = !stored ? 'missing' : stored.revoked ? 'revoked' : !restsOn(stored.data, kycClaimData(investor)) ? 'outdated' : undefined;
        if (claim) drifts.push({ wallet: identity ?? 'none', investor, kind: `claim_${claim}`, risk: 'high', observed: { identity: identity ?? null, claim } });
      }),
    );
  }
  return drifts;
}

/**
 * One open case per drift: while its case is open, a drift found again is the same case; once an
 * officer has closed it, a drift still there is a new case (the chain is objectively wrong, so a
 * closure is not a clearance), keyed after the closed one.
 */
async function driftCaseKey(cases: Pick<CaseRepository, 'get'>, base: string): Promise<string> {
  let key = base;
  for (let existing = await cases.get(caseIdFor(key)); existing?.status === 'closed'; existing = await cases.get(caseIdFor(key))) {
    key = `${base}|after:${existing.caseId}`;
  }
  return key;
}

/** Wallets whose last registry event since the checkpoint was a registration; moves the checkpoint on. */
async function registeredSinceCheckpoint(deps: ReconcileDeps, group: string): Promise<string[]> {
  const from = (await deps.journal.eventCheckpoint(group)) ?? 0;
  const head = await deps.chain.blockNumber();
  const step = deps.blocksPerQuery ?? 5_000;
  const last = new Map<string, boolean>();
  for (let start = from; start <= head; start += step) {
    for (const event of await deps.chain.registryEvents(start, Math.min(head, start + step - 1))) last.set(event.wallet, event.registered);
  }
  await deps.journal.saveEventCheckpoint(group, head + 1);
  return [...last].filter(([, registered]) => registered).map(([wallet]) => wallet);
}
