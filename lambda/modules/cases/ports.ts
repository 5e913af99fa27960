/** What the review queue needs from the outside: where cases are kept, and whether an investor's screening is clear. */

import type { Case, CaseQuery } from './case';
import type { Investor } from '../investors';
import type { AuditRecord } from '../audit';

export interface CaseRepository {
  /** Stores the case unless one with its id exists; returns the stored case. */
  openIfAbsent(candidate: Case): Promise<{ case: Case; opened: boolean }>;
  get(caseId: string): Promise<Case | undefined>;
  /** Replaces the case if its stored version is still `next.version - 1`; ConflictError otherwise. */
  save(next: Case): Promise<void>;
  /** Matching cases, oldest first within each status; at most `limit` per status. */
  find(query: CaseQuery, limit: number): Promise<Case[]>;
}

/** Whether an investor's sanctions screening is clear, counting hits officers cleared as false positives. */
export interface SanctionsStanding {
  /** True when the latest screening of the investor's current data has no hit left that an officer has not cleared. */
  isClear(investor: Investor): Promise<boolean>;
  /** Why or why not: `stale` when the investor's data changed since their latest screening (or they were never screened). */
  standing(investor: Investor): Promise<'clear' | 'uncleared_hits' | 'stale'>;
}

/** A case's audit stream, read back: every action and view, oldest first. */
export interface CaseTrail {
  /** The stream's records with seq > afterSeq, in seq order. */
  recordsAfter(stream: string, afterSeq: number): Promise<readonly AuditRecord[]>;
}
