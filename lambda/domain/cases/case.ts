import { createHash } from 'node:crypto';

/**
 * Cases are what a compliance officer works: potential sanctions matches, exact wallet hits, drift
 * between the chain and our records, conflicting KYC verdicts. This module opens them, once per
 * distinct reason; claiming, deciding and four-eyes approval live with the review queue.
 */
export const CASE_TYPES = ['potential_match', 'wallet_hit', 'chain_drift', 'kyc_conflict'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_STATUSES = ['open', 'claimed', 'pending_approval', 'needs_info', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export type CaseRisk = 'low' | 'medium' | 'high';

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

export interface Case extends OpenCaseRequest {
  readonly caseId: string;
  readonly status: CaseStatus;
  readonly openedAt: string;
  readonly version: number;
}

/** Deterministic id: the same reason always maps to the same case, so opening is idempotent. */
export function caseIdFor(key: string): string {
  return `case_${createHash('sha256').update(key).digest('hex').slice(0, 26)}`;
}

export interface CaseRepository {
  /** Stores the case unless one with its id exists; returns the stored case. */
  openIfAbsent(candidate: Case): Promise<{ case: Case; opened: boolean }>;
  get(caseId: string): Promise<Case | undefined>;
}
