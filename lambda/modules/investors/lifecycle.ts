import { ConflictError, NotFoundError, TransientError, ValidationError, fieldIssuesFrom, type AllowlistAction, type RegistryTarget } from '../../shared';
import { stateChange, type AuditLog } from '../audit';
import { MAY_BE_ON_CHAIN, kycApplicantSchema, transition, type Investor, type InvestorStatus } from './investor';
import type { AllowlistRequests, Claims, InvestorRepository, ScreeningRequests } from './ports';

export interface LifecycleDeps {
  readonly investors: InvestorRepository;
  readonly audit: AuditLog;
  readonly allowlist: AllowlistRequests;
  readonly screening: ScreeningRequests;
  /** Every registry the fund's token lives on: a wallet joins or leaves each of them. */
  readonly registries: readonly RegistryTarget[];
  readonly now?: () => Date;
}

/** What a status change needs: no screening, which only some changes ask for afterwards. */
export type StatusChangeDeps = Omit<LifecycleDeps, 'screening'>;

export interface StatusChange {
  /** Audit event type, e.g. `investor.kyc_rejected`. */
  readonly type: string;
  readonly actor: string;
  readonly data?: Readonly<Record<string, unknown>>;
  /** Sanctions: freeze the wallets before removing them (ERC-3643 checks only the receiver). */
  readonly freeze?: boolean;
  /** Fields that change with the status (KYC facts, a suspension). */
  readonly patch?: Partial<Pick<Investor, 'kyc' | 'suspension'>>;
  readonly claims?: Claims;
}

export const streamOf = (investorId: string) => `investor#${investorId}`;

/**
 * The same change for the given wallets on every registry; FIFO de-duplication makes repeats free.
 * Registries are separate FIFO groups, so they are asked side by side; within one, in order (a
 * sanctions hit's freeze must come before its remove).
 */
export async function requestAllowlistChanges(
  deps: Pick<LifecycleDeps, 'allowlist' | 'registries'>,
  investor: Investor,
  actions: readonly AllowlistAction[],
  wallets: readonly string[] = investor.wallets,
): Promise<void> {
  await Promise.all(
    deps.registries.map(async (registry) => {
      for (const wallet of wallets) {
        for (const action of actions) {
          await deps.allowlist.request({
            action,
            investorId: investor.investorId,
            wallet,
            country: investor.countryOfResidence,
            chainId: registry.chainId,
            identityRegistry: registry.identityRegistry.toLowerCase(),
            version: investor.version,
          });
        }
      }
    }),
  );
}

/**
 * Moves an investor to `to`. Leaving a state whose wallets may be on chain removes them from every
 * registry first (frozen first on a sanctions hit). Then the audit record, keyed by the version the
 * change produces, then the save: a crash anywhere re-runs to the same result without doubling
 * anything, and a concurrent change makes the save fail with a ConflictError, never overwrite.
 */
export async function changeStatus(deps: StatusChangeDeps, investor: Investor, to: InvestorStatus, change: StatusChange): Promise<Investor> {
  const now = (deps.now ?? (() => new Date()))();
  const next: Investor = { ...transition(investor, to, now), ...change.patch };
  if (MAY_BE_ON_CHAIN.has(investor.status) && !MAY_BE_ON_CHAIN.has(to)) {
    await requestAllowlistChanges(deps, next, change.freeze ? ['freeze', 'remove'] : ['remove']);
  }
  const stream = streamOf(investor.investorId);
  await deps.audit.append(
    stateChange(
      { stream, type: change.type, actor: change.actor, investorId: investor.investorId, data: { from: investor.status, to, ...change.data } },
      next.version,
    ),
  );
  await deps.investors.save(next, change.claims);
  return next;
}

export async function loadInvestor(investors: InvestorRepository, investorId: string): Promise<Investor> {
  const investor = await investors.get(investorId);
  if (!investor) throw new NotFoundError(`no investor with id ${investorId}`);
  return investor;
}

/** Operators suspend for reasons of their own (a court order, a dispute); wallets leave the allowlist. */
export async function suspendInvestor(deps: LifecycleDeps, investorId: string, reason: string, actor: string): Promise<Investor> {
  const investor = await loadInvestor(deps.investors, investorId);
  if (investor.status === 'suspended') return investor;
  return changeStatus(deps, investor, 'suspended', {
    type: 'investor.suspended',
    actor,
    data: { reason, kind: 'operator' },
    patch: { suspension: { kind: 'operator', reason, at: (deps.now ?? (() => new Date()))().toISOString() } },
  });
}

export interface ReinstateDeps extends LifecycleDeps {
  /** The latest screening of the investor's current data: clear (hits officers cleared set aside), with uncleared hits, or stale. */
  readonly screeningStanding: (investor: Investor) => Promise<'clear' | 'uncleared_hits' | 'stale'>;
}

/**
 * Lifts an operator's suspension. A sanctions suspension is lifted only by an officer's decision in
 * the review queue (four-eyes), never here; and the investor must still pass KYC and screening.
 */
export async function reinstateInvestor(deps: ReinstateDeps, investorId: string, actor: string): Promise<Investor> {
  const investor = await loadInvestor(deps.investors, investorId);
  // Reinstated before a crash or a lost answer: the adds are requested again (de-duplicated), nothing else;
  // but only while the latest screening covers the current data, else a wallet added since would join
  // unscreened: that data is screened instead, and a clear screening adds every wallet.
  if (investor.status === 'eligible') {
    const standing = await deps.screeningStanding(investor);
    if (standing === 'clear') await requestAllowlistChanges(deps, investor, ['add']);
    if (standing === 'stale') await deps.screening.request(investorId, 'reinstatement');
    return investor;
  }
  if (investor.status !== 'suspended') throw new ConflictError(`investor ${investorId} is ${investor.status}, not suspended`);
  if (investor.suspension?.kind !== 'operator')
    throw new ConflictError("a sanctions suspension is lifted through the review queue, with a second officer's approval");
  const now = (deps.now ?? (() => new Date()))();
  if (investor.kyc?.verdict !== 'approved' || (investor.kyc.expiresAt && Date.parse(investor.kyc.expiresAt) <= now.getTime())) {
    throw new ConflictError("the investor's KYC is not approved or has expired; they must pass KYC again");
  }
  const standing = await deps.screeningStanding(investor);
  if (standing === 'stale') {
    // Wallets or personal data changed while suspended: what goes back on chain is screened first.
    await deps.screening.request(investorId, 'reinstatement');
    throw new ConflictError("the investor's data changed since their last screening; a screening is now requested: reinstate again once it has run");
  }
  if (standing !== 'clear') throw new ConflictError("the investor's latest screening is not clear; an officer must clear it first");
  const eligible = await changeStatus(deps, investor, 'eligible', { type: 'investor.reinstated', actor, patch: { suspension: undefined } });
  await requestAllowlistChanges(deps, eligible, ['add']);
  return eligible;
}

/** Leaving the fund for good: wallets leave the allowlist; the record stays for the audit trail. */
export async function offboardInvestor(deps: LifecycleDeps, investorId: string, reason: string, actor: string): Promise<Investor> {
  const investor = await loadInvestor(deps.investors, investorId);
  if (investor.status === 'offboarded') return investor;
  return changeStatus(deps, investor, 'offboarded', { type: 'investor.offboarded', actor, data: { reason } });
}

/** States in which the portal may (re)attach the KYC vendor's applicant: before a verdict, or for a new attempt. */
const ATTACHABLE: ReadonlySet<InvestorStatus> = new Set(['registered', 'kyc_pending', 'kyc_retry', 'kyc_rejected']);

/** Names the KYC vendor's applicant for an investor; its verdict will move the investor on. */
export async function attachKycApplicant(deps: LifecycleDeps, investorId: string, input: unknown, actor: string): Promise<Investor> {
  const parsed = kycApplicantSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldIssuesFrom(parsed.error.issues));
  const { vendor, applicantId } = parsed.data;
  const investor = await loadInvestor(deps.investors, investorId);
  if (investor.kyc?.vendor === vendor && investor.kyc.applicantId === applicantId) return investor;
  if (!ATTACHABLE.has(investor.status))
    throw new ConflictError(`investor ${investorId} is ${investor.status}: a KYC applicant can be attached before a verdict or for a new attempt only`);
  const kyc = { vendor, applicantId };
  const claims = { claimKycApplicant: kyc };
  if (investor.status === 'kyc_pending') {
    const now = (deps.now ?? (() => new Date()))();
    const next: Investor = { ...investor, kyc, version: investor.version + 1, updatedAt: now.toISOString() };
    const stream = streamOf(investorId);
    await deps.audit.append(stateChange({ stream, type: 'investor.kyc_applicant_attached', actor, investorId, data: { vendor } }, next.version));
    await deps.investors.save(next, claims);
    return next;
  }
  return changeStatus(deps, investor, 'kyc_pending', { type: 'investor.kyc_pending', actor, data: { vendor }, patch: { kyc }, claims });
}

/** Approved investors whose KYC lapsed must pass it again: until then they are not eligible. */
const EXPIRABLE: ReadonlySet<InvestorStatus> = new Set(['kyc_approved', 'screened', 'eligible', 'allowlisted']);

export interface ExpiryDeps extends StatusChangeDeps {
  readonly actor: string;
}

/** Re-KYC on expiry: every approval past its validity moves the investor to `kyc_retry` (a revocation). */
export async function expireKycApprovals(deps: ExpiryDeps): Promise<{ expired: number }> {
  const now = (deps.now ?? (() => new Date()))();
  let expired = 0;
  let contended = 0;
  for await (const scanned of deps.investors.kycExpiringBefore(now.toISOString())) {
    const outcome = await expireApproval(deps, scanned, now);
    if (outcome === 'expired') expired++;
    if (outcome === 'contended') contended++;
  }
  // The rest of the book was swept; the scheduled retry takes those that kept changing.
  if (contended > 0) throw new TransientError(`${contended} investor(s) changed during the KYC expiry sweep (${expired} expired); the retry expires them`);
  return { expired };
}

/**
 * Expires one approval. The sweep's scan may be behind (it reads eventually consistently): an
 * investor whose save loses to a newer change is read again and judged on what they are now.
 */
async function expireApproval(deps: ExpiryDeps, scanned: Investor, now: Date): Promise<'expired' | 'current' | 'contended'> {
  let investor: Investor | undefined = scanned;
  for (let attempt = 0; attempt < 3 && investor; attempt++) {
    const kyc = investor.kyc;
    if (!EXPIRABLE.has(investor.status) || kyc?.verdict !== 'approved' || !kyc.expiresAt || Date.parse(kyc.expiresAt) > now.getTime()) return 'current';
    try {
      await changeStatus(deps, investor, 'kyc_retry', {
        type: 'investor.kyc_expired',
        actor: deps.actor,
        data: { vendor: kyc.vendor, expiresAt: kyc.expiresAt },
        patch: { kyc: { ...kyc, verdict: 'expired' } },
      });
      return 'expired';
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      investor = await deps.investors.get(investor.investorId);
    }
  }
  return investor ? 'contended' : 'current';
}
