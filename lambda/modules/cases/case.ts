import { createHash } from 'node:crypto';
import type { AuditEvent } from '../audit';

/**
 * Cases are what a compliance officer works: potential sanctions matches, exact wallet hits, drift
 * between the chain and our records, conflicting KYC verdicts. Workers open them, once per
 * distinct reason; officers claim, decide and (four-eyes) approve them in the review queue.
 */
export const CASE_TYPES = ['potential_match', 'wallet_hit', 'chain_drift', 'kyc_conflict'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_STATUSES = ['open', 'claimed', 'pending_approval', 'needs_info', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_RISKS = ['low', 'medium', 'high'] as const;
export type CaseRisk = (typeof CASE_RISKS)[number];

export const DISPOSITIONS = ['false_positive', 'true_match', 'needs_info', 'escalate'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** Case types about sanctions: only these can be a true match, and clearing them needs a second officer. */
export const SANCTIONS_CASE_TYPES: ReadonlySet<CaseType> = new Set(['potential_match', 'wallet_hit']);

export interface OpenCaseRequest {
  readonly type: CaseType;
  /**
   * What makes this case distinct, e.g. `potential_match|<investorId>|<sdnId>|<investorDataHash>|<entryHash>`.
   * Opening the same key twice returns the first case.
   */
  readonly key: string;
  readonly investorId?: string;
  readonly risk: CaseRisk;
  /** The snapshot an officer decides on: screened data, matched entry, score, field, list version. */
  readonly evidence: Readonly<Record<string, unknown>>;
}

/** An officer's decision with its written reason; `by` is the officer's subject (the four-eyes identity). */
export interface Decision {
  readonly disposition: Disposition;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

/** What a closed case did to the investor and the chain. */
export interface CaseEffects {
  readonly summary: string;
  readonly investorStatus?: string;
  /** OFAC's blocked-property report deadline (10 business days after the blocking), for a true match. */
  readonly reportDueBy?: string;
  readonly appliedAt: string;
}

export interface Resolution extends Decision {
  /** The second officer, for decisions that need four-eyes. */
  readonly approvedBy?: string;
  readonly approvedAt?: string;
  /** The approver's audit identity (`<role>:<subject>`), so resumed effects are recorded under it. */
  readonly approverActor?: string;
  readonly approvalNote?: string;
  /** Absent while the effects are still to be applied (a crash after the approval): approving again resumes them. */
  readonly effects?: CaseEffects;
}

export interface Case extends OpenCaseRequest {
  readonly caseId: string;
  readonly status: CaseStatus;
  readonly openedAt: string;
  readonly version: number;
  readonly updatedAt?: string;
  /** The officer working it (`claimed`), or who proposed the decision awaiting approval. */
  readonly assignee?: string;
  /** A claim lapses at this time: the case can then be claimed by anyone. */
  readonly leaseExpiresAt?: string;
  /** A decision that takes effect only once a second, different officer approves it. */
  readonly proposal?: Decision;
  readonly resolution?: Resolution;
  readonly needsInfo?: Decision;
  readonly escalation?: Decision;
  /** The last proposal a second officer rejected, and why. */
  readonly rejection?: Decision;
  /**
   * The audit record of the change that produced this version, stored with it: appended right after
   * the save, and again (a no-op, it is keyed) by the next action on the case, so a crash in between
   * never loses it, and a writer that lost the race for this version never records a change it did not make.
   */
  readonly pendingAudit?: AuditEvent;
}

/** Deterministic id: the same reason always maps to the same case, so opening is idempotent. */
export function caseIdFor(key: string): string {
  return `case_${createHash('sha256').update(key).digest('hex').slice(0, 26)}`;
}

/** A cleared false positive: the hit it is about is not raised again while the data it was keyed on is unchanged. */
export function clearsMatch(candidate: Case | undefined): boolean {
  return candidate?.status === 'closed' && candidate.resolution?.disposition === 'false_positive';
}

export interface CaseQuery {
  readonly statuses: readonly CaseStatus[];
  readonly type?: CaseType;
  readonly risk?: CaseRisk;
  readonly assignee?: string;
  readonly investorId?: string;
  /** Opened at or before this time (ISO 8601): a minimum age. */
  readonly openedBefore?: string;
  /** Opened at or after this time: a maximum age. */
  readonly openedAfter?: string;
}
