import { ConflictError } from '../../../shared';
import type { Case, CaseQuery } from '../case';
import type { CaseRepository } from '../ports';

/** The case repository's contract in memory: opened once by id, saved conditionally on its version, found by status oldest first. */
export class InMemoryCaseRepository implements CaseRepository {
  private readonly cases = new Map<string, Case>();

  async openIfAbsent(candidate: Case): Promise<{ case: Case; opened: boolean }> {
    const existing = this.cases.get(candidate.caseId);
    if (existing) return { case: existing, opened: false };
    this.cases.set(candidate.caseId, candidate);
    return { case: candidate, opened: true };
  }

  async get(caseId: string): Promise<Case | undefined> {
    return this.cases.get(caseId);
  }

  async save(next: Case): Promise<void> {
    if (this.cases.get(next.caseId)?.version !== next.version - 1)
      throw new ConflictError(`case ${next.caseId} changed concurrently (expected version ${next.version - 1})`);
    this.cases.set(next.caseId, next);
  }

  async find(query: CaseQuery, limit: number): Promise<Case[]> {
    return query.statuses.flatMap((status) =>
      [...this.cases.values()]
        .filter((found) => found.status === status)
        .filter((found) => (['type', 'risk', 'assignee', 'investorId'] as const).every((field) => query[field] === undefined || found[field] === query[field]))
        .filter((found) => (!query.openedAfter || found.openedAt >= query.openedAfter) && (!query.openedBefore || found.openedAt <= query.openedBefore))
        .sort((a, b) => a.openedAt.localeCompare(b.openedAt))
        .slice(0, limit),
    );
  }

  all(): Case[] {
    return [...this.cases.values()];
  }
}
