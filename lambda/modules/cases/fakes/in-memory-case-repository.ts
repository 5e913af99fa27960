import { ConflictError } from '../../../shared';
import type { Case, CaseQuery } from '../case';
import type { CaseRepository } from '../ports';

/** What a DynamoDB round trip leaves of an item: a copy, without the attributes that were undefined. */
const asStored = (item: Case): Case => JSON.parse(JSON.stringify(item)) as Case;

/**
 * The case repository's contract in memory, as the DynamoDB adapter keeps it: opened once by id,
 * saved conditionally on its version, found by status oldest first (at most `limit` per status),
 * and read back as a copy of what was written.
 */
export class InMemoryCaseRepository implements CaseRepository {
  private readonly cases = new Map<string, Case>();

  /** Stores a case as it stands (test setup). */
  put(stored: Case): Case {
    this.cases.set(stored.caseId, asStored(stored));
    return stored;
  }

  async openIfAbsent(candidate: Case): Promise<{ case: Case; opened: boolean }> {
    const existing = this.cases.get(candidate.caseId);
    if (existing) return { case: asStored(existing), opened: false };
    this.cases.set(candidate.caseId, asStored(candidate));
    return { case: candidate, opened: true };
  }

  async get(caseId: string): Promise<Case | undefined> {
    const stored = this.cases.get(caseId);
    return stored && asStored(stored);
  }

  async save(next: Case): Promise<void> {
    if (this.cases.get(next.caseId)?.version !== next.version - 1)
      throw new ConflictError(`case ${next.caseId} changed concurrently (expected version ${next.version - 1})`);
    this.cases.set(next.caseId, asStored(next));
  }

  async find(query: CaseQuery, limit: number): Promise<Case[]> {
    return query.statuses.flatMap((status) =>
      [...this.cases.values()]
        .filter((found) => found.status === status)
        .filter((found) => (['type', 'risk', 'assignee', 'investorId'] as const).every((field) => query[field] === undefined || found[field] === query[field]))
        .filter((found) => (!query.openedAfter || found.openedAt >= query.openedAfter) && (!query.openedBefore || found.openedAt <= query.openedBefore))
        .sort((a, b) => a.openedAt.localeCompare(b.openedAt))
        .slice(0, limit)
        .map(asStored),
    );
  }

  all(): Case[] {
    return [...this.cases.values()].map(asStored);
  }
}
