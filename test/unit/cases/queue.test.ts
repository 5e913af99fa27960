import { CASE_TYPES, DISPOSITIONS, listCases, parseCaseList, type Case } from '../../../lambda/modules/cases';
import { UnprocessableDecisionError } from '../../../lambda/modules/cases/errors';
import { needsSecondOfficer } from '../../../lambda/modules/cases/review';
import { queueOrder, viewOf } from '../../../lambda/modules/cases/queue';
import { InMemoryCaseRepository } from '../../../lambda/modules/cases/fakes';
import { ValidationError } from '../../../lambda/shared';
import { errorResponse } from '../../../lambda/platform/http';

const NOW = new Date('2030-06-01T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();

function stored(overrides: Partial<Case> = {}): Case {
  return {
    caseId: 'case_a',
    type: 'potential_match',
    key: 'k',
    risk: 'medium',
    evidence: { score: 0.9 },
    status: 'open',
    openedAt: hoursAgo(1),
    version: 1,
    ...overrides,
  };
}

describe('four-eyes', () => {
  it('asks a second officer for clearing a sanctions hit and for any true match, and for nothing else', () => {
    const needing = CASE_TYPES.flatMap((type) =>
      DISPOSITIONS.filter((disposition) => needsSecondOfficer(type, disposition)).map((disposition) => `${type}:${disposition}`),
    );
    expect(needing.sort()).toEqual([
      'chain_drift:true_match',
      'kyc_conflict:true_match',
      'potential_match:false_positive',
      'potential_match:true_match',
      'wallet_hit:false_positive',
      'wallet_hit:true_match',
    ]);
  });
});

describe('SLA and queue order', () => {
  it('flags cases waiting longer than the SLA, except those parked for information or closed', () => {
    expect(viewOf(stored({ openedAt: hoursAgo(25) }), 24, NOW)).toMatchObject({ pastSla: true, ageHours: 25, slaDueAt: hoursAgo(1) });
    expect(viewOf(stored({ openedAt: hoursAgo(23) }), 24, NOW).pastSla).toBe(false);
    expect(viewOf(stored({ openedAt: hoursAgo(25), status: 'pending_approval' }), 24, NOW).pastSla).toBe(true);
    expect(viewOf(stored({ openedAt: hoursAgo(25), status: 'needs_info' }), 24, NOW).pastSla).toBe(false);
    expect(viewOf(stored({ openedAt: hoursAgo(25), status: 'closed' }), 24, NOW).pastSla).toBe(false);
  });

  it('lists past-SLA cases first, then the oldest first', () => {
    const views = [
      stored({ caseId: 'young', openedAt: hoursAgo(1) }),
      stored({ caseId: 'parked-old', openedAt: hoursAgo(100), status: 'needs_info' }),
      stored({ caseId: 'late', openedAt: hoursAgo(30) }),
      stored({ caseId: 'later', openedAt: hoursAgo(48), status: 'claimed' }),
      stored({ caseId: 'middle', openedAt: hoursAgo(5) }),
    ].map((candidate) => viewOf(candidate, 24, NOW));
    expect(views.sort(queueOrder).map((view) => view.caseId)).toEqual(['later', 'late', 'parked-old', 'middle', 'young']);
  });

  it('shows whether a claim still holds and hides the pending audit record', () => {
    const claimed = stored({
      status: 'claimed',
      assignee: 'officer-alice',
      leaseExpiresAt: new Date(NOW.getTime() + 60_000).toISOString(),
      pendingAudit: { stream: 'case#case_a', type: 'case.claimed', actor: 'a', data: {} },
    });
    expect(viewOf(claimed, 24, NOW)).toMatchObject({ leaseActive: true });
    expect(viewOf(claimed, 24, NOW)).not.toHaveProperty('pendingAudit');
    expect(viewOf({ ...claimed, leaseExpiresAt: hoursAgo(0.1) }, 24, NOW).leaseActive).toBe(false);
  });
});

describe('list filters', () => {
  it('reads status lists, types, risks, ages and a limit from query strings', () => {
    expect(parseCaseList({ status: 'open,claimed', type: 'wallet_hit', risk: 'high', minAgeHours: '2', limit: '10' })).toEqual({
      status: ['open', 'claimed'],
      type: 'wallet_hit',
      risk: 'high',
      minAgeHours: 2,
      limit: 10,
    });
    expect(parseCaseList({})).toEqual({ limit: 100 });
  });

  it('names each bad filter without echoing what was sent', () => {
    let thrown: unknown;
    try {
      parseCaseList({ status: 'open,SECRET-A', type: 'SECRET-B', limit: '5000', colour: 'SECRET-C' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const body = errorResponse(thrown).body!;
    expect(
      JSON.parse(body)
        .error.issues.map((issue: { field: string }) => issue.field)
        .sort(),
    ).toEqual(['(body)', 'limit', 'status.1', 'type']);
    expect(body).not.toMatch(/SECRET/);
  });
});

describe('unprocessable decisions', () => {
  it('answer 422 naming the field', () => {
    const response = errorResponse(new UnprocessableDecisionError([{ field: 'reason', problem: 'is required' }]));
    expect(response.statusCode).toBe(422);
    expect(JSON.parse(response.body!).error).toEqual({
      code: 'DECISION_UNPROCESSABLE',
      message: 'Cannot act on this decision: reason is required',
      issues: [{ field: 'reason', problem: 'is required' }],
    });
  });
});

describe('an impossible age window', () => {
  it('is a 400 naming minAgeHours, not a query the store refuses', () => {
    expect(() => parseCaseList({ minAgeHours: '5', maxAgeHours: '1' })).toThrow(ValidationError);
    try {
      parseCaseList({ minAgeHours: '5', maxAgeHours: '1' });
    } catch (error) {
      expect((error as ValidationError).issues.map((issue) => issue.field)).toEqual(['minAgeHours']);
    }
    expect(parseCaseList({ minAgeHours: '1', maxAgeHours: '5' })).toMatchObject({ minAgeHours: 1, maxAgeHours: 5 });
  });

  it('lists nothing when only cases past the SLA are asked for, younger than the SLA', async () => {
    const find = jest.fn();
    expect(await listCases({ cases: { find } as never, slaHours: 24, now: () => NOW }, parseCaseList({ pastSla: 'true', maxAgeHours: '2' }))).toEqual([]);
    expect(find).not.toHaveBeenCalled();
  });
});

describe('listCases on the case repository', () => {
  const seed: Case[] = [
    stored({ caseId: 'a', type: 'potential_match', risk: 'medium', investorId: 'inv-1', openedAt: hoursAgo(30) }),
    stored({ caseId: 'b', type: 'wallet_hit', risk: 'high', investorId: 'inv-2', openedAt: hoursAgo(48), status: 'claimed', assignee: 'alice' }),
    stored({ caseId: 'c', type: 'chain_drift', risk: 'low', openedAt: hoursAgo(2) }),
    stored({ caseId: 'd', type: 'potential_match', risk: 'medium', investorId: 'inv-3', openedAt: hoursAgo(100), status: 'needs_info' }),
    stored({ caseId: 'e', type: 'wallet_hit', risk: 'high', investorId: 'inv-1', openedAt: hoursAgo(10), status: 'pending_approval', assignee: 'alice' }),
    stored({ caseId: 'f', type: 'potential_match', risk: 'low', investorId: 'inv-1', openedAt: hoursAgo(200), status: 'closed' }),
  ];

  async function listed(params: Record<string, string>): Promise<string[]> {
    const cases = new InMemoryCaseRepository();
    for (const candidate of seed) cases.put(candidate);
    const summaries = await listCases({ cases, slaHours: 24, now: () => NOW }, parseCaseList(params));
    return summaries.map((summary) => summary.caseId);
  }

  it('lists every case not closed, past-SLA first, then oldest first, without evidence', async () => {
    const cases = new InMemoryCaseRepository();
    for (const candidate of seed) cases.put(candidate);
    const summaries = await listCases({ cases, slaHours: 24, now: () => NOW }, parseCaseList({}));

    expect(summaries.map((summary) => summary.caseId)).toEqual(['b', 'a', 'd', 'e', 'c']);
    expect(summaries.every((summary) => !('evidence' in summary))).toBe(true);
    expect(summaries[0]).toMatchObject({ ageHours: 48, pastSla: true, slaDueAt: hoursAgo(24), leaseActive: false, effectsPending: false });
  });

  it.each([
    ['a status', { status: 'closed' }, ['f']],
    ['statuses', { status: 'open,claimed' }, ['b', 'a', 'c']],
    ['a type', { type: 'wallet_hit' }, ['b', 'e']],
    ['a risk', { risk: 'medium' }, ['a', 'd']],
    ['an assignee', { assignee: 'alice' }, ['b', 'e']],
    ['an investor', { investorId: 'inv-1' }, ['a', 'e']],
    ['a minimum age', { minAgeHours: '24' }, ['b', 'a', 'd']],
    ['a maximum age', { maxAgeHours: '12' }, ['e', 'c']],
    ['an age window', { minAgeHours: '5', maxAgeHours: '40' }, ['a', 'e']],
    ['past the SLA (a parked case never is)', { pastSla: 'true' }, ['b', 'a']],
    ['past the SLA and older than asked', { pastSla: 'true', minAgeHours: '40' }, ['b']],
    ['within the SLA', { pastSla: 'false' }, ['d', 'e', 'c']],
    ['a limit', { limit: '2' }, ['b', 'a']],
    ['filters together', { type: 'wallet_hit', assignee: 'alice', status: 'pending_approval' }, ['e']],
  ])('filters by %s', async (_label, params, expected) => {
    expect(await listed(params)).toEqual(expected);
  });
});
