import { z } from 'zod';
import { ValidationError, fieldIssuesFrom } from '../../shared';
import { CASE_RISKS, CASE_STATUSES, CASE_TYPES, type Case, type CaseQuery, type CaseStatus } from './case';
import type { CaseRepository } from './ports';

/** Statuses whose age counts against the SLA: a case parked for information waits on someone else. */
const SLA_CLOCK_RUNS: ReadonlySet<CaseStatus> = new Set(['open', 'claimed', 'pending_approval']);
/** What `GET /cases` lists unless told otherwise: everything not closed. */
export const ACTIVE_STATUSES: readonly CaseStatus[] = ['open', 'claimed', 'pending_approval', 'needs_info'];

const HOUR_MS = 3_600_000;

/** A case as officers see it: with its age, SLA flag and whether its claim is still held. */
export interface CaseView extends Omit<Case, 'pendingAudit'> {
  readonly ageHours: number;
  readonly slaDueAt: string;
  readonly pastSla: boolean;
  readonly leaseActive: boolean;
  /** Closed and approved, but the effects are still to be applied (approve again to resume them). */
  readonly effectsPending: boolean;
}

/** In lists: no evidence (it carries the investor's personal data); `GET /cases/{id}` shows it, and records the view. */
export type CaseSummary = Omit<CaseView, 'evidence'>;

export function leaseActive(candidate: Pick<Case, 'status' | 'leaseExpiresAt'>, now: Date): boolean {
  return candidate.status === 'claimed' && candidate.leaseExpiresAt !== undefined && Date.parse(candidate.leaseExpiresAt) > now.getTime();
}

export function viewOf(stored: Case, slaHours: number, now: Date): CaseView {
  const { pendingAudit: _pendingAudit, ...rest } = stored;
  const opened = Date.parse(stored.openedAt);
  const slaDue = opened + slaHours * HOUR_MS;
  return {
    ...rest,
    ageHours: Math.max(0, Math.round(((now.getTime() - opened) / HOUR_MS) * 10) / 10),
    slaDueAt: new Date(slaDue).toISOString(),
    pastSla: SLA_CLOCK_RUNS.has(stored.status) && now.getTime() > slaDue,
    leaseActive: leaseActive(stored, now),
    effectsPending: stored.status === 'closed' && stored.resolution?.approvedBy !== undefined && stored.resolution.effects === undefined,
  };
}

/** Queue order: cases past their SLA first, then oldest first (the id breaks ties, so the order is stable). */
export function queueOrder(a: CaseView, b: CaseView): number {
  if (a.pastSla !== b.pastSla) return a.pastSla ? -1 : 1;
  return a.openedAt.localeCompare(b.openedAt) || a.caseId.localeCompare(b.caseId);
}

const hours = z.coerce.number().min(0).max(100_000);

/** `GET /cases` query parameters (all strings); strict, so a misspelt filter is an error, not ignored. */
export const caseListQuerySchema = z
  .object({
    status: z
      .string()
      .transform((value) => value.split(',').map((status) => status.trim()))
      .pipe(z.array(z.enum(CASE_STATUSES)).min(1))
      .optional(),
    type: z.enum(CASE_TYPES).optional(),
    risk: z.enum(CASE_RISKS).optional(),
    assignee: z.string().min(1).max(200).optional(),
    investorId: z.string().min(1).max(100).optional(),
    minAgeHours: hours.optional(),
    maxAgeHours: hours.optional(),
    pastSla: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()
  .refine((query) => query.minAgeHours === undefined || query.maxAgeHours === undefined || query.minAgeHours <= query.maxAgeHours, {
    path: ['minAgeHours'],
    message: 'must not exceed maxAgeHours',
  });

export type CaseListRequest = z.output<typeof caseListQuerySchema>;

export function parseCaseList(params: Readonly<Record<string, string | undefined>>): CaseListRequest {
  const parsed = caseListQuerySchema.safeParse(params);
  if (!parsed.success) throw new ValidationError(fieldIssuesFrom(parsed.error.issues));
  return parsed.data;
}

export interface QueueDeps {
  readonly cases: CaseRepository;
  /** Hours a case may wait before it is flagged and listed first (SETTINGS.caseSlaHours). */
  readonly slaHours: number;
  readonly now?: () => Date;
}

/** The queue, filtered: past-SLA cases first, then oldest first. Evidence stays out of lists. */
export async function listCases(deps: QueueDeps, request: CaseListRequest): Promise<CaseSummary[]> {
  const now = (deps.now ?? (() => new Date()))();
  const slaCutoff = new Date(now.getTime() - deps.slaHours * HOUR_MS).toISOString();
  const minAgeCutoff = request.minAgeHours === undefined ? undefined : new Date(now.getTime() - request.minAgeHours * HOUR_MS).toISOString();
  const statuses = request.status ?? ACTIVE_STATUSES;
  // Past the SLA is a minimum age in the statuses whose clock runs: the store can filter on it.
  const onlyPastSla = request.pastSla === 'true';
  const openedAfter = request.maxAgeHours === undefined ? undefined : new Date(now.getTime() - request.maxAgeHours * HOUR_MS).toISOString();
  const openedBefore = onlyPastSla && (minAgeCutoff === undefined || slaCutoff < minAgeCutoff) ? slaCutoff : minAgeCutoff;
  // Past the SLA yet younger than maxAgeHours: an empty window, not a query.
  if (openedAfter !== undefined && openedBefore !== undefined && openedAfter > openedBefore) return [];
  const query: CaseQuery = {
    statuses: onlyPastSla ? statuses.filter((status) => SLA_CLOCK_RUNS.has(status)) : statuses,
    type: request.type,
    risk: request.risk,
    assignee: request.assignee,
    investorId: request.investorId,
    openedBefore,
    openedAfter,
  };
  const views = (await deps.cases.find(query, request.limit))
    .map((found) => viewOf(found, deps.slaHours, now))
    .filter((view) => request.pastSla === undefined || view.pastSla === (request.pastSla === 'true'))
    .sort(queueOrder);
  return views.slice(0, request.limit).map(({ evidence: _evidence, ...summary }) => summary);
}
