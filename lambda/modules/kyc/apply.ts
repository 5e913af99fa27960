import { createHash } from 'node:crypto';
import { openCase, type CaseRepository } from '../cases';
import { canTransition, changeStatus, streamOf, type Investor, type InvestorStatus, type KycFacts, type LifecycleDeps } from '../investors';
import { stateChange } from '../audit';
import { TransientError, type KycVerdict, type KycVendor } from '../../shared';
import type { KycEvent, KycPerson, StoredKycEvent } from './events';
import type { KycEventStore, KycVendorApi } from './ports';

export interface ApplyKycDeps extends LifecycleDeps {
  readonly events: KycEventStore;
  readonly cases: CaseRepository;
  /** The vendor's applicant API, for vendors whose webhooks lack the verdict or the person. */
  readonly vendorApi: (vendor: KycVendor) => KycVendorApi | undefined;
  /** How long an approval stays valid before the investor must pass KYC again. */
  readonly kycValidityDays: number;
  readonly actor: string;
}

export type ApplyOutcome = 'applied' | 'unchanged' | 'stale' | 'unmatched' | 'superseded' | 'conflict' | 'already_processed';

/** Where each verdict takes an investor (from states where that move is allowed). */
const TARGET: Readonly<Partial<Record<KycVerdict, InvestorStatus>>> = {
  approved: 'kyc_approved',
  rejected: 'kyc_rejected',
  retry: 'kyc_retry',
  expired: 'kyc_retry',
  abandoned: 'kyc_retry',
  pending: 'kyc_pending',
  review: 'kyc_pending',
};

/** Once approved, only a revocation moves the investor back: a late `pending` does not. */
const PROGRESSED: ReadonlySet<InvestorStatus> = new Set(['kyc_approved', 'screened', 'eligible', 'allowlisted']);

/** Verdicts that end an approval (where the investor cannot move, they are still recorded: a reinstatement then refuses). */
const REVOKING: ReadonlySet<KycVerdict> = new Set(['rejected', 'retry', 'expired', 'abandoned']);

/**
 * The facts after an event: the newest verdict, except that one which neither approves nor revokes
 * (a later review, pending or error) leaves a standing approval in force, with its validity, so the
 * re-KYC sweep still expires it on time and reinstatement still sees it.
 */
function factsAfter(facts: KycFacts | undefined, event: KycEvent, eventKey: string, kycValidityDays: number): KycFacts {
  const verdict = event.verdict!;
  const approves = verdict === 'approved';
  const keepsApproval = facts?.verdict === 'approved' && !approves && !REVOKING.has(verdict);
  return {
    vendor: event.vendor,
    applicantId: event.applicantId ?? facts?.applicantId ?? event.eventId,
    verdict: keepsApproval ? 'approved' : verdict,
    lastEventAt: event.occurredAt,
    lastEventKey: eventKey,
    approvedAt: approves ? event.occurredAt : facts?.approvedAt,
    expiresAt: approves ? new Date(Date.parse(event.occurredAt) + kycValidityDays * 86_400_000).toISOString() : facts?.expiresAt,
  };
}

const normalised = (value: string | undefined) =>
  value
    ?.normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * The person the vendor verified must be the one the portal registered: a different date of birth,
 * a surname that is not part of the legal name, or a different country of residence is a conflict
 * for an officer, never an approval.
 */
export function personConflicts(investor: Investor, person: KycPerson | undefined): string[] {
  if (!person) return [];
  const conflicts: string[] = [];
  if (person.dateOfBirth && investor.dateOfBirth && person.dateOfBirth !== investor.dateOfBirth) conflicts.push('dateOfBirth');
  const legalName = ` ${normalised(investor.legalName)} `;
  for (const part of [person.lastName, person.firstName]) {
    const token = normalised(part);
    if (token && !legalName.includes(` ${token} `)) {
      conflicts.push('name');
      break;
    }
  }
  if (person.country && person.country !== investor.countryOfResidence && person.country !== investor.nationality) conflicts.push('country');
  return conflicts;
}

async function enrich(deps: ApplyKycDeps, event: StoredKycEvent): Promise<KycEvent> {
  if (!event.enrichment) return event;
  const api = deps.vendorApi(event.vendor);
  // Never apply a verdict without the person it is about: retried (and dead-lettered, alarmed) until configured.
  if (!api)
    throw new TransientError(`no ${event.vendor} API credentials are configured (secret kycVendorApi): the event needs the applicant's data from the vendor`);
  const details = await api.details(event.enrichment);
  return {
    ...event,
    applicantId: event.applicantId ?? details.applicantId,
    externalReference: event.externalReference ?? details.externalReference,
    person: event.person ?? details.person,
    verdict: event.verdict ?? details.verdict,
  };
}

async function findInvestor(deps: ApplyKycDeps, event: KycEvent): Promise<Investor | undefined> {
  const byApplicant = event.applicantId ? await deps.investors.findByKycApplicant(event.vendor, event.applicantId) : undefined;
  if (byApplicant) return byApplicant;
  return event.externalReference ? deps.investors.findByExternalId(event.externalReference) : undefined;
}

/**
 * Applies one stored KYC event to its investor. Verdicts are ordered by the vendor's event time:
 * an event older than the newest one applied changes nothing. A rejection or a retry after approval
 * is a revocation: the lifecycle moves the investor back and their wallets leave the allowlist. An
 * approval asks for screening. Safe to run again for the same event: the transition, the case and
 * the audit records are keyed, and the effects are idempotent requests.
 */
export async function applyKycEvent(deps: ApplyKycDeps, eventKey: string): Promise<ApplyOutcome> {
  const stored = await deps.events.get(eventKey);
  if (!stored || stored.state !== 'received') return 'already_processed';
  // The receipt, recorded here rather than at the webhook so the vendor's answer waits on nothing but
  // the store and the hand-over; keyed by the event, so a retried message records it once.
  await deps.audit.append({
    stream: `kyc#${stored.vendor}:${stored.applicantId ?? stored.eventId}`,
    type: 'kyc.webhook.received',
    actor: `vendor:${stored.vendor}`,
    data: {
      vendor: stored.vendor,
      receivedAt: stored.receivedAt,
      eventKey,
      eventType: stored.eventType,
      occurredAt: stored.occurredAt,
      verdict: stored.verdict ?? null,
      bodySha256: stored.bodySha256,
    },
    idempotencyKey: `${eventKey}:received`,
  });
  const event = await enrich(deps, stored);
  const investor = await findInvestor(deps, event);
  const kycStream = `kyc#${event.vendor}:${event.applicantId ?? event.eventId}`;
  const settle = async (outcome: ApplyOutcome, state: StoredKycEvent['state'], note?: Record<string, unknown>) => {
    if (note)
      await deps.audit.append({
        stream: kycStream,
        type: `kyc.event.${outcome}`,
        actor: deps.actor,
        investorId: investor?.investorId,
        data: { eventKey, ...note },
        idempotencyKey: `${eventKey}:${outcome}`,
      });
    await deps.events.markState(eventKey, state);
    return outcome;
  };

  if (!investor) return settle('unmatched', 'ignored', { reason: 'no investor has this KYC applicant or reference' });
  // Only the applicant the investor has now speaks for them: a late verdict of an earlier attempt
  // (found through its old claim, or through our reference) must not override the current one.
  const current = investor.kyc;
  if (current?.applicantId && (current.vendor !== event.vendor || current.applicantId !== event.applicantId)) {
    return settle('superseded', 'ignored', { reason: "the investor's current KYC applicant is another one", currentVendor: current.vendor });
  }
  if (!event.verdict) return settle('unchanged', 'processed', { reason: 'the event carries no verdict', eventType: event.eventType });

  const facts = investor.kyc;
  if (facts?.lastEventKey === eventKey) {
    // Applied before a crash: only the idempotent effects are repeated.
    await effects(deps, investor);
    return settle('applied', 'processed');
  }
  if (facts?.lastEventAt && event.occurredAt <= facts.lastEventAt) {
    return settle('stale', 'ignored', {
      reason: 'a newer verdict of this vendor was already applied',
      occurredAt: event.occurredAt,
      newest: facts.lastEventAt,
    });
  }

  const conflicts = event.verdict === 'approved' ? personConflicts(investor, event.person) : [];
  if (conflicts.length > 0) {
    const key = `kyc_conflict|${investor.investorId}|${event.vendor}|${createHash('sha256')
      .update(conflicts.join(',') + JSON.stringify(event.person ?? {}))
      .digest('hex')
      .slice(0, 32)}`;
    await openCase(
      deps,
      {
        type: 'kyc_conflict',
        key,
        investorId: investor.investorId,
        risk: 'high',
        evidence: { vendor: event.vendor, eventKey, applicantId: event.applicantId, conflictingFields: conflicts, vendorPerson: event.person },
      },
      deps.actor,
    );
    return settle('conflict', 'processed', { reason: 'the verified person differs from the registration', conflictingFields: conflicts });
  }

  const now = (deps.now ?? (() => new Date()))();
  const nextFacts = factsAfter(facts, event, eventKey, deps.kycValidityDays);
  // An investor found by our reference gets the applicant claimed now, so its later verdicts find
  // them by applicant and no other investor can be given the same applicant.
  const claims =
    facts?.vendor === nextFacts.vendor && facts.applicantId === nextFacts.applicantId
      ? undefined
      : { claimKycApplicant: { vendor: nextFacts.vendor, applicantId: nextFacts.applicantId } };
  const target = TARGET[event.verdict];
  const moves =
    target !== undefined &&
    target !== investor.status &&
    canTransition(investor.status, target) &&
    !(PROGRESSED.has(investor.status) && (target === 'kyc_pending' || target === 'kyc_approved'));
  const data = { vendor: event.vendor, eventKey, verdict: event.verdict, occurredAt: event.occurredAt, reasons: event.reasons ?? [] };
  // A concurrent change makes the save throw a ConflictError: the message is retried on the new state.
  let next: Investor;
  if (moves) {
    const revocation = PROGRESSED.has(investor.status);
    next = await changeStatus(deps, investor, target, {
      type: revocation ? 'investor.kyc_revoked' : `investor.${target}`,
      actor: deps.actor,
      data,
      patch: { kyc: nextFacts },
      claims,
    });
  } else {
    // Suspended, offboarded, or already there: the facts are kept (newest verdict wins), the status stays.
    next = { ...investor, kyc: nextFacts, version: investor.version + 1, updatedAt: now.toISOString() };
    await deps.audit.append(
      stateChange(
        {
          stream: streamOf(investor.investorId),
          type: 'investor.kyc_updated',
          actor: deps.actor,
          investorId: investor.investorId,
          data: { ...data, status: investor.status },
        },
        next.version,
      ),
    );
    await deps.investors.save(next, claims);
  }
  await effects(deps, next);
  return settle(moves ? 'applied' : 'unchanged', 'processed');
}

/** What follows from a state: an approved investor is screened next. Repeating it is harmless. */
async function effects(deps: ApplyKycDeps, investor: Investor): Promise<void> {
  if (investor.status === 'kyc_approved') await deps.screening.request(investor.investorId, 'kyc approved');
}
