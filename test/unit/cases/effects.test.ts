import { approveCase, claimCase, decideCase, openCase, showCase, type ApprovalDeps, type Case, type CaseView } from '../../../lambda/modules/cases';
import { anInvestor } from '../../../lambda/modules/investors/fakes';
import { streamOf, type Investor, type Suspension } from '../../../lambda/modules/investors';
import { TransientError } from '../../../lambda/shared';
import { NOW, REGISTRIES, inMemoryWorld, rejectionOf, requestsOn, wallet } from '../../helpers/in-memory-world';

const alice = { subject: 'alice', actor: 'officer:alice' };
const bob = { subject: 'bob', actor: 'officer:bob' };
const carol = { subject: 'carol', actor: 'officer:carol' };

const WALLETS = [wallet('1'), wallet('2')];
const screeningSuspension: Suspension = { kind: 'sanctions', reason: 'wallet on the SDN list', at: '2026-02-20T12:00:00.000Z' };

type CaseKind = 'potential_match' | 'wallet_hit';

function setUp(investorOverrides: Partial<Investor> = {}) {
  const world = inMemoryWorld();
  const investor = world.investors.put(anInvestor({ wallets: WALLETS, ...investorOverrides }));
  const deps: ApprovalDeps = {
    cases: world.cases,
    audit: world.audit,
    slaHours: 24,
    now: world.clock.now,
    effects: { ...world.lifecycle, sanctions: world.sanctions },
  };

  /** A sanctions case on the investor, decided by alice and approved by bob: what the effects act on. */
  async function decided(type: CaseKind, disposition: 'false_positive' | 'true_match', aboutInvestor = true): Promise<CaseView> {
    const investorId = aboutInvestor ? investor.investorId : undefined;
    const { case: opened } = await openCase(
      deps,
      { type, key: `${type}|${investorId}|36`, investorId, risk: 'high', evidence: { entry: { sdnId: 36 }, listVersion: 'sdn-2026-02-27' } },
      'system:screening-worker',
    );
    await claimCase(deps, opened.caseId, alice);
    await decideCase(deps, opened.caseId, { disposition, reason: 'reviewed the evidence' }, alice);
    return approveCase(deps, opened.caseId, {}, bob);
  }

  const current = async () => (await world.investors.get(investor.investorId))!;
  const investorTypes = () => world.store.types(streamOf(investor.investorId));
  return { ...world, investor, deps, decided, current, investorTypes };
}

const onEveryRegistry = (allowlist: ReturnType<typeof inMemoryWorld>['allowlist'], expected: string[]) => {
  for (const registry of REGISTRIES) expect(requestsOn(allowlist, registry)).toEqual(expected);
};

describe('a cleared potential match', () => {
  it('makes a screened investor eligible and adds every wallet on every registry, under the approver', async () => {
    const { decided, current, sanctions, allowlist, store, investor } = setUp({ status: 'screened' });
    sanctions.screened(investor, 'clear');
    const view = await decided('potential_match', 'false_positive');

    expect(await current()).toMatchObject({ status: 'eligible', version: 2 });
    onEveryRegistry(
      allowlist,
      WALLETS.map((address) => `add ${address}`),
    );
    expect(allowlist.requests.every((request) => request.version === 2)).toBe(true);
    expect(store.records(streamOf(investor.investorId))).toMatchObject([
      { type: 'investor.eligible', actor: 'officer:bob', data: { from: 'screened', to: 'eligible', caseId: view.caseId, clearedBy: 'review' } },
    ]);
    expect(view.resolution!.effects).toEqual({
      summary: 'the investor is eligible; allowlist add requested on every registry',
      investorStatus: 'eligible',
      appliedAt: NOW.toISOString(),
    });
  });

  it('keeps the investor screened when their KYC approval expired meanwhile', async () => {
    const { decided, current, sanctions, allowlist, investor } = setUp({
      status: 'screened',
      kyc: { vendor: 'sumsub', applicantId: 'a-1', verdict: 'approved', expiresAt: NOW.toISOString() },
    });
    sanctions.screened(investor, 'clear');
    const view = await decided('potential_match', 'false_positive');

    expect((await current()).status).toBe('screened');
    expect(view.resolution!.effects).toMatchObject({ investorStatus: 'screened', summary: expect.stringMatching(/KYC approval has expired/) });
    expect(allowlist.requests).toEqual([]);
  });

  it.each([
    ['other hits await an officer', 'uncleared_hits' as const],
    ['the data changed since the screening', undefined],
  ])('keeps the investor screened when %s', async (_label, outcome) => {
    const { decided, current, sanctions, allowlist, investor } = setUp({ status: 'screened' });
    if (outcome) sanctions.screened(investor, outcome);
    else sanctions.screened({ ...investor, legalName: 'Jane Q. Doe' }, 'clear');
    const view = await decided('potential_match', 'false_positive');

    expect((await current()).status).toBe('screened');
    expect(view.resolution!.effects!.summary).toMatch(/stays screened/);
    expect(allowlist.requests).toEqual([]);
  });

  it('only asks for the adds again for an investor eligible already', async () => {
    const { decided, current, allowlist, investorTypes, sanctions, investor } = setUp({ status: 'eligible', version: 3 });
    sanctions.screened(investor, 'clear');
    await decided('potential_match', 'false_positive');

    expect(await current()).toMatchObject({ status: 'eligible', version: 3 });
    onEveryRegistry(
      allowlist,
      WALLETS.map((address) => `add ${address}`),
    );
    expect(allowlist.requests.every((request) => request.version === 3)).toBe(true);
    expect(investorTypes()).toEqual([]);
  });

  it('adds nothing for an eligible investor whose data changed since the latest screening (a wallet added): that screening adds it', async () => {
    const { decided, allowlist, sanctions, investor, investors } = setUp({ status: 'eligible', version: 3 });
    sanctions.screened(investor, 'clear');
    investors.put({ ...investor, wallets: [...WALLETS, wallet('3')], version: 4 });
    const view = await decided('potential_match', 'false_positive');

    expect(allowlist.requests).toEqual([]);
    expect(view.resolution!.effects).toMatchObject({ investorStatus: 'eligible' });
  });

  it.each(['allowlisted', 'kyc_retry'] as const)('changes nothing for a %s investor', async (status) => {
    const { decided, current, allowlist, investor } = setUp({ status });
    const view = await decided('potential_match', 'false_positive');

    expect(await current()).toEqual(investor);
    expect(view.resolution!.effects).toMatchObject({ summary: `no change: the investor is ${status}`, investorStatus: status });
    expect(allowlist.requests).toEqual([]);
  });

  it('acts on no one when the case names no investor', async () => {
    const { decided, allowlist } = setUp();
    const view = await decided('potential_match', 'false_positive', false);
    expect(view.resolution!.effects!.summary).toBe('no investor to act on');
    expect(allowlist.requests).toEqual([]);
  });

  it('resumes after a crash between the move to eligible and the requests, without doubling anything', async () => {
    const { deps, decided, current, sanctions, allowlist, investor, investorTypes } = setUp({ status: 'screened' });
    sanctions.screened(investor, 'clear');
    jest.spyOn(allowlist, 'request').mockRejectedValueOnce(new TransientError('the queue was unreachable'));

    const crash = await rejectionOf(decided('potential_match', 'false_positive'));
    expect(crash).toBeInstanceOf(TransientError);
    expect((await current()).status).toBe('eligible');
    const [pending] = await deps.cases.find({ statuses: ['closed'] }, 10);
    expect(await showCase(deps, pending!.caseId, carol)).toMatchObject({ effectsPending: true, resolution: { approvedBy: 'bob' } });

    const resumed = await approveCase(deps, pending!.caseId, {}, carol);
    expect(resumed).toMatchObject({ effectsPending: false, resolution: { approvedBy: 'bob', effects: { investorStatus: 'eligible' } } });
    onEveryRegistry(
      allowlist,
      WALLETS.map((address) => `add ${address}`),
    );
    expect(investorTypes()).toEqual(['investor.eligible']);
  });
});

describe('a cleared wallet hit', () => {
  it('lifts the sanctions suspension: eligible again, each wallet unfrozen then added on every registry', async () => {
    const { decided, current, sanctions, allowlist, store, investor } = setUp({ status: 'suspended', suspension: screeningSuspension });
    sanctions.screened(investor, 'clear');
    const view = await decided('wallet_hit', 'false_positive');

    const lifted = await current();
    expect(lifted).toMatchObject({ status: 'eligible', version: 2 });
    expect(lifted).not.toHaveProperty('suspension');
    onEveryRegistry(allowlist, [`unfreeze ${wallet('1')}`, `add ${wallet('1')}`, `unfreeze ${wallet('2')}`, `add ${wallet('2')}`]);
    expect(store.records(streamOf(investor.investorId))).toMatchObject([
      { type: 'investor.sanctions_suspension_lifted', actor: 'officer:bob', data: { from: 'suspended', to: 'eligible', caseId: view.caseId } },
    ]);
    expect(view.resolution!.effects).toMatchObject({ investorStatus: 'eligible', summary: expect.stringMatching(/suspension is lifted/) });
  });

  it.each([
    ['an operator suspension', { kind: 'operator', reason: 'court order', at: '2026-02-20T12:00:00.000Z' } as Suspension, /operator suspension/],
    ['a confirmed match', { ...screeningSuspension, confirmedMatchCaseId: 'case_confirmed' }, /sanctions suspension/],
  ])('never lifts %s', async (_label, suspension, summary) => {
    const { decided, current, sanctions, allowlist, investor } = setUp({ status: 'suspended', suspension });
    sanctions.screened(investor, 'clear');
    const view = await decided('wallet_hit', 'false_positive');

    expect(await current()).toEqual(investor);
    expect(view.resolution!.effects!.summary).toMatch(summary);
    expect(allowlist.requests).toEqual([]);
  });

  it('keeps the investor suspended while other hits await an officer', async () => {
    const { decided, current, sanctions, allowlist, investor } = setUp({ status: 'suspended', suspension: screeningSuspension });
    sanctions.screened(investor, 'uncleared_hits');
    const view = await decided('wallet_hit', 'false_positive');

    expect((await current()).status).toBe('suspended');
    expect(view.resolution!.effects!.summary).toMatch(/stays suspended: other sanctions hits/);
    expect(allowlist.requests).toEqual([]);
  });

  it('keeps the investor suspended while their KYC is not approved', async () => {
    const { decided, current, sanctions, investor } = setUp({
      status: 'suspended',
      suspension: screeningSuspension,
      kyc: { vendor: 'sumsub', applicantId: 'a-2', verdict: 'expired' },
    });
    sanctions.screened(investor, 'clear');
    const view = await decided('wallet_hit', 'false_positive');

    expect((await current()).status).toBe('suspended');
    expect(view.resolution!.effects!.summary).toMatch(/KYC is not approved or has expired/);
  });

  it('only asks for the unfreeze and the adds again for an investor eligible already', async () => {
    const { decided, allowlist, investorTypes, sanctions, investor } = setUp({ status: 'eligible' });
    sanctions.screened(investor, 'clear');
    await decided('wallet_hit', 'false_positive');
    onEveryRegistry(allowlist, [`unfreeze ${wallet('1')}`, `add ${wallet('1')}`, `unfreeze ${wallet('2')}`, `add ${wallet('2')}`]);
    expect(investorTypes()).toEqual([]);
  });

  it('unfreezes but adds nothing for an eligible investor whose data changed since the latest screening', async () => {
    const { decided, allowlist, sanctions, investor, investors } = setUp({ status: 'eligible' });
    sanctions.screened(investor, 'clear');
    investors.put({ ...investor, wallets: [...WALLETS, wallet('3')], version: investor.version + 1 });
    await decided('wallet_hit', 'false_positive');
    onEveryRegistry(allowlist, [`unfreeze ${wallet('1')}`, `unfreeze ${wallet('2')}`, `unfreeze ${wallet('3')}`]);
  });
});

describe('a confirmed true match', () => {
  const freezeAndRemove = [`freeze ${wallet('1')}`, `remove ${wallet('1')}`, `freeze ${wallet('2')}`, `remove ${wallet('2')}`];

  it('blocks an allowlisted investor: suspended for good, every wallet frozen then removed on every registry, report due in 10 business days', async () => {
    const { decided, current, allowlist, store, investor } = setUp({ status: 'allowlisted' });
    const view = await decided('potential_match', 'true_match');

    expect(await current()).toMatchObject({
      status: 'suspended',
      version: 2,
      suspension: { kind: 'sanctions', reason: 'confirmed sanctions match', at: NOW.toISOString(), confirmedMatchCaseId: view.caseId },
    });
    onEveryRegistry(allowlist, freezeAndRemove);
    expect(allowlist.requests.every((request) => request.version === 2)).toBe(true);
    // Approved on Monday 2 March 2026: ten business days later, with no federal holiday between.
    expect(view.resolution!.effects).toMatchObject({ investorStatus: 'suspended', reportDueBy: '2026-03-16', summary: expect.stringMatching(/2026-03-16/) });
    expect(store.records(streamOf(investor.investorId))).toMatchObject([
      {
        type: 'investor.blocked',
        actor: 'officer:bob',
        data: {
          from: 'allowlisted',
          to: 'suspended',
          caseId: view.caseId,
          sdnId: 36,
          listVersion: 'sdn-2026-02-27',
          blockedAt: NOW.toISOString(),
          reportDueBy: '2026-03-16',
          wallets: WALLETS,
        },
      },
    ]);
    expect(store.records(`case#${view.caseId}`).at(-1)).toMatchObject({ type: 'case.effects_applied', data: { reportDueBy: '2026-03-16' } });
  });

  it('counts the report deadline from the approval, not from the proposal', async () => {
    const { deps, clock, investor } = setUp({ status: 'eligible' });
    const { case: opened } = await openCase(
      deps,
      { type: 'wallet_hit', key: 'k-late', investorId: investor.investorId, risk: 'high', evidence: {} },
      'system:screening-worker',
    );
    await claimCase(deps, opened.caseId, alice);
    await decideCase(deps, opened.caseId, { disposition: 'true_match', reason: 'same wallet' }, alice);
    clock.advanceMinutes(3 * 24 * 60);

    // Approved on Thursday 5 March: ten business days later is Thursday 19 March.
    expect((await approveCase(deps, opened.caseId, {}, bob)).resolution!.effects!.reportDueBy).toBe('2026-03-19');
  });

  it('confirms the suspension of an investor the screening suspended already, and freezes and removes every wallet again', async () => {
    const { decided, current, allowlist, store, investor } = setUp({ status: 'suspended', suspension: screeningSuspension });
    const view = await decided('wallet_hit', 'true_match');

    expect(await current()).toMatchObject({
      status: 'suspended',
      version: 2,
      suspension: { kind: 'sanctions', reason: 'confirmed sanctions match', confirmedMatchCaseId: view.caseId },
    });
    onEveryRegistry(allowlist, freezeAndRemove);
    expect(store.records(streamOf(investor.investorId))).toMatchObject([{ type: 'investor.blocked', data: { from: 'suspended', to: 'suspended' } }]);
  });

  it.each(['kyc_retry', 'offboarded'] as const)('records the blocking of a %s investor and freezes every wallet, the status kept', async (status) => {
    const { decided, current, allowlist, store, investor } = setUp({ status, version: 5 });
    const view = await decided('potential_match', 'true_match');

    expect(await current()).toEqual(investor);
    onEveryRegistry(allowlist, freezeAndRemove);
    expect(allowlist.requests.every((request) => request.version === 5)).toBe(true);
    expect(store.records(streamOf(investor.investorId))).toMatchObject([
      { type: 'investor.blocked', data: { status, caseId: view.caseId, reportDueBy: '2026-03-16' } },
    ]);
    expect(view.resolution!.effects!.investorStatus).toBe(status);
  });

  it('resumes after a crash once the investor was blocked, without blocking twice or doubling a request', async () => {
    const { deps, decided, current, allowlist, cases, investorTypes } = setUp({ status: 'allowlisted' });
    const save = cases.save.bind(cases);
    let saves = 0;
    // The fourth save of the case is the one recording its effects (claim, proposal, approval before it).
    jest.spyOn(cases, 'save').mockImplementation(async (next: Case) => {
      if (++saves === 4) throw new TransientError('the function died before recording the effects');
      return save(next);
    });

    await expect(decided('potential_match', 'true_match')).rejects.toThrow(TransientError);
    const blocked = await current();
    expect(blocked).toMatchObject({ status: 'suspended', version: 2 });
    const requestsBeforeResume = allowlist.summary();

    const [pending] = await deps.cases.find({ statuses: ['closed'] }, 10);
    const resumed = await approveCase(deps, pending!.caseId, {}, carol);

    expect(resumed).toMatchObject({ effectsPending: false, resolution: { approvedBy: 'bob', effects: { reportDueBy: '2026-03-16' } } });
    expect(await current()).toEqual(blocked);
    expect(investorTypes()).toEqual(['investor.blocked']);
    expect(allowlist.summary()).toEqual(requestsBeforeResume);
    onEveryRegistry(allowlist, freezeAndRemove);
  });
});
