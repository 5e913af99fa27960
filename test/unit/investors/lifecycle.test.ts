import { anInvestor } from '../../../lambda/modules/investors/fakes';
import {
  addWallet,
  attachKycApplicant,
  changeStatus,
  expireKycApprovals,
  offboardInvestor,
  reinstateInvestor,
  streamOf,
  suspendInvestor,
  type Investor,
  type InvestorRepository,
  type InvestorStatus,
} from '../../../lambda/modules/investors';
import { ConflictError, NotFoundError, TransientError, ValidationError } from '../../../lambda/shared';
import { errorResponse } from '../../../lambda/platform/http';
import { NOW, REGISTRIES, inMemoryWorld, rejectionOf, requestsOn, wallet } from '../../helpers/in-memory-world';

const STATUSES: readonly InvestorStatus[] = [
  'registered',
  'kyc_pending',
  'kyc_approved',
  'kyc_rejected',
  'kyc_retry',
  'screened',
  'eligible',
  'allowlisted',
  'suspended',
  'offboarded',
];

/** The lifecycle as specified: every move it allows; any other pair is refused. */
const ALLOWED: Readonly<Record<InvestorStatus, readonly InvestorStatus[]>> = {
  registered: ['kyc_pending', 'kyc_approved', 'kyc_rejected', 'kyc_retry', 'suspended', 'offboarded'],
  kyc_pending: ['kyc_approved', 'kyc_rejected', 'kyc_retry', 'suspended', 'offboarded'],
  kyc_approved: ['screened', 'kyc_rejected', 'kyc_retry', 'suspended', 'offboarded'],
  kyc_rejected: ['kyc_pending', 'kyc_approved', 'kyc_retry', 'offboarded'],
  kyc_retry: ['kyc_pending', 'kyc_approved', 'kyc_rejected', 'offboarded'],
  screened: ['eligible', 'kyc_rejected', 'kyc_retry', 'suspended', 'offboarded'],
  eligible: ['allowlisted', 'kyc_rejected', 'kyc_retry', 'suspended', 'offboarded'],
  allowlisted: ['kyc_rejected', 'kyc_retry', 'suspended', 'offboarded'],
  suspended: ['eligible', 'offboarded'],
  offboarded: [],
};
const ON_CHAIN: ReadonlySet<InvestorStatus> = new Set(['eligible', 'allowlisted']);

const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));
const allowedPairs = pairs.filter(([from, to]) => ALLOWED[from].includes(to));
const refusedPairs = pairs.filter(([from, to]) => !ALLOWED[from].includes(to));

const TWO_WALLETS = [wallet('1'), wallet('2')];
const change = { type: 'investor.test_move', actor: 'system:test' };

function setUp(overrides: Partial<Investor> = {}) {
  const world = inMemoryWorld();
  const investor = world.investors.put(anInvestor({ wallets: TWO_WALLETS, ...overrides }));
  const reinstateDeps = { ...world.lifecycle, screeningStanding: (current: Investor) => world.sanctions.standing(current) };
  return { ...world, investor, reinstateDeps, stream: streamOf(investor.investorId) };
}

describe('changeStatus: every move of the lifecycle', () => {
  it.each(allowedPairs)('moves %s to %s: the next version, recorded and saved', async (from, to) => {
    const { lifecycle, investors, store, allowlist, investor, stream } = setUp({ status: from });
    const next = await changeStatus(lifecycle, investor, to, change);

    expect(next).toMatchObject({ status: to, version: 2, updatedAt: NOW.toISOString() });
    expect(await investors.get(investor.investorId)).toEqual(next);
    expect(store.records(stream)).toMatchObject([{ type: 'investor.test_move', actor: 'system:test', data: { from, to } }]);
    expect(store.records(stream)[0]!.idempotencyKey).toMatch(new RegExp(`^${stream}:v2:`));
    const leavesChain = ON_CHAIN.has(from) && !ON_CHAIN.has(to);
    expect(allowlist.requests.map((request) => request.action)).toEqual(leavesChain ? ['remove', 'remove', 'remove', 'remove'] : []);
  });

  it.each(refusedPairs)('refuses %s to %s with a ConflictError and changes nothing', async (from, to) => {
    const { lifecycle, investors, store, allowlist, investor, stream } = setUp({ status: from });
    const error = await rejectionOf(changeStatus(lifecycle, investor, to, change));

    expect(error).toBeInstanceOf(ConflictError);
    expect(errorResponse(error).statusCode).toBe(409);
    expect(await investors.get(investor.investorId)).toEqual(investor);
    expect(store.records(stream)).toEqual([]);
    expect(allowlist.requests).toEqual([]);
  });
});

describe('changeStatus: leaving the allowlist', () => {
  it.each(['eligible', 'allowlisted'] as const)(
    'removes every wallet of a %s investor from every registry, keyed by the version the change produces',
    async (from) => {
      const { lifecycle, allowlist, investor } = setUp({ status: from, countryOfResidence: 'DE' });
      await changeStatus(lifecycle, investor, 'kyc_rejected', change);

      for (const registry of REGISTRIES) expect(requestsOn(allowlist, registry)).toEqual(TWO_WALLETS.map((address) => `remove ${address}`));
      expect(new Set(allowlist.requests.map((request) => request.version))).toEqual(new Set([2]));
      expect(allowlist.requests.every((request) => request.investorId === investor.investorId && request.country === 'DE')).toBe(true);
      expect(new Set(allowlist.requests.map((request) => request.identityRegistry))).toEqual(
        new Set(REGISTRIES.map((registry) => registry.identityRegistry.toLowerCase())),
      );
    },
  );

  it('freezes each wallet before removing it on every registry when the change is for sanctions', async () => {
    const { lifecycle, allowlist, investor } = setUp({ status: 'allowlisted' });
    await changeStatus(lifecycle, investor, 'suspended', { ...change, freeze: true });

    for (const registry of REGISTRIES)
      expect(requestsOn(allowlist, registry)).toEqual([`freeze ${wallet('1')}`, `remove ${wallet('1')}`, `freeze ${wallet('2')}`, `remove ${wallet('2')}`]);
  });

  it('asks nothing of the chain when an eligible investor becomes allowlisted', async () => {
    const { lifecycle, allowlist, investor } = setUp({ status: 'eligible' });
    await changeStatus(lifecycle, investor, 'allowlisted', { ...change, freeze: true });
    expect(allowlist.requests).toEqual([]);
  });

  it('applies the fields that change with the status and the claims in the same save', async () => {
    const { lifecycle, investors, investor } = setUp({ status: 'registered', kyc: undefined });
    const kyc = { vendor: 'onfido' as const, applicantId: 'app-9' };
    const next = await changeStatus(lifecycle, investor, 'kyc_pending', { ...change, patch: { kyc }, claims: { claimKycApplicant: kyc } });

    expect(next.kyc).toEqual(kyc);
    expect(await investors.findByKycApplicant('onfido', 'app-9')).toEqual(next);
  });
});

describe('changeStatus: crashes and races', () => {
  it('records the change before saving it, and a re-run after a crash at the save adds no second record or request', async () => {
    const { lifecycle, investors, store, allowlist, investor, stream } = setUp({ status: 'allowlisted' });
    let recordedAtSave: string[] = [];
    jest.spyOn(investors, 'save').mockImplementationOnce(async () => {
      recordedAtSave = store.types(stream);
      throw new TransientError('the process died during the save');
    });

    await expect(changeStatus(lifecycle, investor, 'offboarded', change)).rejects.toThrow(TransientError);
    expect(recordedAtSave).toEqual(['investor.test_move']);
    expect((await investors.get(investor.investorId))!.status).toBe('allowlisted');
    const requestsBeforeRetry = allowlist.summary();

    const retried = await changeStatus(lifecycle, (await investors.get(investor.investorId))!, 'offboarded', change);
    expect(retried).toMatchObject({ status: 'offboarded', version: 2 });
    expect(store.types(stream)).toEqual(['investor.test_move']);
    expect(allowlist.summary()).toEqual(requestsBeforeRetry);
    expect(allowlist.requests).toHaveLength(4);
  });

  it('surfaces a change saved meanwhile as a ConflictError and keeps the winner, and its record', async () => {
    const { lifecycle, investors, store, investor, stream } = setUp({ status: 'eligible' });
    const stale = (await investors.get(investor.investorId))!;
    await changeStatus(lifecycle, investor, 'allowlisted', { type: 'investor.allowlisted', actor: 'system:allowlist' });

    const error = await rejectionOf(changeStatus(lifecycle, stale, 'suspended', { type: 'investor.suspended', actor: 'operator:bob' }));

    expect(error).toBeInstanceOf(ConflictError);
    expect(await investors.get(investor.investorId)).toMatchObject({ status: 'allowlisted', version: 2 });
    expect(store.types(stream)[0]).toBe('investor.allowlisted');
  });
});

describe('suspendInvestor', () => {
  it("takes an operator's suspension with its reason and removes the wallets from every registry, without freezing them", async () => {
    const { lifecycle, investors, store, allowlist, investor, stream } = setUp({ status: 'allowlisted' });
    const suspended = await suspendInvestor({ ...lifecycle }, investor.investorId, 'court order 12/2026', 'operator:bob');

    expect(suspended).toMatchObject({ status: 'suspended', suspension: { kind: 'operator', reason: 'court order 12/2026', at: NOW.toISOString() } });
    expect(await investors.get(investor.investorId)).toEqual(suspended);
    for (const registry of REGISTRIES) expect(requestsOn(allowlist, registry)).toEqual(TWO_WALLETS.map((address) => `remove ${address}`));
    expect(store.records(stream)).toMatchObject([
      { type: 'investor.suspended', actor: 'operator:bob', data: { from: 'allowlisted', to: 'suspended', reason: 'court order 12/2026', kind: 'operator' } },
    ]);
  });

  it('returns an investor suspended already as it is, recording nothing', async () => {
    const suspension = { kind: 'sanctions' as const, reason: 'wallet hit', at: '2026-02-01T00:00:00.000Z' };
    const { lifecycle, investors, store, investor, stream } = setUp({ status: 'suspended', suspension });
    expect(await suspendInvestor(lifecycle, investor.investorId, 'again', 'operator:bob')).toEqual(investor);
    expect((await investors.get(investor.investorId))!.suspension).toEqual(suspension);
    expect(store.records(stream)).toEqual([]);
  });

  it('refuses an investor the lifecycle does not let be suspended, and an unknown one', async () => {
    const { lifecycle, investor } = setUp({ status: 'kyc_rejected' });
    await expect(suspendInvestor(lifecycle, investor.investorId, 'r', 'operator:bob')).rejects.toThrow(ConflictError);
    await expect(suspendInvestor(lifecycle, 'inv-unknown', 'r', 'operator:bob')).rejects.toThrow(NotFoundError);
  });
});

describe('reinstateInvestor', () => {
  const operatorSuspension = { kind: 'operator' as const, reason: 'dispute', at: '2026-02-01T00:00:00.000Z' };

  it("lifts an operator's suspension of a clear, KYC-current investor: eligible again and added on every registry", async () => {
    const { reinstateDeps, investors, sanctions, store, allowlist, investor, stream } = setUp({ status: 'suspended', suspension: operatorSuspension });
    sanctions.screened(investor, 'clear');

    const eligible = await reinstateInvestor(reinstateDeps, investor.investorId, 'operator:bob');

    expect(eligible).toMatchObject({ status: 'eligible', version: 2 });
    const stored = (await investors.get(investor.investorId))!;
    expect(stored.status).toBe('eligible');
    expect(stored).not.toHaveProperty('suspension');
    for (const registry of REGISTRIES) expect(requestsOn(allowlist, registry)).toEqual(TWO_WALLETS.map((address) => `add ${address}`));
    expect(allowlist.requests.every((request) => request.version === 2)).toBe(true);
    expect(store.records(stream)).toMatchObject([{ type: 'investor.reinstated', actor: 'operator:bob', data: { from: 'suspended', to: 'eligible' } }]);
  });

  it('only asks for the adds again when the investor is eligible already (a lost answer), recording nothing', async () => {
    const { reinstateDeps, sanctions, store, allowlist, investor, stream } = setUp({ status: 'eligible', version: 4 });
    sanctions.screened(investor, 'clear');
    expect(await reinstateInvestor(reinstateDeps, investor.investorId, 'operator:bob')).toEqual(investor);
    await reinstateInvestor(reinstateDeps, investor.investorId, 'operator:bob');

    expect(allowlist.summary().sort()).toEqual([`add ${wallet('1')}@1`, `add ${wallet('1')}@8453`, `add ${wallet('2')}@1`, `add ${wallet('2')}@8453`]);
    expect(store.records(stream)).toEqual([]);
  });

  it('adds no wallet of an eligible investor whose latest screening does not cover it yet, and asks for that screening', async () => {
    const { reinstateDeps, investors, sanctions, screening, allowlist, investor } = setUp({ status: 'eligible', wallets: [wallet('1')] });
    sanctions.screened(investor, 'clear');
    await addWallet(reinstateDeps, investor.investorId, wallet('5'), 'portal:fund');

    const unchanged = await reinstateInvestor(reinstateDeps, investor.investorId, 'operator:bob');
    expect(unchanged).toMatchObject({ status: 'eligible', wallets: [wallet('1'), wallet('5')] });
    expect(allowlist.requests).toEqual([]);
    expect(screening.requests.map((request) => request.reason)).toEqual(['wallet added', 'reinstatement']);

    // Once the screening of the new wallet cleared it, asking again adds both.
    sanctions.screened((await investors.get(investor.investorId))!, 'clear');
    await reinstateInvestor(reinstateDeps, investor.investorId, 'operator:bob');
    expect(allowlist.summary().sort()).toEqual([`add ${wallet('1')}@1`, `add ${wallet('1')}@8453`, `add ${wallet('5')}@1`, `add ${wallet('5')}@8453`]);
  });

  it('adds nothing for an eligible investor with hits no officer cleared: the clearance adds them', async () => {
    const { reinstateDeps, sanctions, screening, allowlist, investor } = setUp({ status: 'eligible' });
    sanctions.screened(investor, 'uncleared_hits');
    expect(await reinstateInvestor(reinstateDeps, investor.investorId, 'operator:bob')).toEqual(investor);
    expect(allowlist.requests).toEqual([]);
    expect(screening.requests).toEqual([]);
  });

  it('never lifts a sanctions suspension: that takes two officers in the review queue', async () => {
    const suspension = { kind: 'sanctions' as const, reason: 'wallet hit', at: '2026-02-01T00:00:00.000Z' };
    const { reinstateDeps, investors, sanctions, allowlist, investor } = setUp({ status: 'suspended', suspension });
    sanctions.screened(investor, 'clear');

    const error = await rejectionOf(reinstateInvestor(reinstateDeps, investor.investorId, 'operator:bob'));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/review queue/);
    expect(await investors.get(investor.investorId)).toEqual(investor);
    expect(allowlist.requests).toEqual([]);
  });

  it.each(['screened', 'allowlisted', 'offboarded'] as const)('refuses a %s investor: only a suspended one is reinstated', async (status) => {
    const { reinstateDeps, investor } = setUp({ status });
    await expect(reinstateInvestor(reinstateDeps, investor.investorId, 'operator:bob')).rejects.toThrow(ConflictError);
  });

  it.each([
    ['expired', { verdict: 'approved' as const, expiresAt: NOW.toISOString() }],
    ['not approved', { verdict: 'rejected' as const }],
  ])('refuses while the KYC approval is %s', async (_label, kyc) => {
    const { reinstateDeps, investors, sanctions, investor } = setUp({
      status: 'suspended',
      suspension: operatorSuspension,
      kyc: { vendor: 'sumsub', applicantId: 'a-1', ...kyc },
    });
    sanctions.screened(investor, 'clear');
    await expect(reinstateInvestor(reinstateDeps, investor.investorId, 'operator:bob')).rejects.toThrow(/KYC/);
    expect((await investors.get(investor.investorId))!.status).toBe('suspended');
  });

  it('asks for a screening when the data changed since the last one, and refuses until it has run', async () => {
    const { reinstateDeps, investors, sanctions, screening, allowlist, investor } = setUp({ status: 'suspended', suspension: operatorSuspension });
    sanctions.screened({ ...investor, wallets: [wallet('1')] }, 'clear');

    const error = await rejectionOf(reinstateInvestor(reinstateDeps, investor.investorId, 'operator:bob'));

    expect(error).toBeInstanceOf(ConflictError);
    expect(screening.requests).toEqual([{ investorId: investor.investorId, reason: 'reinstatement' }]);
    expect((await investors.get(investor.investorId))!.status).toBe('suspended');
    expect(allowlist.requests).toEqual([]);

    sanctions.screened(investor, 'clear');
    expect((await reinstateInvestor(reinstateDeps, investor.investorId, 'operator:bob')).status).toBe('eligible');
  });

  it('refuses while the latest screening has hits no officer cleared, asking for no screening', async () => {
    const { reinstateDeps, sanctions, screening, investor } = setUp({ status: 'suspended', suspension: operatorSuspension });
    sanctions.screened(investor, 'uncleared_hits');
    await expect(reinstateInvestor(reinstateDeps, investor.investorId, 'operator:bob')).rejects.toThrow(/not clear/);
    expect(screening.requests).toEqual([]);
  });
});

describe('offboardInvestor', () => {
  it('removes the wallets of an allowlisted investor from every registry and keeps the record, with the reason', async () => {
    const { lifecycle, investors, store, allowlist, investor, stream } = setUp({ status: 'allowlisted' });
    const offboarded = await offboardInvestor(lifecycle, investor.investorId, 'redeemed in full', 'operator:bob');

    expect(offboarded.status).toBe('offboarded');
    expect((await investors.get(investor.investorId))!.status).toBe('offboarded');
    for (const registry of REGISTRIES) expect(requestsOn(allowlist, registry)).toEqual(TWO_WALLETS.map((address) => `remove ${address}`));
    expect(store.records(stream)).toMatchObject([{ type: 'investor.offboarded', data: { from: 'allowlisted', to: 'offboarded', reason: 'redeemed in full' } }]);
  });

  it('asks nothing of the chain for a suspended investor, whose wallets left it already', async () => {
    const { lifecycle, allowlist, investor } = setUp({ status: 'suspended', suspension: { kind: 'operator', reason: 'r', at: NOW.toISOString() } });
    expect((await offboardInvestor(lifecycle, investor.investorId, 'closed', 'operator:bob')).status).toBe('offboarded');
    expect(allowlist.requests).toEqual([]);
  });

  it('returns an offboarded investor as it is', async () => {
    const { lifecycle, store, investor, stream } = setUp({ status: 'offboarded' });
    expect(await offboardInvestor(lifecycle, investor.investorId, 'again', 'operator:bob')).toEqual(investor);
    expect(store.records(stream)).toEqual([]);
  });
});

describe('attachKycApplicant', () => {
  const applicant = { vendor: 'onfido', applicantId: 'applicant-new' };

  it('moves a registered investor to kyc_pending with the applicant, claimed for them', async () => {
    const { lifecycle, investors, store, investor, stream } = setUp({ status: 'registered', kyc: undefined });
    const pending = await attachKycApplicant(lifecycle, investor.investorId, applicant, 'portal:fund');

    expect(pending).toMatchObject({ status: 'kyc_pending', version: 2, kyc: { vendor: 'onfido', applicantId: 'applicant-new' } });
    expect((await investors.findByKycApplicant('onfido', 'applicant-new'))?.investorId).toBe(investor.investorId);
    expect(store.records(stream)).toMatchObject([
      { type: 'investor.kyc_pending', actor: 'portal:fund', data: { from: 'registered', to: 'kyc_pending', vendor: 'onfido' } },
    ]);
  });

  it('replaces the applicant of an investor still pending, staying pending', async () => {
    const { lifecycle, investors, store, investor, stream } = setUp({ status: 'kyc_pending', kyc: { vendor: 'sumsub', applicantId: 'applicant-old' } });
    const next = await attachKycApplicant(lifecycle, investor.investorId, applicant, 'portal:fund');

    expect(next).toMatchObject({ status: 'kyc_pending', version: 2, updatedAt: NOW.toISOString(), kyc: { vendor: 'onfido', applicantId: 'applicant-new' } });
    expect(await investors.get(investor.investorId)).toEqual(next);
    expect((await investors.findByKycApplicant('onfido', 'applicant-new'))?.investorId).toBe(investor.investorId);
    expect(store.records(stream)).toMatchObject([{ type: 'investor.kyc_applicant_attached', data: { vendor: 'onfido' } }]);
    expect(store.records(stream)[0]!.idempotencyKey).toMatch(new RegExp(`^${stream}:v2:`));
  });

  it.each(['kyc_rejected', 'kyc_retry'] as const)('starts a new attempt for a %s investor, without the old verdict', async (status) => {
    const { lifecycle, investor } = setUp({ status, kyc: { vendor: 'sumsub', applicantId: 'applicant-old', verdict: 'rejected' } });
    const pending = await attachKycApplicant(lifecycle, investor.investorId, applicant, 'portal:fund');
    expect(pending.status).toBe('kyc_pending');
    expect(pending.kyc).toEqual({ vendor: 'onfido', applicantId: 'applicant-new' });
  });

  it('returns the investor as it is when the same applicant is attached again, whatever the status', async () => {
    const { lifecycle, store, investor, stream } = setUp({ status: 'eligible', kyc: { vendor: 'onfido', applicantId: 'applicant-new', verdict: 'approved' } });
    expect(await attachKycApplicant(lifecycle, investor.investorId, applicant, 'portal:fund')).toEqual(investor);
    expect(store.records(stream)).toEqual([]);
  });

  it.each(['kyc_approved', 'screened', 'eligible', 'allowlisted', 'suspended', 'offboarded'] as const)(
    'refuses a new applicant once a verdict moved a %s investor on',
    async (status) => {
      const { lifecycle, investors, investor } = setUp({ status });
      await expect(attachKycApplicant(lifecycle, investor.investorId, applicant, 'portal:fund')).rejects.toThrow(ConflictError);
      expect(await investors.get(investor.investorId)).toEqual(investor);
    },
  );

  it("refuses another investor's applicant with a 409 naming the field, not the value", async () => {
    const { lifecycle, investors, investor } = setUp({ status: 'registered', kyc: undefined });
    investors.put(anInvestor({ kyc: { vendor: 'onfido', applicantId: 'applicant-new' } }));

    const error = await rejectionOf(attachKycApplicant(lifecycle, investor.investorId, applicant, 'portal:fund'));

    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/kyc\.applicantId/);
    expect(error.message).not.toMatch(/applicant-new/);
    expect((await investors.get(investor.investorId))!.status).toBe('registered');
  });

  it('answers 400 naming each bad field without echoing it', async () => {
    const { lifecycle, investor } = setUp({ status: 'registered' });
    const error = await rejectionOf(attachKycApplicant(lifecycle, investor.investorId, { vendor: 'SECRET-vendor', applicantId: '  ' }, 'portal:fund'));

    expect(error).toBeInstanceOf(ValidationError);
    const response = errorResponse(error);
    expect(response.statusCode).toBe(400);
    expect((error as ValidationError).issues.map((issue) => issue.field).sort()).toEqual(['applicantId', 'vendor']);
    expect(response.body).not.toMatch(/SECRET/);
  });

  it('answers 404 for an unknown investor', async () => {
    const { lifecycle } = setUp();
    await expect(attachKycApplicant(lifecycle, 'inv-unknown', applicant, 'portal:fund')).rejects.toThrow(NotFoundError);
  });
});

describe('expireKycApprovals', () => {
  const lapsed = (expiresAt: string) => ({ vendor: 'sumsub' as const, applicantId: `a-${expiresAt}`, verdict: 'approved' as const, expiresAt });
  const YESTERDAY = '2026-03-01T15:00:00.000Z';
  const TOMORROW = '2026-03-03T15:00:00.000Z';

  it('moves every approved investor whose approval lapsed to kyc_retry, taking the eligible ones off every registry', async () => {
    const { lifecycle, investors, store, allowlist } = inMemoryWorld();
    const onChain = investors.put(anInvestor({ status: 'allowlisted', wallets: [wallet('3')], kyc: lapsed(YESTERDAY) }));
    const approved = investors.put(anInvestor({ status: 'kyc_approved', kyc: lapsed(YESTERDAY) }));
    const screened = investors.put(anInvestor({ status: 'screened', kyc: lapsed(YESTERDAY) }));
    const current = investors.put(anInvestor({ status: 'eligible', kyc: lapsed(TOMORROW) }));
    const suspended = investors.put(anInvestor({ status: 'suspended', kyc: lapsed(YESTERDAY), suspension: { kind: 'operator', reason: 'r', at: YESTERDAY } }));
    const expiredBefore = investors.put(anInvestor({ status: 'kyc_retry', kyc: { ...lapsed(YESTERDAY), verdict: 'expired' } }));

    expect(await expireKycApprovals({ ...lifecycle, actor: 'system:kyc-expiry' })).toEqual({ expired: 3 });

    for (const investor of [onChain, approved, screened]) {
      const stored = (await investors.get(investor.investorId))!;
      expect(stored).toMatchObject({ status: 'kyc_retry', version: 2, kyc: { ...investor.kyc, verdict: 'expired' } });
      expect(store.records(streamOf(investor.investorId))).toMatchObject([
        { type: 'investor.kyc_expired', actor: 'system:kyc-expiry', data: { from: investor.status, to: 'kyc_retry', vendor: 'sumsub', expiresAt: YESTERDAY } },
      ]);
    }
    for (const investor of [current, suspended, expiredBefore]) expect(await investors.get(investor.investorId)).toEqual(investor);
    expect(allowlist.summary().sort()).toEqual([`remove ${wallet('3')}@1`, `remove ${wallet('3')}@8453`]);
  });

  it('goes on past an investor who changed since the scan: judged on what they are now, the rest of the book still swept', async () => {
    const { lifecycle, investors } = inMemoryWorld();
    const renewed = investors.put(anInvestor({ status: 'eligible', kyc: lapsed(YESTERDAY) }));
    const changed = investors.put(anInvestor({ status: 'eligible', kyc: lapsed(YESTERDAY) }));
    const lapsedToo = investors.put(anInvestor({ status: 'allowlisted', kyc: lapsed(YESTERDAY) }));
    // What an eventually consistent scan hands out: the renewed approval and the other change are not in it yet.
    investors.put({ ...renewed, kyc: lapsed(TOMORROW), version: renewed.version + 1 });
    investors.put({ ...changed, status: 'allowlisted', version: changed.version + 1 });
    const repository: InvestorRepository = {
      create: (investor) => investors.create(investor),
      get: (investorId) => investors.get(investorId),
      save: (next, claims) => investors.save(next, claims),
      findByKycApplicant: (vendor, applicantId) => investors.findByKycApplicant(vendor, applicantId),
      findByExternalId: (externalId) => investors.findByExternalId(externalId),
      kycExpiringBefore: async function* () {
        yield* [renewed, changed, lapsedToo];
      },
    };
    expect(await expireKycApprovals({ ...lifecycle, investors: repository, actor: 'system:kyc-expiry' })).toEqual({ expired: 2 });
    expect(await investors.get(renewed.investorId)).toMatchObject({ status: 'eligible', kyc: { verdict: 'approved', expiresAt: TOMORROW } });
    expect(await investors.get(changed.investorId)).toMatchObject({ status: 'kyc_retry', kyc: { verdict: 'expired' } });
    expect(await investors.get(lapsedToo.investorId)).toMatchObject({ status: 'kyc_retry' });
  });

  it('finds nothing more to expire on a second run', async () => {
    const { lifecycle, investors } = inMemoryWorld();
    investors.put(anInvestor({ status: 'eligible', kyc: lapsed(YESTERDAY) }));
    await expireKycApprovals({ ...lifecycle, actor: 'system:kyc-expiry' });
    expect(await expireKycApprovals({ ...lifecycle, actor: 'system:kyc-expiry' })).toEqual({ expired: 0 });
  });
});
