import { NotFoundError } from '../../../lambda/shared';
import { ENGINE_VERSION, screenInvestor, subjectHashOf, type SanctionsList } from '../../../lambda/modules/screening';
import type { ScreenInvestorDeps } from '../../../lambda/modules/screening/screen-investor';
import { NoListError } from '../../../lambda/modules/screening/errors';
import { InMemoryScreeningRepository, StaticListProvider } from '../../../lambda/modules/screening/fakes';
import { caseIdFor, type Case } from '../../../lambda/modules/cases';
import { InMemoryCaseRepository } from '../../../lambda/modules/cases/fakes';
import { streamOf, type Investor } from '../../../lambda/modules/investors';
import { InMemoryInvestorRepository, RecordingAllowlistRequests, anInvestor } from '../../../lambda/modules/investors/fakes';
import { inMemoryAuditLog } from '../../../lambda/modules/audit/fakes';
import { realEngine, realList } from '../../helpers/ofac-data';
import { bornOn, sdnEntry, syntheticList } from '../../helpers/synthetic-list';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const REGISTRIES = [
  { chainId: 1, identityRegistry: '0x00000000000000000000000000000000000000A1' },
  { chainId: 137, identityRegistry: '0x00000000000000000000000000000000000000B2' },
];
const LISTED_WALLET = '0xAbCdEf0000000000000000000000000000000001';
const CLEAN_WALLET = '0x1111111111111111111111111111111111111111';
const OTHER_WALLET = '0x2222222222222222222222222222222222222222';

const KARIMOV = sdnEntry({ sdnId: 1001, name: 'KARIMOV, Rustam', datesOfBirth: [bornOn('1961-03-05')], countries: ['UZ'] });
/** A namesake: matches the name less closely, with nothing else to compare. */
const KARIMOV_NAMESAKE = sdnEntry({ sdnId: 1003, name: 'KARIMOV, Rustam Akhmedovich' });
const MIXER = sdnEntry({ sdnId: 2001, name: 'DARK MIXER', type: 'entity', wallets: [{ currency: 'ETH', address: LISTED_WALLET }] });
const LIST = syntheticList([KARIMOV, KARIMOV_NAMESAKE, MIXER], '2026-11-01');

/** An investor who matches KARIMOV by name, date of birth and country. */
const rustam = (overrides: Partial<Investor> = {}) =>
  anInvestor({ legalName: 'Rustam Karimov', dateOfBirth: '1961-03-05', countryOfResidence: 'UZ', wallets: [CLEAN_WALLET], ...overrides });

/** An investor repository whose next `n` saves crash before writing (a Lambda timing out mid-run). */
class CrashingInvestorRepository extends InMemoryInvestorRepository {
  crashes = 0;
  override async save(...args: Parameters<InMemoryInvestorRepository['save']>): Promise<void> {
    if (this.crashes > 0) {
      this.crashes--;
      throw new Error('crashed before the save');
    }
    return super.save(...args);
  }
}

function screeningWorld(list: SanctionsList | null = LIST) {
  const clock = { now: NOW };
  const { audit, store: auditStore } = inMemoryAuditLog(() => clock.now);
  const investors = new CrashingInvestorRepository();
  const screenings = new InMemoryScreeningRepository();
  const lists = new StaticListProvider(list ?? undefined);
  const cases = new InMemoryCaseRepository();
  const allowlist = new RecordingAllowlistRequests();
  const deps: ScreenInvestorDeps = {
    investors,
    screenings,
    lists,
    cases,
    audit,
    allowlist,
    registries: REGISTRIES,
    actor: 'system:screening-worker',
    now: () => clock.now,
  };
  const current = async (investorId: string) => (await investors.get(investorId))!;
  /** What the review queue leaves behind when two officers clear a case as a false positive. */
  const clearAsFalsePositive = async (found: Case) =>
    cases.save({
      ...found,
      status: 'closed',
      version: found.version + 1,
      resolution: { disposition: 'false_positive', reason: 'different person', by: 'officer-1', at: NOW.toISOString(), approvedBy: 'officer-2' },
    });
  const later = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  return { deps, investors, screenings, lists, cases, allowlist, auditStore, current, clearAsFalsePositive, later };
}

describe('screenInvestor: a clear screening', () => {
  it('records the "no hit" result, makes the investor eligible and asks every registry to add every wallet', async () => {
    const world = screeningWorld();
    const investor = world.investors.put(anInvestor({ wallets: [CLEAN_WALLET, OTHER_WALLET] }));

    const after = await screenInvestor(world.deps, investor.investorId);

    expect(after).toMatchObject({ status: 'eligible', version: investor.version + 2 });
    expect(await world.current(investor.investorId)).toEqual(after);
    const subjectHash = subjectHashOf({
      name: investor.legalName,
      type: investor.type,
      dateOfBirth: investor.dateOfBirth,
      country: investor.countryOfResidence,
      wallets: investor.wallets,
    });
    expect(await world.screenings.latest(investor.investorId)).toEqual({
      investorId: investor.investorId,
      subjectHash,
      screenedAt: NOW.toISOString(),
      reason: 'registered',
      staleMatches: [],
      // A first screening runs against every entry, and says so, with the engine and each list's version.
      computedBy: 'full',
      engineVersion: ENGINE_VERSION,
      verdict: 'clear',
      listVersion: LIST.version.id,
      listVersions: { 'ofac-sdn': LIST.version.id },
      matches: [],
    });
    expect(world.allowlist.summary().sort()).toEqual([`add ${CLEAN_WALLET}@1`, `add ${CLEAN_WALLET}@137`, `add ${OTHER_WALLET}@1`, `add ${OTHER_WALLET}@137`]);
    expect(world.allowlist.requests.every((change) => change.version === after.version && change.investorId === investor.investorId)).toBe(true);
    expect(world.auditStore.records(streamOf(investor.investorId))).toEqual([
      expect.objectContaining({ type: 'screening.completed', data: expect.objectContaining({ verdict: 'clear', listVersion: LIST.version.id, matches: [] }) }),
      expect.objectContaining({ type: 'investor.eligible', data: { listVersion: LIST.version.id } }),
    ]);
    expect(world.cases.all()).toEqual([]);
  });

  it('re-screens an allowlisted investor on a list change and asks for the adds again (a wallet added since joins now)', async () => {
    const world = screeningWorld();
    const investor = world.investors.put(anInvestor({ status: 'allowlisted', wallets: [CLEAN_WALLET, OTHER_WALLET] }));
    const after = await screenInvestor(world.deps, investor.investorId, { reason: 'wallet added' });
    expect(after).toEqual(investor);
    expect(world.allowlist.summary()).toHaveLength(4);
    expect((await world.screenings.latest(investor.investorId))!.reason).toBe('wallet added');
    expect(world.auditStore.types(streamOf(investor.investorId))).toEqual(['screening.completed']);
  });

  it('asks the provider for the version the message names', async () => {
    const world = screeningWorld();
    const investor = world.investors.put(anInvestor({ status: 'eligible' }));
    await screenInvestor(world.deps, investor.investorId, { reason: 'list changed', listVersion: LIST.version.id });
    expect(world.lists.wanted).toEqual([LIST.version.id]);
  });

  it.each(['registered', 'kyc_pending', 'kyc_rejected', 'kyc_retry', 'offboarded'] as const)('leaves a %s investor alone', async (status) => {
    const world = screeningWorld();
    const investor = world.investors.put(anInvestor({ status }));
    await expect(screenInvestor(world.deps, investor.investorId)).resolves.toEqual(investor);
    expect(await world.screenings.latest(investor.investorId)).toBeUndefined();
    expect(world.lists.wanted).toEqual([]);
  });

  it('fails for an investor that does not exist, and while no list is loaded', async () => {
    const world = screeningWorld(null);
    await expect(screenInvestor(world.deps, 'inv-missing')).rejects.toThrow(NotFoundError);
    const investor = world.investors.put(anInvestor());
    await expect(screenInvestor(world.deps, investor.investorId)).rejects.toThrow(NoListError);
    expect(await world.current(investor.investorId)).toEqual(investor);
  });
});

describe('screenInvestor: a review', () => {
  it('opens a potential-match case per matched entry, moves the investor to screened and stops there', async () => {
    const world = screeningWorld();
    const investor = world.investors.put(rustam());

    const after = await screenInvestor(world.deps, investor.investorId);

    expect(after).toMatchObject({ status: 'screened', version: investor.version + 1 });
    const record = (await world.screenings.latest(investor.investorId))!;
    expect(record.verdict).toBe('review');
    expect(record.matches.map((match) => match.sdnId)).toEqual([1001, 1003]);
    const cases = world.cases.all().sort((a, b) => a.key.localeCompare(b.key));
    expect(cases.map((found) => [found.type, found.risk, found.status, found.investorId])).toEqual([
      ['potential_match', 'high', 'open', investor.investorId],
      ['potential_match', 'medium', 'open', investor.investorId],
    ]);
    const [karimov] = cases;
    expect(karimov).toMatchObject({
      key: `potential_match|${investor.investorId}|1001|${record.subjectHash}|${record.matches[0]!.evidence!.entryHash}`,
      evidence: {
        listVersion: LIST.version.id,
        screenedAt: NOW.toISOString(),
        subjectHash: record.subjectHash,
        screened: { name: 'Rustam Karimov', dateOfBirth: '1961-03-05', country: 'UZ', wallets: [CLEAN_WALLET] },
        entry: { sdnId: 1001, name: 'KARIMOV, Rustam', programs: ['SDGT'] },
        matchedOn: 'name',
        score: 1,
        facts: { dateOfBirth: 'exact', country: 'match', type: 'match' },
      },
    });
    expect(world.allowlist.requests).toEqual([]);
    expect(world.auditStore.types(streamOf(investor.investorId))).toEqual(['screening.completed']);
    expect(world.auditStore.records(streamOf(investor.investorId))[0]!.data).toMatchObject({
      verdict: 'review',
      matches: [
        { sdnId: 1001, score: 1, matchedOn: 'name' },
        { sdnId: 1003, score: expect.any(Number), matchedOn: 'name' },
      ],
    });
  });

  it('repeats nothing when the message is delivered again', async () => {
    const world = screeningWorld();
    const investor = world.investors.put(rustam());
    const first = await screenInvestor(world.deps, investor.investorId);
    const auditCount = world.auditStore.all().length;

    await expect(screenInvestor(world.deps, investor.investorId)).resolves.toEqual(first);
    expect(world.cases.all()).toHaveLength(2);
    expect(world.auditStore.all()).toHaveLength(auditCount);
    expect(world.screenings.of(investor.investorId)).toHaveLength(1);
  });

  it('sets aside hits officers cleared as false positives: with none left the investor becomes eligible', async () => {
    const world = screeningWorld();
    const investor = world.investors.put(rustam());
    await screenInvestor(world.deps, investor.investorId);
    const [first, second] = world.cases.all();

    await world.clearAsFalsePositive(first!);
    await expect(screenInvestor(world.deps, investor.investorId)).resolves.toMatchObject({ status: 'screened' });
    expect(world.allowlist.requests).toEqual([]);

    await world.clearAsFalsePositive(second!);
    const after = await screenInvestor(world.deps, investor.investorId);
    expect(after.status).toBe('eligible');
    expect(world.auditStore.records(streamOf(investor.investorId)).at(-1)).toMatchObject({
      type: 'investor.eligible',
      data: { listVersion: LIST.version.id, clearedCaseIds: expect.arrayContaining([first!.caseId, second!.caseId]) },
    });
    expect(world.allowlist.summary()).toEqual([`add ${CLEAN_WALLET}@1`, `add ${CLEAN_WALLET}@137`]);
  });

  it('raises a cleared hit again, as a new case, once the investor’s data changes', async () => {
    const world = screeningWorld();
    const investor = world.investors.put(rustam());
    await screenInvestor(world.deps, investor.investorId);
    for (const found of world.cases.all()) await world.clearAsFalsePositive(found);
    const eligible = await screenInvestor(world.deps, investor.investorId);

    // A new wallet changes what was screened: the clearances were for the old data.
    const changed: Investor = { ...eligible, wallets: [...eligible.wallets, OTHER_WALLET], version: eligible.version + 1 };
    await world.investors.save(changed);
    const after = await screenInvestor(world.deps, investor.investorId, { reason: 'wallet added' });

    expect(after.status).toBe('eligible');
    expect(world.cases.all().filter((found) => found.status === 'open')).toHaveLength(2);
    expect(world.screenings.of(investor.investorId)).toHaveLength(2);
    // Hits uncleared: no add for the new wallet.
    expect(world.allowlist.summary()).not.toContain(`add ${OTHER_WALLET}@1`);
  });
});

describe('screenInvestor: a wallet on the list', () => {
  const walletHitKey = (investor: Investor, subjectHash: string, entryHash: string) =>
    `wallet_hit|${investor.investorId}|2001|${LISTED_WALLET.toLowerCase()}|${subjectHash}|${entryHash}`;

  it('opens a high-risk wallet-hit case and suspends a newly approved investor, with nothing to freeze', async () => {
    const world = screeningWorld();
    const investor = world.investors.put(anInvestor({ wallets: [CLEAN_WALLET, LISTED_WALLET] }));

    const after = await screenInvestor(world.deps, investor.investorId);

    expect(after).toMatchObject({ status: 'suspended', suspension: { kind: 'sanctions', reason: 'sanctions wallet hit', at: NOW.toISOString() } });
    const record = (await world.screenings.latest(investor.investorId))!;
    expect(record.verdict).toBe('block');
    const opened = await world.cases.get(caseIdFor(walletHitKey(investor, record.subjectHash, record.matches[0]!.evidence!.entryHash)));
    expect(opened).toMatchObject({ type: 'wallet_hit', risk: 'high', status: 'open', evidence: { wallet: LISTED_WALLET.toLowerCase(), matchedOn: 'address' } });
    expect(world.allowlist.requests).toEqual([]);
    expect(world.auditStore.types(streamOf(investor.investorId))).toEqual(['screening.completed', 'investor.suspended']);
    expect(world.auditStore.records(streamOf(investor.investorId))[1]!.data).toMatchObject({
      from: 'kyc_approved',
      to: 'suspended',
      sdnIds: [2001],
      caseIds: [opened!.caseId],
      allowlistFreezeRequested: false,
    });
  });

  it.each(['eligible', 'allowlisted'] as const)('freezes then removes every wallet of a %s investor on every registry, then suspends', async (status) => {
    const world = screeningWorld();
    const investor = world.investors.put(anInvestor({ status, wallets: [CLEAN_WALLET, LISTED_WALLET.toLowerCase()] }));

    const after = await screenInvestor(world.deps, investor.investorId, { reason: 'list changed' });

    expect(after).toMatchObject({ status: 'suspended', suspension: { kind: 'sanctions' }, version: investor.version + 1 });
    for (const registry of REGISTRIES) {
      expect(world.allowlist.requests.filter((change) => change.chainId === registry.chainId).map((change) => `${change.action} ${change.wallet}`)).toEqual([
        `freeze ${CLEAN_WALLET}`,
        `remove ${CLEAN_WALLET}`,
        `freeze ${LISTED_WALLET.toLowerCase()}`,
        `remove ${LISTED_WALLET.toLowerCase()}`,
      ]);
    }
    expect(world.auditStore.records(streamOf(investor.investorId)).at(-1)!.data).toMatchObject({ from: status, allowlistFreezeRequested: true });
  });

  it('freezes the wallets of an investor an operator suspended and makes it a sanctions suspension, once', async () => {
    const world = screeningWorld();
    const operator = { kind: 'operator' as const, reason: 'court order', at: '2026-11-01T00:00:00.000Z' };
    const investor = world.investors.put(anInvestor({ status: 'suspended', suspension: operator, wallets: [CLEAN_WALLET, LISTED_WALLET] }));

    const after = await screenInvestor(world.deps, investor.investorId, { reason: 'list changed' });
    expect(after).toMatchObject({ status: 'suspended', suspension: { kind: 'sanctions', reason: 'sanctions wallet hit' }, version: investor.version + 1 });
    expect(world.allowlist.summary().sort()).toEqual([
      `freeze ${CLEAN_WALLET}@1`,
      `freeze ${CLEAN_WALLET}@137`,
      `freeze ${LISTED_WALLET}@1`,
      `freeze ${LISTED_WALLET}@137`,
    ]);
    expect(world.auditStore.records(streamOf(investor.investorId)).at(-1)).toMatchObject({
      type: 'investor.suspended',
      data: { from: 'suspended', to: 'suspended', previousSuspension: 'operator', sdnIds: [2001], allowlistFreezeRequested: true },
    });

    // Redelivered: already a sanctions suspension, nothing more.
    await expect(screenInvestor(world.deps, investor.investorId, { reason: 'list changed' })).resolves.toEqual(after);
    expect(world.allowlist.requests).toHaveLength(4);
  });

  it('stays suspended when officers clear only the name hits beside a wallet hit', async () => {
    const world = screeningWorld();
    const investor = world.investors.put(rustam({ status: 'eligible', wallets: [LISTED_WALLET] }));
    await screenInvestor(world.deps, investor.investorId);
    const nameCases = world.cases.all().filter((found) => found.type === 'potential_match');
    expect(nameCases).toHaveLength(2);
    for (const found of nameCases) await world.clearAsFalsePositive(found);
    // A clearance of the name hits leaves the wallet hit: the investor stays suspended.
    const after = await screenInvestor(world.deps, investor.investorId);
    expect(after).toMatchObject({ status: 'suspended', suspension: { kind: 'sanctions' } });
  });
});

describe('screenInvestor resumes a run that crashed', () => {
  it('after the screening was stored but before the investor moved: finishes without screening or auditing twice', async () => {
    const world = screeningWorld();
    const investor = world.investors.put(anInvestor());
    world.investors.crashes = 1;
    await expect(screenInvestor(world.deps, investor.investorId)).rejects.toThrow('crashed before the save');
    expect(await world.current(investor.investorId)).toEqual(investor);
    expect(world.screenings.of(investor.investorId)).toHaveLength(1);

    const after = await screenInvestor(world.deps, investor.investorId);
    expect(after).toMatchObject({ status: 'eligible', version: investor.version + 2 });
    expect(world.screenings.of(investor.investorId)).toHaveLength(1);
    expect(world.auditStore.types(streamOf(investor.investorId))).toEqual(['screening.completed', 'investor.eligible']);
    expect(world.allowlist.summary()).toHaveLength(2);
  });

  it('after the move to screened, before eligible: continues from the stored step', async () => {
    const world = screeningWorld();
    const investor = world.investors.put(anInvestor());
    await expect(
      (async () => {
        // The first save (screened) goes through, the second (eligible) crashes.
        const save = world.investors.save.bind(world.investors);
        let saves = 0;
        world.investors.save = async (...args) => {
          if (++saves === 2) throw new Error('crashed before the save');
          return save(...args);
        };
        try {
          await screenInvestor(world.deps, investor.investorId);
        } finally {
          world.investors.save = save;
        }
      })(),
    ).rejects.toThrow('crashed before the save');
    expect((await world.current(investor.investorId)).status).toBe('screened');

    const after = await screenInvestor(world.deps, investor.investorId);
    expect(after).toMatchObject({ status: 'eligible', version: investor.version + 2 });
    expect(world.auditStore.types(streamOf(investor.investorId))).toEqual(['screening.completed', 'investor.eligible']);
  });

  it('after the freeze and removal were requested, before the suspension was saved: requests them again, suspends once', async () => {
    const world = screeningWorld();
    const investor = world.investors.put(anInvestor({ status: 'allowlisted', wallets: [LISTED_WALLET] }));
    world.investors.crashes = 1;
    await expect(screenInvestor(world.deps, investor.investorId)).rejects.toThrow('crashed before the save');
    const requested = [`freeze ${LISTED_WALLET}@1`, `freeze ${LISTED_WALLET}@137`, `remove ${LISTED_WALLET}@1`, `remove ${LISTED_WALLET}@137`];
    expect(world.allowlist.summary().sort()).toEqual(requested);
    expect((await world.current(investor.investorId)).status).toBe('allowlisted');

    const after = await screenInvestor(world.deps, investor.investorId);
    expect(after.status).toBe('suspended');
    // The same changes, keyed by the same investor version: FIFO de-duplication sends them once.
    expect(world.allowlist.summary().sort()).toEqual(requested);
    expect(world.auditStore.types(streamOf(investor.investorId))).toEqual(['screening.completed', 'investor.suspended']);
  });
});

describe('screenInvestor across list versions', () => {
  it('keeps one result per list version and marks a hit stale when its entry leaves the list', async () => {
    const world = screeningWorld();
    const investor = world.investors.put(rustam());
    await screenInvestor(world.deps, investor.investorId);

    const delisted = syntheticList([KARIMOV_NAMESAKE, MIXER], '2026-11-15');
    world.lists.publish(delisted);
    world.later(3_600_000);
    const after = await screenInvestor(world.deps, investor.investorId, { reason: 'list changed', listVersion: delisted.version.id });
    await screenInvestor(world.deps, investor.investorId, { reason: 'list changed', listVersion: delisted.version.id });

    const latest = (await world.screenings.latest(investor.investorId))!;
    expect(latest).toMatchObject({ listVersion: delisted.version.id, reason: 'list changed' });
    expect(latest.matches.map((match) => match.sdnId)).toEqual([1003]);
    expect(latest.staleMatches.map((match) => match.sdnId)).toEqual([1001]);
    expect(
      world.screenings
        .of(investor.investorId)
        .map((record) => record.listVersion)
        .sort(),
    ).toEqual([LIST.version.id, delisted.version.id].sort());
    expect(
      world.auditStore
        .records(streamOf(investor.investorId))
        .filter((record) => record.type === 'screening.completed')
        .at(-1)!.data,
    ).toMatchObject({
      listVersion: delisted.version.id,
      staleSdnIds: [1001],
    });
    // The namesake's case is still open: the investor stays screened.
    expect(after.status).toBe('screened');
  });
});

describe('screenInvestor with the real 2024-05-03 list', () => {
  const listedEth = realList().entries.flatMap((entry) =>
    entry.wallets.filter((wallet) => wallet.address.startsWith('0x')).map((wallet) => ({ sdnId: entry.sdnId, address: wallet.address })),
  )[0]!;

  function realWorld() {
    const world = screeningWorld(null);
    world.lists.use(realEngine());
    return world;
  }

  it('opens a high-risk potential-match case for a listed head of state, corroborated by the date of birth', async () => {
    const world = realWorld();
    const investor = world.investors.put(anInvestor({ legalName: 'Nicolás Maduro Moros', dateOfBirth: '1962-11-23', countryOfResidence: 'VE' }));
    expect(await screenInvestor(world.deps, investor.investorId)).toMatchObject({ status: 'screened' });
    const record = (await world.screenings.latest(investor.investorId))!;
    const match = record.matches.find((candidate) => candidate.sdnId === 22790)!;
    expect(await world.cases.get(caseIdFor(`potential_match|${investor.investorId}|22790|${record.subjectHash}|${match.evidence!.entryHash}`))).toMatchObject({
      type: 'potential_match',
      risk: 'high',
      evidence: { matchedOn: 'name', facts: { dateOfBirth: 'exact' } },
    });
  });

  it('blocks a listed Ethereum address, whatever its case', async () => {
    const world = realWorld();
    const investor = world.investors.put(anInvestor({ status: 'allowlisted', wallets: [listedEth.address.toLowerCase()] }));
    expect(await screenInvestor(world.deps, investor.investorId)).toMatchObject({ status: 'suspended', suspension: { kind: 'sanctions' } });
    expect(world.cases.all()).toEqual([
      expect.objectContaining({ type: 'wallet_hit', evidence: expect.objectContaining({ entry: expect.objectContaining({ sdnId: listedEth.sdnId }) }) }),
    ]);
    expect(world.allowlist.summary().filter((line) => line.startsWith('freeze'))).toHaveLength(REGISTRIES.length);
  });

  it('clears an ordinary investor', async () => {
    const world = realWorld();
    const investor = world.investors.put(anInvestor({ legalName: 'Margaret Thornbury-Ellis', dateOfBirth: '1984-07-19' }));
    expect(await screenInvestor(world.deps, investor.investorId)).toMatchObject({ status: 'eligible' });
  });
});
