import { z } from 'zod';
import type { AuditEvent, AuditLog, AuditRecord } from '../audit';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, fieldIssuesFrom } from '../../shared';
import { CASE_RISKS, CASE_TYPES, DISPOSITIONS, SANCTIONS_CASE_TYPES, type Case, type CaseType, type Decision, type Disposition } from './case';
import { applyCaseEffects, type CaseEffectsDeps } from './effects';
import { UnprocessableDecisionError } from './errors';
import type { CaseTrail } from './ports';
import { leaseActive, queueOrder, viewOf, type CaseView, type QueueDeps } from './queue';

/** How long a claim holds before anyone may claim the case again. */
export const DEFAULT_LEASE_MINUTES = 30;

/** Who acts: `subject` is the four-eyes identity, `actor` (`<role>:<subject>`) goes into audit records. */
export interface Officer {
  readonly subject: string;
  readonly actor: string;
}

export interface ReviewDeps extends QueueDeps {
  readonly audit: AuditLog;
  readonly leaseMinutes?: number;
}

export interface ApprovalDeps extends ReviewDeps {
  readonly effects: CaseEffectsDeps;
}

/**
 * Decisions that take effect only once a second, different officer approves them: clearing a
 * sanctions hit (a wallet hit's clearance also unfreezes) and confirming a true match.
 */
export function needsSecondOfficer(type: CaseType, disposition: Disposition): boolean {
  return disposition === 'true_match' || (disposition === 'false_positive' && SANCTIONS_CASE_TYPES.has(type));
}

const clock = (deps: { now?: () => Date }) => (deps.now ?? (() => new Date()))();
const streamOf = (caseId: string) => `case#${caseId}`;

/** The stored case; a change whose audit record a crash left unwritten is recorded first. */
async function load(deps: ReviewDeps, caseId: string): Promise<Case> {
  const found = await deps.cases.get(caseId);
  if (!found) throw new NotFoundError(`no case with id ${caseId}`);
  if (found.pendingAudit) await deps.audit.append(found.pendingAudit);
  return found;
}

/**
 * One state change: a conditional write on the version (exactly one of racing officers wins; the
 * others get a ConflictError and nothing of theirs is recorded), carrying its audit record, which is
 * appended right after. The record is keyed by the version it produced, so re-appending it is a no-op.
 */
async function commit(
  deps: ReviewDeps,
  current: Case,
  changes: Partial<Case>,
  event: Pick<AuditEvent, 'type' | 'actor'> & { data?: Record<string, unknown> },
): Promise<Case> {
  const version = current.version + 1;
  const stream = streamOf(current.caseId);
  const pendingAudit: AuditEvent = {
    stream,
    type: event.type,
    actor: event.actor,
    investorId: current.investorId,
    data: { caseId: current.caseId, caseType: current.type, ...event.data },
    idempotencyKey: `${stream}:v${version}`,
  };
  // Fields a change clears (an assignee, a proposal) are dropped, not kept as undefined.
  const next = Object.fromEntries(
    Object.entries({ ...current, ...changes, version, updatedAt: clock(deps).toISOString(), pendingAudit }).filter(([, value]) => value !== undefined),
  ) as unknown as Case;
  try {
    await deps.cases.save(next);
  } catch (error) {
    if (error instanceof ConflictError)
      throw new ConflictError(`case ${current.caseId} changed while you acted on it (another officer was first); reload it and try again`, { cause: error });
    throw error;
  }
  await deps.audit.append(pendingAudit);
  return next;
}

const released = { assignee: undefined, leaseExpiresAt: undefined } as const;

function refuseUnlessOpenForWork(current: Case, officer: Officer, now: Date): void {
  if (current.status === 'closed') throw new ConflictError(`case ${current.caseId} is closed`);
  if (current.status === 'pending_approval')
    throw new ConflictError(`case ${current.caseId} awaits a second officer's approval of its decision: approve or reject it`);
  if (current.status === 'claimed' && current.assignee !== officer.subject && leaseActive(current, now)) {
    throw new ConflictError(`case ${current.caseId} is claimed by another officer until ${current.leaseExpiresAt}`);
  }
}

/** Shows a case with its evidence; every view is an audit record naming the officer. */
export async function showCase(deps: ReviewDeps, caseId: string, officer: Officer): Promise<CaseView> {
  const found = await load(deps, caseId);
  await deps.audit.append({
    stream: streamOf(caseId),
    type: 'case.viewed',
    actor: officer.actor,
    investorId: found.investorId,
    data: { caseId, status: found.status },
  });
  return viewOf(found, deps.slaHours, clock(deps));
}

export interface CaseHistory {
  readonly caseId: string;
  /** Oldest first: opened, viewed, claimed, released, decided, approved or rejected, effects applied; each naming who. */
  readonly records: readonly Pick<AuditRecord, 'seq' | 'at' | 'type' | 'actor' | 'data' | 'hash'>[];
}

/** A case's history, read from its audit stream (`case#<id>`); a record a crash left unwritten is written first. */
export async function caseHistory(deps: ReviewDeps & { readonly trail: CaseTrail }, caseId: string): Promise<CaseHistory> {
  await load(deps, caseId);
  const records = await deps.trail.recordsAfter(streamOf(caseId), 0);
  return { caseId, records: records.map(({ seq, at, type, actor, data, hash }) => ({ seq, at, type, actor, data, hash })) };
}

/** Claims a case for `leaseMinutes` (renewed if the officer holds it already); a lapsed claim can be taken over. */
export async function claimCase(deps: ReviewDeps, caseId: string, officer: Officer): Promise<CaseView> {
  return viewOf(await claim(deps, await load(deps, caseId), officer), deps.slaHours, clock(deps));
}

async function claim(deps: ReviewDeps, current: Case, officer: Officer): Promise<Case> {
  const now = clock(deps);
  refuseUnlessOpenForWork(current, officer, now);
  const leaseExpiresAt = new Date(now.getTime() + (deps.leaseMinutes ?? DEFAULT_LEASE_MINUTES) * 60_000).toISOString();
  const takenOverFrom = current.status === 'claimed' && current.assignee !== officer.subject ? current.assignee : undefined;
  return commit(
    deps,
    current,
    { status: 'claimed', assignee: officer.subject, leaseExpiresAt },
    { type: 'case.claimed', actor: officer.actor, data: { from: current.status, leaseExpiresAt, ...(takenOverFrom ? { lapsedClaimOf: takenOverFrom } : {}) } },
  );
}

export const claimNextSchema = z.object({ type: z.enum(CASE_TYPES).optional(), risk: z.enum(CASE_RISKS).optional() }).strict();

/**
 * Pull-next-and-lock: the first case in queue order (past SLA, then oldest) that is open or whose
 * claim lapsed. Officers racing for the same case each win a different one (or none), never the same.
 */
export async function claimNextCase(deps: ReviewDeps, input: unknown, officer: Officer): Promise<CaseView | undefined> {
  const parsed = claimNextSchema.safeParse(input ?? {});
  if (!parsed.success) throw new ValidationError(fieldIssuesFrom(parsed.error.issues));
  const now = clock(deps);
  const candidates = (await deps.cases.find({ statuses: ['open', 'claimed'], ...parsed.data }, 50))
    .filter((candidate) => !leaseActive(candidate, now))
    .map((candidate) => ({ candidate, view: viewOf(candidate, deps.slaHours, now) }))
    .sort((a, b) => queueOrder(a.view, b.view));
  for (const { candidate } of candidates) {
    try {
      return viewOf(await claim(deps, await load(deps, candidate.caseId), officer), deps.slaHours, clock(deps));
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  return undefined;
}

/** Gives a claimed case back to the queue. */
export async function releaseCase(deps: ReviewDeps, caseId: string, officer: Officer): Promise<CaseView> {
  const current = await load(deps, caseId);
  if (current.status !== 'claimed' || current.assignee !== officer.subject)
    throw new ConflictError(`case ${caseId} is not claimed by you (it is ${current.status}); only the officer holding a claim can release it`);
  return viewOf(await commit(deps, current, { status: 'open', ...released }, { type: 'case.released', actor: officer.actor }), deps.slaHours, clock(deps));
}

const REASON_MAX = 4000;
export const decisionSchema = z.object({ disposition: z.enum(DISPOSITIONS), reason: z.string().max(REASON_MAX).optional() }).strict();
export const reasonSchema = z.object({ reason: z.string().max(REASON_MAX).optional() }).strict();
export const approvalSchema = z.object({ note: z.string().max(REASON_MAX).optional() }).strict();

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldIssuesFrom(parsed.error.issues));
  return parsed.data;
}

function requireReason(reason: string | undefined): string {
  const trimmed = reason?.trim();
  if (!trimmed) throw new UnprocessableDecisionError([{ field: 'reason', problem: 'is required: write why, for the audit trail' }]);
  return trimmed;
}

/**
 * Decides a case the officer has claimed, with a written reason. Decisions that need four-eyes wait
 * in `pending_approval`; `needs_info` parks the case (claimable again); `escalate` raises the risk
 * to high and returns the case to the queue for a senior officer; anything else closes it.
 */
export async function decideCase(deps: ReviewDeps, caseId: string, input: unknown, officer: Officer): Promise<CaseView> {
  const { disposition, reason: rawReason } = parse(decisionSchema, input);
  const reason = requireReason(rawReason);
  const current = await load(deps, caseId);
  if (disposition === 'true_match' && !SANCTIONS_CASE_TYPES.has(current.type)) {
    throw new UnprocessableDecisionError([
      { field: 'disposition', problem: `true_match applies to sanctions cases only (potential_match, wallet_hit), not ${current.type}` },
    ]);
  }
  const now = clock(deps);
  if (current.status === 'pending_approval' || current.status === 'closed') throw new ConflictError(`case ${caseId} is already decided (${current.status})`);
  if (current.status !== 'claimed') throw new ConflictError(`case ${caseId} is ${current.status}: claim it before deciding`);
  // A lapsed claim still lets its holder decide unless someone else claimed the case since: the version guards that.
  if (current.assignee !== officer.subject) throw new ConflictError(`case ${caseId} is claimed by another officer`);

  const decision: Decision = { disposition, reason, by: officer.subject, at: now.toISOString() };
  const recorded = { disposition, reason };
  let next: Case;
  if (needsSecondOfficer(current.type, disposition)) {
    next = await commit(
      deps,
      current,
      { status: 'pending_approval', proposal: decision, leaseExpiresAt: undefined },
      { type: 'case.decision_proposed', actor: officer.actor, data: recorded },
    );
  } else if (disposition === 'needs_info') {
    next = await commit(
      deps,
      current,
      { status: 'needs_info', needsInfo: decision, ...released },
      { type: 'case.needs_info', actor: officer.actor, data: recorded },
    );
  } else if (disposition === 'escalate') {
    next = await commit(
      deps,
      current,
      { status: 'open', escalation: decision, risk: 'high', ...released },
      { type: 'case.escalated', actor: officer.actor, data: { ...recorded, fromRisk: current.risk } },
    );
  } else {
    const resolution = {
      ...decision,
      effects: { summary: `closed without an automatic effect: a ${current.type} is fixed at its source`, appliedAt: now.toISOString() },
    };
    next = await commit(deps, current, { status: 'closed', resolution, ...released }, { type: 'case.closed', actor: officer.actor, data: recorded });
  }
  return viewOf(next, deps.slaHours, clock(deps));
}

function refuseSelfReview(current: Case, officer: Officer, what: string): Decision {
  const proposal = current.proposal!;
  if (proposal.by === officer.subject)
    throw new ForbiddenError(`four-eyes: you proposed this decision, so you cannot ${what} it; a second, different officer must`);
  return proposal;
}

/**
 * A second, different officer approves a pending decision: the case closes (exactly one approver
 * wins), then its effects apply. Approving a closed case whose effects a crash interrupted resumes them.
 */
export async function approveCase(deps: ApprovalDeps, caseId: string, input: unknown, officer: Officer): Promise<CaseView> {
  const { note } = parse(approvalSchema, input ?? {});
  const current = await load(deps, caseId);
  if (current.status === 'closed' && current.resolution?.approvedBy && !current.resolution.effects)
    return viewOf(await finish(deps, current, officer), deps.slaHours, clock(deps));
  if (current.status === 'closed') throw new ConflictError(`case ${caseId} is already closed`);
  if (current.status !== 'pending_approval') throw new ConflictError(`case ${caseId} is ${current.status}: no decision awaits approval`);
  const proposal = refuseSelfReview(current, officer, 'approve');
  const now = clock(deps);
  const resolution = {
    ...proposal,
    approvedBy: officer.subject,
    approvedAt: now.toISOString(),
    approverActor: officer.actor,
    ...(note?.trim() ? { approvalNote: note.trim() } : {}),
  };
  const closed = await commit(
    deps,
    current,
    { status: 'closed', resolution, proposal: undefined, ...released },
    {
      type: 'case.approved',
      actor: officer.actor,
      data: {
        disposition: proposal.disposition,
        reason: proposal.reason,
        proposedBy: proposal.by,
        ...(resolution.approvalNote ? { note: resolution.approvalNote } : {}),
      },
    },
  );
  return viewOf(await finish(deps, closed, officer), deps.slaHours, clock(deps));
}

async function finish(deps: ApprovalDeps, closed: Case, officer: Officer): Promise<Case> {
  const effects = await applyCaseEffects(deps.effects, closed, closed.resolution!.approverActor ?? officer.actor);
  return commit(
    deps,
    closed,
    { resolution: { ...closed.resolution!, effects } },
    {
      type: 'case.effects_applied',
      actor: officer.actor,
      data: { summary: effects.summary, investorStatus: effects.investorStatus, ...(effects.reportDueBy ? { reportDueBy: effects.reportDueBy } : {}) },
    },
  );
}

/** A second officer sends a pending decision back to the queue, with a reason. */
export async function rejectProposal(deps: ReviewDeps, caseId: string, input: unknown, officer: Officer): Promise<CaseView> {
  const reason = requireReason(parse(reasonSchema, input).reason);
  const current = await load(deps, caseId);
  if (current.status !== 'pending_approval') throw new ConflictError(`case ${caseId} is ${current.status}: no decision awaits approval`);
  const proposal = refuseSelfReview(current, officer, 'reject');
  const rejection: Decision = { disposition: proposal.disposition, reason, by: officer.subject, at: clock(deps).toISOString() };
  const next = await commit(
    deps,
    current,
    { status: 'open', rejection, proposal: undefined, ...released },
    { type: 'case.proposal_rejected', actor: officer.actor, data: { disposition: proposal.disposition, proposedBy: proposal.by, reason } },
  );
  return viewOf(next, deps.slaHours, clock(deps));
}
