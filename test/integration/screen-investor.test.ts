import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../lambda/platform/aws/dynamo';
import { FolderListSource } from '../../lambda/modules/screening/adapters';
import { caseIdFor } from '../../lambda/modules/cases';
import { transition, type Investor } from '../../lambda/modules/investors';
import { diffLists } from '../../lambda/modules/screening/diff';
import { entryHashOf } from '../../lambda/modules/screening/list';
import { refreshSanctionsList, screenInvestor, subjectHashOf } from '../../lambda/modules/screening';
import { subjectOf } from '../../lambda/modules/screening/subject';
import type { ScreenInvestorDeps } from '../../lambda/modules/screening/screen-investor';
import { LIST_2023_12_28, LIST_2024_05_03, NON_SDN_LIST, realList } from '../helpers/ofac-data';
import { drain, screeningSystem, storedInvestor } from '../helpers/screening-system';

const REGISTRY = { chainId: 31337, identityRegistry: '0x5FbDB2315678afecb367f032d93F642f64180aa3' };
/** The first listed Ethereum address of the 2024-05-03 list, and its entry. */
const listedEth = realList().entries.flatMap((entry) =>
  entry.wallets.filter((wallet) => wallet.address.startsWith('0x')).map((wallet) => ({ sdnId: entry.sdnId, address: wallet.address })),
)[0]!;

async function auditTypes(table: string, investorId: string): Promise<string[]> {
  const { Items = [] } = await documentClient().send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'stream' },
      ExpressionAttributeValues: { ':s': `investor#${investorId}` },
      ConsistentRead: true,
    }),
  );
  return Items.map((item) => item.type as string);
}

async function setup(listDir = LIST_2024_05_03, ...more: string[]) {
  const system = await screeningSystem();
  for (const folder of [listDir, ...more]) await refreshSanctionsList({ ...system, actor: 'system:test' }, new FolderListSource(folder));
  const deps: ScreenInvestorDeps = { ...system, registries: [REGISTRY], actor: 'system:test' };
  return { system, deps };
}

/** Moves a stored investor along the lifecycle as the workers would. */
async function advance(deps: ScreenInvestorDeps, investor: Investor, ...steps: Investor['status'][]): Promise<Investor> {
  let current = investor;
  for (const step of steps) {
    current = transition(current, step, new Date());
    await deps.investors.save(current);
  }
  return current;
}

describe('screenInvestor with the real list on DynamoDB Local and fauxqs', () => {
  it('clears a clean investor, records the "no hit" result and requests the allowlist add', async () => {
    const { system, deps } = await setup();
    const investor = await storedInvestor(system.investors);
    const after = await screenInvestor(deps, investor.investorId);
    expect(after.status).toBe('eligible');
    const record = await system.screenings.latest(investor.investorId);
    expect(record).toMatchObject({
      verdict: 'clear',
      matches: [],
      listVersion: (await system.versions.current())!.id,
      reason: 'registered',
      subjectHash: subjectHashOf(subjectOf(investor)),
    });
    expect(await drain(system.allowlistQueue)).toEqual([
      expect.objectContaining({ action: 'add', investorId: investor.investorId, wallet: investor.wallets[0] }),
    ]);
    expect(await auditTypes(system.auditTable, investor.investorId)).toEqual(['screening.completed', 'investor.eligible']);
  });

  it('opens a potential-match case for a listed name and does not make the investor eligible', async () => {
    const { system, deps } = await setup();
    const investor = await storedInvestor(system.investors, { legalName: 'Nicolás Maduro Moros', dateOfBirth: '1962-11-23', countryOfResidence: 'VE' });
    const after = await screenInvestor(deps, investor.investorId);
    expect(after.status).toBe('screened');
    const record = (await system.screenings.latest(investor.investorId))!;
    expect(record.verdict).toBe('review');
    const match = record.matches.find((candidate) => candidate.sdnId === 22790)!;
    const key = `potential_match|${investor.investorId}|22790|${record.subjectHash}|${match.evidence!.entryHash}`;
    const opened = await system.cases.get(caseIdFor(key));
    expect(opened).toMatchObject({ type: 'potential_match', investorId: investor.investorId, status: 'open', risk: 'high', key });
    expect(opened!.evidence).toMatchObject({ listVersion: record.listVersion, entry: { sdnId: 22790 }, matchedOn: 'name', facts: { dateOfBirth: 'exact' } });
    expect(await drain(system.allowlistQueue)).toEqual([]);

    // Redelivered: nothing repeats.
    await screenInvestor(deps, investor.investorId);
    expect(await auditTypes(system.auditTable, investor.investorId)).toEqual(['screening.completed']);
  });

  it('suspends an investor whose wallet is listed, with a high-risk wallet-hit case and no freeze when nothing is on chain', async () => {
    const { system, deps } = await setup();
    const investor = await storedInvestor(system.investors, { wallets: [listedEth.address.toLowerCase()] });
    const after = await screenInvestor(deps, investor.investorId);
    expect(after.status).toBe('suspended');
    const entry = realList().entries.find((candidate) => candidate.sdnId === listedEth.sdnId)!;
    const opened = await system.cases.get(
      caseIdFor(
        `wallet_hit|${investor.investorId}|${listedEth.sdnId}|${listedEth.address.toLowerCase()}|${subjectHashOf(subjectOf(investor))}|${entryHashOf(entry)}`,
      ),
    );
    expect(opened).toMatchObject({ type: 'wallet_hit', risk: 'high', status: 'open' });
    expect(await drain(system.allowlistQueue)).toEqual([]);
    expect(await auditTypes(system.auditTable, investor.investorId)).toEqual(['screening.completed', 'investor.suspended']);
  });

  it('freezes the wallets of an investor an operator suspended when one of them is listed, and makes it a sanctions suspension', async () => {
    const { system, deps } = await setup();
    const suspension = { kind: 'operator' as const, reason: 'court order', at: new Date().toISOString() };
    const investor = await storedInvestor(system.investors, {
      status: 'suspended',
      suspension,
      wallets: ['0x3333333333333333333333333333333333333333', listedEth.address.toLowerCase()],
    });
    const after = await screenInvestor(deps, investor.investorId, { reason: 'list changed' });
    expect(after).toMatchObject({ status: 'suspended', suspension: { kind: 'sanctions' }, version: investor.version + 1 });
    const requests = await drain(system.allowlistQueue);
    expect(requests.map((request) => `${request.action} ${request.wallet}`).sort()).toEqual(
      deps.registries.flatMap(() => investor.wallets.map((wallet) => `freeze ${wallet}`)).sort(),
    );
    expect(await auditTypes(system.auditTable, investor.investorId)).toEqual(['screening.completed', 'investor.suspended']);
    // A second run (a redelivered message) changes nothing more.
    await screenInvestor(deps, investor.investorId, { reason: 'list changed' });
    expect((await system.investors.get(investor.investorId))!.version).toBe(investor.version + 1);
  });

  it('freezes then removes every wallet on every registry when a list change hits an allowlisted investor', async () => {
    const { system, deps } = await setup(LIST_2023_12_28);
    const address = realList()
      .entries.flatMap((entry) => entry.wallets)
      .map((wallet) => wallet.address)
      .find(
        (candidate) =>
          candidate.startsWith('0x') && !realList(LIST_2023_12_28).entries.some((entry) => entry.wallets.some((wallet) => wallet.address === candidate)),
      )!;
    expect(address).toBeDefined();
    const stored = await storedInvestor(system.investors, { wallets: ['0x2222222222222222222222222222222222222222', address.toLowerCase()] });
    const eligible = await screenInvestor(deps, stored.investorId);
    expect(eligible.status).toBe('eligible');
    await advance(deps, eligible, 'allowlisted');
    await drain(system.allowlistQueue);

    const refreshed = await refreshSanctionsList({ ...system, actor: 'system:test' }, new FolderListSource(LIST_2024_05_03));
    const after = await screenInvestor(deps, stored.investorId, { reason: 'list changed', listVersion: refreshed.version.id });
    expect(after.status).toBe('suspended');
    const requests = await drain(system.allowlistQueue);
    expect(requests.map((request) => `${request.action} ${request.wallet}`)).toEqual([
      'freeze 0x2222222222222222222222222222222222222222',
      'remove 0x2222222222222222222222222222222222222222',
      `freeze ${address.toLowerCase()}`,
      `remove ${address.toLowerCase()}`,
    ]);
    const history = await auditTypes(system.auditTable, stored.investorId);
    expect(history.slice(-2)).toEqual(['screening.completed', 'investor.suspended']);
  });

  it('marks a hit stale when its entry leaves the list, and keeps one result per list version', async () => {
    const { system, deps } = await setup(LIST_2023_12_28);
    const diff = diffLists(realList(LIST_2023_12_28), realList());
    const removed = realList(LIST_2023_12_28).entries.find(
      (entry) => diff.removed.includes(entry.sdnId) && entry.type === 'individual' && entry.name.split(/[ ,]+/).length >= 3,
    )!;
    const investor = await storedInvestor(system.investors, {
      legalName: removed.name.split(', ').reverse().join(' '),
      dateOfBirth: removed.datesOfBirth[0]?.from ?? '1960-01-01',
      countryOfResidence: removed.countries[0] ?? 'US',
    });
    await screenInvestor(deps, investor.investorId);
    const before = (await system.screenings.latest(investor.investorId))!;
    expect(before.matches.map((match) => match.sdnId)).toContain(removed.sdnId);

    const refreshed = await refreshSanctionsList({ ...system, actor: 'system:test' }, new FolderListSource(LIST_2024_05_03));
    await screenInvestor(deps, investor.investorId, { reason: 'list changed', listVersion: refreshed.version.id });
    await screenInvestor(deps, investor.investorId, { reason: 'list changed', listVersion: refreshed.version.id });
    const after = (await system.screenings.latest(investor.investorId))!;
    expect(after.listVersion).toBe(refreshed.version.id);
    expect(after.matches.map((match) => match.sdnId)).not.toContain(removed.sdnId);
    expect(after.staleMatches.map((match) => match.sdnId)).toContain(removed.sdnId);
    const screenings = (await auditTypes(system.auditTable, investor.investorId)).filter((type) => type === 'screening.completed');
    expect(screenings).toHaveLength(2);
  });

  it('opens a potential-match case for a non-SDN hit that names its list and what the listing means, and never blocks', async () => {
    const { system, deps } = await setup(LIST_2024_05_03, NON_SDN_LIST);
    const investor = await storedInvestor(system.investors, {
      legalName: 'Rosneft Oil Company',
      type: 'entity',
      dateOfBirth: undefined,
      countryOfResidence: 'RU',
    });
    const after = await screenInvestor(deps, investor.investorId);
    expect(after.status).toBe('screened');
    const record = (await system.screenings.latest(investor.investorId))!;
    expect(record.listVersion).toMatch(/^ofac-sdn:2024-05-03:[0-9a-f]{16}\+ofac-cons:/);
    const match = record.matches.find((candidate) => candidate.list === 'ofac-cons')!;
    expect(match).toMatchObject({ sdnId: 17022, outcome: 'review', programs: ['UKRAINE-EO13662', 'RUSSIA-EO14024'] });
    const key = `potential_match|${investor.investorId}|ofac-cons:17022|${record.subjectHash}|${match.evidence!.entryHash}`;
    const opened = await system.cases.get(caseIdFor(key));
    expect(opened).toMatchObject({
      type: 'potential_match',
      status: 'open',
      evidence: {
        outcome: 'review',
        list: { id: 'ofac-cons', blocking: false },
        listVersion: record.listVersions!['ofac-cons'],
        screenedAgainst: record.listVersion,
      },
    });
    expect((opened!.evidence.list as { meaning: string }).meaning).toMatch(/^SSI .*not blocked/);
    expect(await drain(system.allowlistQueue)).toEqual([]);
  });

  it('records after a list change what a full re-screen records, carrying results forward (delta) for every investor, "no hit" included', async () => {
    const { system, deps } = await setup(LIST_2023_12_28);
    const old = realList(LIST_2023_12_28);
    const diff = diffLists(old, realList());
    const removed = old.entries.filter((entry) => diff.removed.includes(entry.sdnId) && entry.type === 'individual').slice(0, 4);
    const added = realList()
      .entries.filter((entry) => diff.added.includes(entry.sdnId) && entry.type === 'individual')
      .slice(0, 4);
    const names = [...removed, ...added].map((entry) => entry.name.split(', ').reverse().join(' '));
    const investors = [];
    for (const legalName of [...names, 'Jane Doe', 'Mohammad Ali', 'Nicolás Maduro Moros', 'Maria Garcia']) {
      const stored = await storedInvestor(system.investors, { legalName });
      await screenInvestor(deps, stored.investorId);
      investors.push(stored);
    }
    const refreshed = await refreshSanctionsList({ ...system, actor: 'system:test' }, new FolderListSource(LIST_2024_05_03));
    expect(refreshed.version.rescreen).toBe('delta');
    const engine = await system.lists.current(refreshed.version.id);
    for (const investor of investors) {
      await screenInvestor(deps, investor.investorId, { reason: 'list changed', listVersion: refreshed.version.id });
      const record = (await system.screenings.latest(investor.investorId))!;
      expect(record.computedBy).toBe('delta');
      const current = (await system.investors.get(investor.investorId))!;
      const { verdict, listVersion, matches } = engine.screen(subjectOf(current));
      expect([investor.legalName, { verdict: record.verdict, listVersion: record.listVersion, matches: record.matches }]).toEqual([
        investor.legalName,
        { verdict, listVersion, matches },
      ]);
    }
    const verdicts = await Promise.all(investors.map(async (investor) => (await system.screenings.latest(investor.investorId))!.verdict));
    expect(verdicts).toContain('clear');
    expect(verdicts).toContain('review');
  });
});
