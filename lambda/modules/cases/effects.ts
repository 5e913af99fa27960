import type { SanctionsStanding } from './ports';
import { stateChange, type AuditLog } from '../audit';
import {
  canTransition,
  changeStatus,
  loadInvestor,
  requestAllowlistChanges,
  streamOf,
  type Investor,
  type StatusChangeDeps,
  type Suspension,
} from '../investors';
import { blockedPropertyReportDueBy } from './business-days';
import type { Case, CaseEffects } from './case';

export interface CaseEffectsDeps extends StatusChangeDeps {
  readonly audit: AuditLog;
  readonly sanctions: SanctionsStanding;
}

const kycCurrent = (investor: Investor, now: Date) =>
  investor.kyc?.verdict === 'approved' && !(investor.kyc.expiresAt && Date.parse(investor.kyc.expiresAt) <= now.getTime());

/**
 * What an approved decision does, through the investor lifecycle (never by writing the investor
 * directly). Idempotent and resumable: every step either finds its result already in place or
 * produces it keyed by the investor version it creates, and allowlist requests are de-duplicated,
 * so running it again after a crash completes the work without doubling anything.
 */
export async function applyCaseEffects(deps: CaseEffectsDeps, closed: Case, actor: string): Promise<CaseEffects> {
  const resolution = closed.resolution!;
  const at = new Date(resolution.approvedAt ?? resolution.at);
  const appliedAt = (deps.now ?? (() => new Date()))().toISOString();
  if (!closed.investorId) return { summary: 'no investor to act on', appliedAt };
  const investor = await loadInvestor(deps.investors, closed.investorId);
  const effect =
    resolution.disposition === 'true_match'
      ? await block(deps, closed, investor, at, actor)
      : closed.type === 'wallet_hit'
        ? await clearWalletHit(deps, closed, investor, actor)
        : await clearPotentialMatch(deps, closed, investor, actor);
  return { ...effect, appliedAt };
}

type Effect = Omit<CaseEffects, 'appliedAt'>;

/** A cleared name match: the investor becomes eligible once nothing else holds them back. */
async function clearPotentialMatch(deps: CaseEffectsDeps, cleared: Case, investor: Investor, actor: string): Promise<Effect> {
  if (investor.status === 'screened') {
    if (!kycCurrent(investor, (deps.now ?? (() => new Date()))()))
      return { summary: 'the investor stays screened: their KYC approval has expired; they must pass KYC again', investorStatus: investor.status };
    if (!(await deps.sanctions.isClear(investor)))
      return { summary: 'the investor stays screened: other hits await an officer, or changed data awaits re-screening', investorStatus: investor.status };
    const eligible = await changeStatus(deps, investor, 'eligible', {
      type: 'investor.eligible',
      actor,
      data: { caseId: cleared.caseId, clearedBy: 'review' },
    });
    await requestAllowlistChanges(deps, eligible, ['add']);
    return { summary: 'the investor is eligible; allowlist add requested on every registry', investorStatus: eligible.status };
  }
  // Resumed after a crash between the move to eligible and the request, or eligible already. A
  // wallet added since the latest screening waits for its own: the screening worker adds it.
  if (investor.status === 'eligible') {
    if (!(await deps.sanctions.isClear(investor)))
      return {
        summary: 'the investor is eligible; the adds wait for the screening of their changed data or for other hits to be cleared',
        investorStatus: investor.status,
      };
    await requestAllowlistChanges(deps, investor, ['add']);
    return { summary: 'the investor is eligible; allowlist add requested on every registry', investorStatus: investor.status };
  }
  return { summary: `no change: the investor is ${investor.status}`, investorStatus: investor.status };
}

/** A cleared wallet hit: the sanctions suspension is lifted and the wallets unfrozen, if nothing else holds the investor back. */
async function clearWalletHit(deps: CaseEffectsDeps, cleared: Case, investor: Investor, actor: string): Promise<Effect> {
  const now = (deps.now ?? (() => new Date()))();
  if (investor.status === 'suspended' && investor.suspension?.kind === 'sanctions' && !investor.suspension.confirmedMatchCaseId) {
    if (!kycCurrent(investor, now))
      return { summary: 'the investor stays suspended: their KYC is not approved or has expired', investorStatus: investor.status };
    if (!(await deps.sanctions.isClear(investor)))
      return {
        summary: 'the investor stays suspended: other sanctions hits await an officer, or changed data awaits re-screening',
        investorStatus: investor.status,
      };
    const eligible = await changeStatus(deps, investor, 'eligible', {
      type: 'investor.sanctions_suspension_lifted',
      actor,
      data: { caseId: cleared.caseId },
      patch: { suspension: undefined },
    });
    await requestAllowlistChanges(deps, eligible, ['unfreeze', 'add']);
    return { summary: 'the sanctions suspension is lifted; unfreeze and allowlist add requested on every registry', investorStatus: eligible.status };
  }
  if (investor.status === 'eligible') {
    // The cleared wallets are unfrozen whatever else holds: nothing else ever unfreezes them. A
    // wallet added since the latest screening waits for its own before it is added.
    if (!(await deps.sanctions.isClear(investor))) {
      await requestAllowlistChanges(deps, investor, ['unfreeze']);
      return {
        summary:
          'the sanctions suspension is lifted; unfreeze requested on every registry, the adds wait for the screening of changed data or for other hits to be cleared',
        investorStatus: investor.status,
      };
    }
    await requestAllowlistChanges(deps, investor, ['unfreeze', 'add']);
    return { summary: 'the sanctions suspension is lifted; unfreeze and allowlist add requested on every registry', investorStatus: investor.status };
  }
  return {
    summary: `no change: the investor is ${investor.status}${investor.suspension ? ` (${investor.suspension.kind} suspension)` : ''}`,
    investorStatus: investor.status,
  };
}

/** The listing a sanctions case is about, as screening recorded it (cases from before several lists: the SDN list, which blocks). */
function listingOf(closed: Case): { id: string; blocking: boolean; subLists?: readonly string[] } {
  const listing = closed.evidence.list as { id?: string; blocking?: boolean; subLists?: string[] } | undefined;
  return { id: listing?.id ?? 'ofac-sdn', blocking: listing?.blocking !== false, subLists: listing?.subLists };
}

/**
 * A confirmed match. On the SDN list it is blocked property: the investor is suspended for
 * sanctions (for good: only this case's record says why), every wallet frozen and removed on every
 * registry (a frozen address cannot move tokens even where it was never registered), and OFAC's
 * report falls due in 10 business days. On a non-SDN list (SSI, NS-CMIC, ...) no property is
 * blocked: nothing is frozen and no report falls due; the fund stops dealing with the investor
 * (suspended for sanctions for good, every wallet removed from every registry).
 */
async function block(deps: CaseEffectsDeps, confirmed: Case, investor: Investor, blockedAt: Date, actor: string): Promise<Effect> {
  const listing = listingOf(confirmed);
  const reportDueBy = listing.blocking ? blockedPropertyReportDueBy(blockedAt) : undefined;
  const type = listing.blocking ? 'investor.blocked' : 'investor.restricted';
  const suspension: Suspension = {
    kind: 'sanctions',
    reason: listing.blocking ? 'confirmed sanctions match' : 'confirmed non-SDN listing',
    at: blockedAt.toISOString(),
    confirmedMatchCaseId: confirmed.caseId,
  };
  const entry = confirmed.evidence.entry as { sdnId?: number } | undefined;
  const data = {
    caseId: confirmed.caseId,
    sdnId: entry?.sdnId,
    listVersion: confirmed.evidence.listVersion,
    ...(listing.blocking ? { blockedAt: blockedAt.toISOString(), reportDueBy } : { list: listing.id, restrictedAt: blockedAt.toISOString() }),
    wallets: investor.wallets,
  };
  let current = investor;
  if (investor.suspension?.confirmedMatchCaseId === confirmed.caseId) {
    // Already recorded before a crash: only the idempotent requests are repeated.
  } else if (investor.status === 'suspended') {
    const stream = streamOf(investor.investorId);
    current = { ...investor, suspension, version: investor.version + 1, updatedAt: (deps.now ?? (() => new Date()))().toISOString() };
    await deps.audit.append(
      stateChange({ stream, type, actor, investorId: investor.investorId, data: { from: 'suspended', to: 'suspended', ...data } }, current.version),
    );
    await deps.investors.save(current);
  } else if (canTransition(investor.status, 'suspended')) {
    current = await changeStatus(deps, investor, 'suspended', { type, actor, freeze: listing.blocking, data, patch: { suspension } });
  } else {
    // Rejected, awaiting KYC again, or offboarded: the status stays, the blocking is recorded all the same.
    const stream = streamOf(investor.investorId);
    await deps.audit.append({
      stream,
      type,
      actor,
      investorId: investor.investorId,
      data: { status: investor.status, ...data },
      idempotencyKey: `${stream}:${listing.blocking ? 'blocked' : 'restricted'}:${confirmed.caseId}`,
    });
  }
  if (!listing.blocking) {
    await requestAllowlistChanges(deps, current, ['remove']);
    return {
      summary: `the investor is suspended: a confirmed non-SDN listing (${listing.subLists?.join(', ') || listing.id}) restricts dealings but blocks no property; removal of every wallet requested on every registry, nothing frozen, no blocked-property report`,
      investorStatus: current.status,
    };
  }
  await requestAllowlistChanges(deps, current, ['freeze', 'remove']);
  return {
    summary: `the investor is blocked: freeze and removal of every wallet requested on every registry; blocked-property report due by ${reportDueBy}`,
    investorStatus: current.status,
    reportDueBy,
  };
}
