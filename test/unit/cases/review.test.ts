import {
  approveCase,
  claimCase,
  clearsMatch,
  claimNextCase,
  decideCase,
  openCase,
  rejectProposal,
  releaseCase,
  showCase,
  type ApprovalDeps,
  type Case,
  type OpenCaseRequest,
} from '../../../lambda/modules/cases';
import { ConflictError, ForbiddenError, NotFoundError, TransientError, UnprocessableError, ValidationError } from '../../../lambda/shared';
import { errorResponse } from '../../../lambda/platform/http';
import { NOW, inMemoryWorld, rejectionOf } from '../../helpers/in-memory-world';

const alice = { subject: 'alice', actor: 'officer:alice' };
const bob = { subject: 'bob', actor: 'officer:bob' };
const carol = { subject: 'carol', actor: 'officer:carol' };

const minutesFromNow = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();

const nameMatch = (key: string, overrides: Partial<OpenCaseRequest> = {}): OpenCaseRequest => ({
  type: 'potential_match',
  key,
  risk: 'medium',
  evidence: { score: 0.91, entry: { sdnId: 36 } },
  ...overrides,
});

/** The one winner and the one loser of two racing calls. */
function settled<T>(outcomes: PromiseSettledResult<T>[]): { won: T; lost: Error } {
  const won = outcomes.filter((outcome): outcome is PromiseFulfilledResult<T> => outcome.status === 'fulfilled');
  const lost = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  expect([won.length, lost.length]).toEqual([1, 1]);
  return { won: won[0]!.value, lost: lost[0]!.reason as Error };
}

function setUp(options: { leaseMinutes?: number } = {}) {
  const world = inMemoryWorld();
  const deps: ApprovalDeps = {
    cases: world.cases,
    audit: world.audit,
    slaHours: 24,
    now: world.clock.now,
    ...options,
    effects: { ...world.lifecycle, sanctions: world.sanctions },
  };
  const open = async (request: OpenCaseRequest): Promise<Case> => (await openCase(deps, request, 'system:screening-worker')).case;
  const stored = async (caseId: string): Promise<Case> => (await world.cases.get(caseId))!;
  const types = (found: Case) => world.store.types(`case#${found.caseId}`);
  return { ...world, deps, open, stored, types };
}

describe('showCase', () => {
  it('shows the evidence and records every view with the officer', async () => {
    const { deps, open, store } = setUp();
    const opened = await open(nameMatch('k-show', { investorId: 'inv-1' }));
    const view = await showCase(deps, opened.caseId, alice);
    await showCase(deps, opened.caseId, bob);

    expect(view).toMatchObject({ caseId: opened.caseId, status: 'open', evidence: opened.evidence, ageHours: 0, pastSla: false });
    expect(store.records(`case#${opened.caseId}`).slice(1)).toMatchObject([
      { type: 'case.viewed', actor: 'officer:alice', investorId: 'inv-1', data: { caseId: opened.caseId, status: 'open' } },
      { type: 'case.viewed', actor: 'officer:bob' },
    ]);
  });

  it('answers 404 for an unknown case', async () => {
    const { deps } = setUp();
    await expect(showCase(deps, 'case_unknown', alice)).rejects.toThrow(NotFoundError);
  });
});

describe('claimCase', () => {
  it('claims an open case for the lease, recorded with its expiry', async () => {
    const { deps, open, stored, store } = setUp();
    const opened = await open(nameMatch('k-claim'));
    const view = await claimCase(deps, opened.caseId, alice);

    expect(view).toMatchObject({ status: 'claimed', assignee: 'alice', leaseExpiresAt: minutesFromNow(30), leaseActive: true, version: 2 });
    expect(view).not.toHaveProperty('pendingAudit');
    expect(await stored(opened.caseId)).toMatchObject({ status: 'claimed', assignee: 'alice', version: 2 });
    expect(store.records(`case#${opened.caseId}`)[1]).toMatchObject({
      type: 'case.claimed',
      actor: 'officer:alice',
      data: { caseId: opened.caseId, caseType: 'potential_match', from: 'open', leaseExpiresAt: minutesFromNow(30) },
    });
  });

  it('holds the case against other officers while the lease runs, and lets them take it over once it lapsed', async () => {
    const { deps, clock, open, stored, store } = setUp();
    const opened = await open(nameMatch('k-lease'));
    await claimCase(deps, opened.caseId, alice);

    clock.advanceMinutes(29);
    const refused = await rejectionOf(claimCase(deps, opened.caseId, bob));
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused.message).toContain(minutesFromNow(30));
    expect(await stored(opened.caseId)).toMatchObject({ assignee: 'alice', version: 2 });

    clock.advanceMinutes(2);
    expect(await claimCase(deps, opened.caseId, bob)).toMatchObject({ assignee: 'bob', leaseExpiresAt: minutesFromNow(61) });
    expect(store.records(`case#${opened.caseId}`).at(-1)).toMatchObject({
      type: 'case.claimed',
      actor: 'officer:bob',
      data: { from: 'claimed', lapsedClaimOf: 'alice' },
    });
  });

  it('renews the lease of the officer holding it', async () => {
    const { deps, clock, open, store } = setUp({ leaseMinutes: 5 });
    const opened = await open(nameMatch('k-renew'));
    await claimCase(deps, opened.caseId, alice);
    clock.advanceMinutes(4);

    expect(await claimCase(deps, opened.caseId, alice)).toMatchObject({ assignee: 'alice', leaseExpiresAt: minutesFromNow(9), version: 3 });
    expect(store.records(`case#${opened.caseId}`).at(-1)!.data).not.toHaveProperty('lapsedClaimOf');
  });

  it('lets a case parked for information be claimed again', async () => {
    const { deps, open } = setUp();
    const opened = await open(nameMatch('k-parked'));
    await claimCase(deps, opened.caseId, alice);
    await decideCase(deps, opened.caseId, { disposition: 'needs_info', reason: 'need the passport scan' }, alice);
    expect(await claimCase(deps, opened.caseId, bob)).toMatchObject({ status: 'claimed', assignee: 'bob' });
  });

  it('refuses a case awaiting approval or closed', async () => {
    const { deps, open } = setUp();
    const pending = await open(nameMatch('k-pending'));
    await claimCase(deps, pending.caseId, alice);
    await decideCase(deps, pending.caseId, { disposition: 'false_positive', reason: 'different date of birth' }, alice);
    await expect(claimCase(deps, pending.caseId, bob)).rejects.toThrow(/awaits a second officer/);

    const drift = await open({ type: 'chain_drift', key: 'k-drift', risk: 'low', evidence: {} });
    await claimCase(deps, drift.caseId, alice);
    await decideCase(deps, drift.caseId, { disposition: 'false_positive', reason: 'fixed on chain' }, alice);
    await expect(claimCase(deps, drift.caseId, bob)).rejects.toThrow(/is closed/);
  });

  it('records the change a crash left unrecorded before anything else happens to the case, once', async () => {
    const { deps, open, stored, store, types } = setUp();
    const opened = await open(nameMatch('k-crash'));
    jest.spyOn(store, 'insert').mockRejectedValueOnce(new TransientError('the function died after the save'));
    await expect(claimCase(deps, opened.caseId, alice)).rejects.toThrow(TransientError);
    expect(await stored(opened.caseId)).toMatchObject({ status: 'claimed', pendingAudit: { type: 'case.claimed' } });
    expect(types(opened)).toEqual(['case.opened']);

    await showCase(deps, opened.caseId, bob);
    await showCase(deps, opened.caseId, bob);
    expect(types(opened)).toEqual(['case.opened', 'case.claimed', 'case.viewed', 'case.viewed']);
  });
});

describe('claimNextCase', () => {
  async function threeCases(setup: ReturnType<typeof setUp>) {
    const first = await setup.open(nameMatch('k-1'));
    setup.clock.advanceMinutes(60);
    const second = await setup.open(nameMatch('k-2', { type: 'wallet_hit', risk: 'high' }));
    setup.clock.advanceMinutes(60);
    const third = await setup.open(nameMatch('k-3'));
    return [first, second, third];
  }

  it('hands each officer the oldest case nobody holds, and nothing once none is left', async () => {
    const setup = setUp();
    const [first, second, third] = await threeCases(setup);

    expect(await claimNextCase(setup.deps, {}, alice)).toMatchObject({ caseId: first!.caseId, assignee: 'alice' });
    expect(await claimNextCase(setup.deps, undefined, bob)).toMatchObject({ caseId: second!.caseId, assignee: 'bob' });
    expect(await claimNextCase(setup.deps, {}, carol)).toMatchObject({ caseId: third!.caseId, assignee: 'carol' });
    expect(await claimNextCase(setup.deps, {}, { subject: 'dave', actor: 'officer:dave' })).toBeUndefined();
  });

  it('hands out a case past its SLA (the oldest) first', async () => {
    const setup = setUp();
    const young = await setup.open(nameMatch('k-young'));
    const old = (await setup.deps.cases.get(young.caseId))!;
    setup.cases.put({ ...old, caseId: 'case_old', key: 'k-old', openedAt: new Date(NOW.getTime() - 30 * 3_600_000).toISOString() });

    expect(await claimNextCase(setup.deps, {}, alice)).toMatchObject({ caseId: 'case_old', pastSla: true });
  });

  it('takes only the type or risk asked for', async () => {
    const setup = setUp();
    const [, second] = await threeCases(setup);
    expect(await claimNextCase(setup.deps, { type: 'wallet_hit' }, alice)).toMatchObject({ caseId: second!.caseId });
    expect(await claimNextCase(setup.deps, { risk: 'high' }, bob)).toBeUndefined();
  });

  it('takes over a claim that lapsed', async () => {
    const setup = setUp();
    const [first] = await threeCases(setup);
    await claimCase(setup.deps, first!.caseId, alice);
    setup.clock.advanceMinutes(31);
    expect(await claimNextCase(setup.deps, {}, bob)).toMatchObject({ caseId: first!.caseId, assignee: 'bob' });
  });

  it('gives officers pulling at once different cases, recording each claim once', async () => {
    const setup = setUp();
    const [first] = await threeCases(setup);
    const [a, b] = await Promise.all([claimNextCase(setup.deps, {}, alice), claimNextCase(setup.deps, {}, bob)]);

    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(a!.caseId).not.toBe(b!.caseId);
    expect(setup.types(first!)).toEqual(['case.opened', 'case.claimed']);
  });

  it('moves on to the next case when the one the index listed was claimed meanwhile', async () => {
    const setup = setUp();
    const [first, second] = await threeCases(setup);
    const listedAsOpen = await setup.stored(first!.caseId);
    await claimCase(setup.deps, first!.caseId, carol);
    jest.spyOn(setup.cases, 'find').mockResolvedValueOnce([listedAsOpen, await setup.stored(second!.caseId)]);

    expect(await claimNextCase(setup.deps, {}, bob)).toMatchObject({ caseId: second!.caseId, assignee: 'bob' });
    expect(await setup.stored(first!.caseId)).toMatchObject({ assignee: 'carol' });
  });

  it('answers 400 for an unknown filter', async () => {
    const { deps } = setUp();
    await expect(claimNextCase(deps, { colour: 'red' }, alice)).rejects.toThrow(ValidationError);
  });
});

describe('releaseCase', () => {
  it('gives a claimed case back to the queue', async () => {
    const { deps, open, stored, types } = setUp();
    const opened = await open(nameMatch('k-release'));
    await claimCase(deps, opened.caseId, alice);

    const view = await releaseCase(deps, opened.caseId, alice);
    expect(view).toMatchObject({ status: 'open', leaseActive: false });
    expect(await stored(opened.caseId)).not.toHaveProperty('assignee');
    expect(await stored(opened.caseId)).not.toHaveProperty('leaseExpiresAt');
    expect(types(opened)).toEqual(['case.opened', 'case.claimed', 'case.released']);
  });

  it('lets only the officer holding the claim release it', async () => {
    const { deps, open } = setUp();
    const opened = await open(nameMatch('k-release-other'));
    await expect(releaseCase(deps, opened.caseId, alice)).rejects.toThrow(ConflictError);
    await claimCase(deps, opened.caseId, alice);
    await expect(releaseCase(deps, opened.caseId, bob)).rejects.toThrow(ConflictError);
  });
});

describe('decideCase', () => {
  async function claimed(setup: ReturnType<typeof setUp>, request: OpenCaseRequest = nameMatch('k-decide')) {
    const opened = await setup.open(request);
    await claimCase(setup.deps, opened.caseId, alice);
    return opened;
  }

  it.each([
    ['no reason', { disposition: 'false_positive' }],
    ['a blank reason', { disposition: 'false_positive', reason: '   ' }],
  ])('refuses a decision with %s: 422 naming the reason, nothing changed', async (_label, input) => {
    const setup = setUp();
    const opened = await claimed(setup);
    const error = await rejectionOf(decideCase(setup.deps, opened.caseId, input, alice));

    expect(error).toBeInstanceOf(UnprocessableError);
    expect(errorResponse(error).statusCode).toBe(422);
    expect((error as UnprocessableError).issues!.map((issue) => issue.field)).toEqual(['reason']);
    expect(await setup.stored(opened.caseId)).toMatchObject({ status: 'claimed', version: 2 });
  });

  it('answers 400 for an unknown disposition or field', async () => {
    const setup = setUp();
    const opened = await claimed(setup);
    await expect(decideCase(setup.deps, opened.caseId, { disposition: 'maybe', reason: 'r' }, alice)).rejects.toThrow(ValidationError);
    await expect(decideCase(setup.deps, opened.caseId, { disposition: 'escalate', reason: 'r', urgent: true }, alice)).rejects.toThrow(ValidationError);
  });

  it('refuses a true match on a case that is not about sanctions: 422 naming the disposition', async () => {
    const setup = setUp();
    const opened = await claimed(setup, { type: 'kyc_conflict', key: 'k-kyc', risk: 'medium', evidence: {} });
    const error = await rejectionOf(decideCase(setup.deps, opened.caseId, { disposition: 'true_match', reason: 'r' }, alice));
    expect((error as UnprocessableError).issues!.map((issue) => issue.field)).toEqual(['disposition']);
  });

  it('refuses a case not claimed, claimed by another officer, or decided already', async () => {
    const setup = setUp();
    const unclaimed = await setup.open(nameMatch('k-unclaimed'));
    await expect(decideCase(setup.deps, unclaimed.caseId, { disposition: 'escalate', reason: 'r' }, alice)).rejects.toThrow(/claim it/);

    const held = await claimed(setup);
    await expect(decideCase(setup.deps, held.caseId, { disposition: 'escalate', reason: 'r' }, bob)).rejects.toThrow(/another officer/);

    await decideCase(setup.deps, held.caseId, { disposition: 'false_positive', reason: 'r' }, alice);
    await expect(decideCase(setup.deps, held.caseId, { disposition: 'true_match', reason: 'r' }, alice)).rejects.toThrow(/already decided/);
  });

  it.each([
    ['clearing a name match', nameMatch('k-fp'), 'false_positive'],
    ['confirming a wallet hit', nameMatch('k-tm', { type: 'wallet_hit' }), 'true_match'],
  ])('sends %s to a second officer, the proposer named', async (_label, request, disposition) => {
    const setup = setUp();
    const opened = await claimed(setup, request);
    const view = await decideCase(setup.deps, opened.caseId, { disposition, reason: '  born 1962, not 1980  ' }, alice);

    expect(view).toMatchObject({
      status: 'pending_approval',
      assignee: 'alice',
      proposal: { disposition, reason: 'born 1962, not 1980', by: 'alice', at: NOW.toISOString() },
    });
    expect(view).not.toHaveProperty('leaseExpiresAt');
    expect(view).not.toHaveProperty('resolution');
    expect(setup.store.records(`case#${opened.caseId}`).at(-1)).toMatchObject({
      type: 'case.decision_proposed',
      actor: 'officer:alice',
      data: { disposition, reason: 'born 1962, not 1980' },
    });
  });

  it('parks a case that needs information, released', async () => {
    const setup = setUp();
    const opened = await claimed(setup);
    const view = await decideCase(setup.deps, opened.caseId, { disposition: 'needs_info', reason: 'need the passport scan' }, alice);

    expect(view).toMatchObject({ status: 'needs_info', needsInfo: { disposition: 'needs_info', reason: 'need the passport scan', by: 'alice' } });
    expect(view).not.toHaveProperty('assignee');
    expect(setup.types(opened).at(-1)).toBe('case.needs_info');
  });

  it('escalates a case to high risk and back to the queue', async () => {
    const setup = setUp();
    const opened = await claimed(setup);
    const view = await decideCase(setup.deps, opened.caseId, { disposition: 'escalate', reason: 'senior should look' }, alice);

    expect(view).toMatchObject({ status: 'open', risk: 'high', escalation: { disposition: 'escalate', by: 'alice' } });
    expect(view).not.toHaveProperty('assignee');
    expect(setup.store.records(`case#${opened.caseId}`).at(-1)).toMatchObject({ type: 'case.escalated', data: { fromRisk: 'medium' } });
  });

  it('closes a case that is not about sanctions at once, with no effect on anyone', async () => {
    const setup = setUp();
    const opened = await claimed(setup, { type: 'chain_drift', key: 'k-drift', risk: 'low', investorId: 'inv-1', evidence: {} });
    const view = await decideCase(setup.deps, opened.caseId, { disposition: 'false_positive', reason: 'fixed on chain' }, alice);

    expect(view).toMatchObject({
      status: 'closed',
      resolution: {
        disposition: 'false_positive',
        by: 'alice',
        effects: { summary: expect.stringMatching(/without an automatic effect/), appliedAt: NOW.toISOString() },
      },
    });
    expect(view).not.toHaveProperty('assignee');
    expect(setup.types(opened).at(-1)).toBe('case.closed');
    expect(setup.allowlist.requests).toEqual([]);
  });

  it('lets the holder of a lapsed claim decide while nobody claimed the case since', async () => {
    const setup = setUp();
    const opened = await claimed(setup);
    setup.clock.advanceMinutes(45);
    expect((await decideCase(setup.deps, opened.caseId, { disposition: 'escalate', reason: 'r' }, alice)).status).toBe('open');
  });

  it('lets exactly one of two racing decisions win: the other is a version conflict and is not recorded', async () => {
    const setup = setUp();
    const opened = await claimed(setup);
    const outcomes = await Promise.allSettled([
      decideCase(setup.deps, opened.caseId, { disposition: 'needs_info', reason: 'r1' }, alice),
      decideCase(setup.deps, opened.caseId, { disposition: 'escalate', reason: 'r2' }, alice),
    ]);

    const { won, lost } = settled(outcomes);
    expect(lost).toBeInstanceOf(ConflictError);
    expect(lost.message).toMatch(/another officer was first/);
    expect(await setup.stored(opened.caseId)).toMatchObject({ status: won.status, version: 3 });
    expect(setup.types(opened)).toEqual(['case.opened', 'case.claimed', won.status === 'open' ? 'case.escalated' : 'case.needs_info']);
  });
});

describe('four-eyes approval and rejection', () => {
  async function proposed(setup: ReturnType<typeof setUp>) {
    const opened = await setup.open(nameMatch('k-4eyes'));
    await claimCase(setup.deps, opened.caseId, alice);
    await decideCase(setup.deps, opened.caseId, { disposition: 'false_positive', reason: 'different person' }, alice);
    return opened;
  }

  it('forbids the proposer to approve or reject their own decision (403), changing nothing', async () => {
    const setup = setUp();
    const opened = await proposed(setup);
    const approving = await rejectionOf(approveCase(setup.deps, opened.caseId, {}, alice));
    const rejecting = await rejectionOf(rejectProposal(setup.deps, opened.caseId, { reason: 'second thoughts' }, alice));

    for (const error of [approving, rejecting]) {
      expect(error).toBeInstanceOf(ForbiddenError);
      expect(errorResponse(error).statusCode).toBe(403);
    }
    expect(await setup.stored(opened.caseId)).toMatchObject({ status: 'pending_approval', version: 3 });
  });

  it('closes the case when a second officer approves, naming both officers, and records the approval and the effects', async () => {
    const setup = setUp();
    const opened = await proposed(setup);
    const view = await approveCase(setup.deps, opened.caseId, { note: '  agreed  ' }, bob);

    expect(view).toMatchObject({
      status: 'closed',
      effectsPending: false,
      resolution: {
        disposition: 'false_positive',
        reason: 'different person',
        by: 'alice',
        approvedBy: 'bob',
        approvedAt: NOW.toISOString(),
        approverActor: 'officer:bob',
        approvalNote: 'agreed',
        effects: { summary: 'no investor to act on', appliedAt: NOW.toISOString() },
      },
    });
    expect(view).not.toHaveProperty('proposal');
    expect(view).not.toHaveProperty('assignee');
    const records = setup.store.records(`case#${opened.caseId}`);
    expect(records.slice(-2)).toMatchObject([
      { type: 'case.approved', actor: 'officer:bob', data: { disposition: 'false_positive', reason: 'different person', proposedBy: 'alice', note: 'agreed' } },
      { type: 'case.effects_applied', actor: 'officer:bob', data: { summary: 'no investor to act on' } },
    ]);
  });

  it('refuses to approve a case with no pending decision, or one closed already', async () => {
    const setup = setUp();
    const opened = await setup.open(nameMatch('k-nothing'));
    await expect(approveCase(setup.deps, opened.caseId, undefined, bob)).rejects.toThrow(/no decision awaits approval/);

    const done = await proposed(setup);
    await approveCase(setup.deps, done.caseId, {}, bob);
    await expect(approveCase(setup.deps, done.caseId, {}, carol)).rejects.toThrow(/already closed/);
  });

  it('lets exactly one of two officers racing to approve win', async () => {
    const setup = setUp();
    const opened = await proposed(setup);
    const outcomes = await Promise.allSettled([approveCase(setup.deps, opened.caseId, {}, bob), approveCase(setup.deps, opened.caseId, {}, carol)]);

    const { won, lost } = settled(outcomes);
    expect(lost).toBeInstanceOf(ConflictError);
    expect(await setup.stored(opened.caseId)).toMatchObject({ resolution: { approvedBy: won.resolution!.approvedBy } });
    expect(setup.types(opened).filter((type) => type === 'case.approved')).toHaveLength(1);
  });

  it('sends a rejected proposal back to the queue with the reason', async () => {
    const setup = setUp();
    const opened = await proposed(setup);
    const view = await rejectProposal(setup.deps, opened.caseId, { reason: ' check the address too ' }, bob);

    expect(view).toMatchObject({
      status: 'open',
      rejection: { disposition: 'false_positive', reason: 'check the address too', by: 'bob', at: NOW.toISOString() },
    });
    expect(view).not.toHaveProperty('proposal');
    expect(view).not.toHaveProperty('assignee');
    expect(setup.store.records(`case#${opened.caseId}`).at(-1)).toMatchObject({
      type: 'case.proposal_rejected',
      actor: 'officer:bob',
      data: { disposition: 'false_positive', proposedBy: 'alice', reason: 'check the address too' },
    });
  });

  it('refuses a rejection without a reason (422) or of a case with no pending decision', async () => {
    const setup = setUp();
    const opened = await proposed(setup);
    await expect(rejectProposal(setup.deps, opened.caseId, {}, bob)).rejects.toThrow(/reason is required/);
    await rejectProposal(setup.deps, opened.caseId, { reason: 'r' }, bob);
    await expect(rejectProposal(setup.deps, opened.caseId, { reason: 'r' }, bob)).rejects.toThrow(ConflictError);
  });
});

describe('clearsMatch', () => {
  it('holds only for a sanctions hit two officers cleared as a false positive', async () => {
    const setup = setUp();
    const cleared = await setup.open(nameMatch('k-cleared'));
    await claimCase(setup.deps, cleared.caseId, alice);
    await decideCase(setup.deps, cleared.caseId, { disposition: 'false_positive', reason: 'different person' }, alice);
    expect(clearsMatch(await setup.stored(cleared.caseId))).toBe(false);
    await approveCase(setup.deps, cleared.caseId, {}, bob);
    expect(clearsMatch(await setup.stored(cleared.caseId))).toBe(true);

    const confirmed = await setup.open(nameMatch('k-confirmed'));
    await claimCase(setup.deps, confirmed.caseId, alice);
    await decideCase(setup.deps, confirmed.caseId, { disposition: 'true_match', reason: 'same person' }, alice);
    await approveCase(setup.deps, confirmed.caseId, {}, bob);
    expect(clearsMatch(await setup.stored(confirmed.caseId))).toBe(false);
    expect(clearsMatch(undefined)).toBe(false);
  });
});
