import type { ListProvider, ScreeningRecord, ScreeningRepository } from './ports';
import {
  type AllowlistRequests,
  MAY_BE_ON_CHAIN,
  changeStatus,
  requestAllowlistChanges,
  transition,
  type Investor,
  type InvestorRepository,
  type InvestorStatus,
} from '../investors';
import { type RegistryTarget, NotFoundError } from '../../shared';
import { stateChange, type AuditLog } from '../audit';
import { clearsMatch, openCase, type Case, type CaseRepository, type OpenCaseRequest } from '../cases';
import type { ScreeningMatch, ScreeningSubject } from './screener';
import { listingOf } from './lists';
import { effectiveVerdict, isBlocking, matchCaseKey } from './standing';
import { subjectHashOf, subjectOf } from './subject';
import { normaliseWallet } from './wallets';

export interface ScreenInvestorDeps {
  readonly investors: InvestorRepository;
  readonly screenings: ScreeningRepository;
  readonly lists: ListProvider;
  readonly cases: CaseRepository;
  readonly audit: AuditLog;
  readonly allowlist: AllowlistRequests;
  /** Every registry the fund's token lives on; an eligible wallet is added to each. */
  readonly registries: readonly RegistryTarget[];
  readonly actor: string;
  readonly now?: () => Date;
}

export interface ScreeningRequest {
  /** Why: `registered`, `list changed`, ... */
  readonly reason: string;
  /** The list version that asked for it (re-screens); the worker makes sure it holds that version or a newer one. */
  readonly listVersion?: string;
}

/**
 * Screening follows KYC approval: the first screening moves the investor to `screened`; later ones
 * (list changes, a new wallet) only record and route.
 */
const FIRST_SCREENING: ReadonlySet<InvestorStatus> = new Set(['kyc_approved']);
const RESCREENED: ReadonlySet<InvestorStatus> = new Set(['screened', 'eligible', 'allowlisted', 'suspended']);

/**
 * Screens an investor against the current list and routes the outcome. `clear` continues to the
 * allowlist; `review` opens a potential-match case per matched entry and stops; `block` (an exact
 * wallet hit) opens a wallet-hit case, freezes then removes every wallet on every registry if any
 * may be on chain, and suspends the investor. Hits that officers cleared as false positives, for the
 * same investor data and the same entry, are set aside: a re-screen that finds only those is clear.
 *
 * Resumable: the result is stored once per (investor, list version, screened data) and each step
 * is stored before the next, so a redelivered message finishes a half-done run instead of repeating
 * or skipping a step. Each audit record is appended before the state it records is saved, keyed by
 * what it records, so a crash in between neither loses nor doubles it.
 */
export async function screenInvestor(deps: ScreenInvestorDeps, investorId: string, request: ScreeningRequest = { reason: 'registered' }): Promise<Investor> {
  const now = deps.now ?? (() => new Date());
  let investor = await deps.investors.get(investorId);
  if (!investor) throw new NotFoundError(`investor ${investorId} does not exist`);
  if (!FIRST_SCREENING.has(investor.status) && !RESCREENED.has(investor.status)) return investor;
  const stream = `investor#${investorId}`;

  const screener = await deps.lists.current(request.listVersion);
  const subject = subjectOf(investor);
  const subjectHash = subjectHashOf(subject);
  const firstScreening = FIRST_SCREENING.has(investor.status);
  let record = await deps.screenings.find(investorId, screener.version.id, subjectHash);
  if (!record) {
    const previous = await deps.screenings.latest(investorId);
    // After a list change, the same data's previous result is carried forward against the entries
    // that changed (a delta re-screen); the engine falls back to a full screening where it may not.
    const delta = previous !== undefined && previous.subjectHash === subjectHash && screener.carriesForward(previous);
    const outcome = delta ? screener.rescreen(subject, previous) : screener.screen(subject);
    const computedBy = delta ? 'delta' : 'full';
    const staleMatches = (previous?.matches ?? []).filter((match) => !screener.entry(match.sdnId, match.list ?? 'ofac-sdn'));
    const candidate: ScreeningRecord = {
      investorId,
      subjectHash,
      screenedAt: now().toISOString(),
      reason: request.reason,
      staleMatches,
      computedBy,
      ...outcome,
    };
    const completed = {
      stream,
      type: 'screening.completed',
      actor: deps.actor,
      investorId,
      data: {
        verdict: outcome.verdict,
        listVersion: outcome.listVersion,
        reason: request.reason,
        computedBy,
        matches: outcome.matches.map(({ sdnId, score, matchedOn, list, outcome: hit }) => ({ sdnId, score, matchedOn, list, outcome: hit })),
        staleSdnIds: staleMatches.map((match) => match.sdnId),
      },
    };
    // A first screening that clears or reviews is also the move to `screened`: keyed by the version
    // it produces. A block moves to `suspended` instead, which has its own record.
    await deps.audit.append(
      firstScreening && outcome.verdict !== 'block'
        ? stateChange(completed, investor.version + 1)
        : { ...completed, idempotencyKey: `${stream}:screening:${outcome.listVersion}:${subjectHash}` },
    );
    record = await deps.screenings.saveIfAbsent(candidate);
  }

  // Opening returns the stored case of each hit: those officers cleared are set aside without reading them again.
  const cases = await openCases(deps, investor, subject, subjectHash, record);
  const caseIds = cases.map((opened) => opened.caseId);
  const uncleared = record.matches.filter((_, index) => !clearsMatch(cases[index]));
  const verdict = effectiveVerdict(uncleared);

  if (verdict === 'block') return block(deps, investor, record, uncleared, caseIds, now);

  if (firstScreening) {
    const screened = transition(investor, 'screened', now());
    await deps.investors.save(screened);
    investor = screened;
  }

  if (investor.status === 'screened') {
    if (verdict !== 'clear') return investor;
    const eligible = transition(investor, 'eligible', now());
    const cleared = record.matches.length > 0 ? { clearedCaseIds: caseIds } : {};
    await deps.audit.append(
      stateChange(
        { stream, type: 'investor.eligible', actor: deps.actor, investorId, data: { listVersion: record.listVersion, ...cleared } },
        eligible.version,
      ),
    );
    await deps.investors.save(eligible);
    investor = eligible;
  }

  // Allowlisted investors too: a wallet added since is screened here and joins the allowlist now.
  if (MAY_BE_ON_CHAIN.has(investor.status) && verdict === 'clear') await requestAllowlistChanges(deps, investor, ['add']);
  return investor;
}

/** One case per matched entry (and per wallet hit); opening is idempotent, so a resumed run re-opens nothing. */
async function openCases(
  deps: ScreenInvestorDeps,
  investor: Investor,
  subject: ScreeningSubject,
  subjectHash: string,
  record: ScreeningRecord,
): Promise<Case[]> {
  const cases: Case[] = [];
  for (const match of record.matches) {
    const request = caseRequestFor(investor, subject, subjectHash, record, match);
    cases.push((await openCase({ cases: deps.cases, audit: deps.audit, now: deps.now }, request, deps.actor)).case);
  }
  return cases;
}

function caseRequestFor(investor: Investor, subject: ScreeningSubject, subjectHash: string, record: ScreeningRecord, match: ScreeningMatch): OpenCaseRequest {
  // The version of the list the entry is on (an officer looks the entry up in it), and all the screening used.
  const listVersion = record.listVersions?.[match.list ?? 'ofac-sdn'] ?? record.listVersion;
  const evidence = {
    listVersion,
    ...(listVersion === record.listVersion ? {} : { screenedAgainst: record.listVersion }),
    screenedAt: record.screenedAt,
    screened: subject,
    // A name in another script: as the document has it (above) and the Latin letters it was compared in.
    ...(record.transliteration ? { screenedNameLatin: record.transliteration.latin } : {}),
    subjectHash,
    entry: { sdnId: match.sdnId, name: match.name, programs: match.programs, entryHash: match.evidence?.entryHash },
    // Which list, and what a listing on it means: a non-SDN listing restricts, it does not block.
    list: listingOf(match.list ?? 'ofac-sdn', match.programs),
    outcome: isBlocking(match) ? 'block' : 'review',
    score: match.score,
    matchedOn: match.matchedOn,
    matchedName: match.evidence?.matchedName,
    facts: match.evidence?.facts,
  };
  const key = matchCaseKey(investor.investorId, subjectHash, match);
  if (match.matchedOn === 'address' && isBlocking(match)) {
    return {
      type: 'wallet_hit',
      key,
      investorId: investor.investorId,
      risk: 'high',
      evidence: { ...evidence, wallet: normaliseWallet(match.evidence?.wallet ?? '') },
    };
  }
  // A listed wallet that does not block (a non-SDN list's) is as sure as a hit gets: high risk, for a human.
  const corroborated = match.matchedOn === 'address' || (match.evidence?.facts.dateOfBirth === 'exact' && match.score >= 0.95);
  return {
    type: 'potential_match',
    key,
    investorId: investor.investorId,
    risk: corroborated ? 'high' : 'medium',
    evidence: match.matchedOn === 'address' ? { ...evidence, wallet: normaliseWallet(match.evidence?.wallet ?? '') } : evidence,
  };
}

/**
 * An exact wallet hit: the lifecycle freezes then removes every wallet on every registry if any may
 * be on chain (requested before the suspension is saved, so a crash in between re-requests them),
 * then suspends. Only an officer's decision in the review queue lifts a sanctions suspension.
 */
async function block(
  deps: ScreenInvestorDeps,
  investor: Investor,
  record: ScreeningRecord,
  uncleared: readonly ScreeningMatch[],
  caseIds: readonly string[],
  now: () => Date,
): Promise<Investor> {
  const sdnIds = uncleared.filter(isBlocking).map((match) => match.sdnId);
  if (investor.status === 'suspended') {
    if (investor.suspension?.kind === 'sanctions') return investor;
    // Suspended by an operator: the wallets left the registries but may still hold tokens, and
    // ERC-3643 checks only the receiver. Freeze them, and make it a sanctions suspension that only
    // the review queue lifts (requested before the save, so a crash in between re-requests them).
    const stream = `investor#${investor.investorId}`;
    const next: Investor = {
      ...investor,
      version: investor.version + 1,
      updatedAt: now().toISOString(),
      suspension: { kind: 'sanctions', reason: 'sanctions wallet hit', at: now().toISOString() },
    };
    await requestAllowlistChanges(deps, next, ['freeze']);
    await deps.audit.append(
      stateChange(
        {
          stream,
          type: 'investor.suspended',
          actor: deps.actor,
          investorId: investor.investorId,
          data: {
            from: 'suspended',
            to: 'suspended',
            reason: 'sanctions wallet hit',
            previousSuspension: investor.suspension?.kind ?? null,
            listVersion: record.listVersion,
            sdnIds,
            caseIds,
            allowlistFreezeRequested: true,
          },
        },
        next.version,
      ),
    );
    await deps.investors.save(next);
    return next;
  }
  return changeStatus({ ...deps, now }, investor, 'suspended', {
    type: 'investor.suspended',
    actor: deps.actor,
    freeze: true,
    data: { reason: 'sanctions wallet hit', listVersion: record.listVersion, sdnIds, caseIds, allowlistFreezeRequested: MAY_BE_ON_CHAIN.has(investor.status) },
    patch: { suspension: { kind: 'sanctions', reason: 'sanctions wallet hit', at: now().toISOString() } },
  });
}
