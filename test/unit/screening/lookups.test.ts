import { NotFoundError, ValidationError } from '../../../lambda/shared';
import { ListEntryLookup, investorScreenings, parseSdnId, type SanctionsList } from '../../../lambda/modules/screening';
import type { ScreeningRecord } from '../../../lambda/modules/screening/ports';
import { InMemoryListVersionRepository, InMemoryScreeningRepository, InMemorySnapshotStore } from '../../../lambda/modules/screening/fakes';
import { InMemoryInvestorRepository, anInvestor } from '../../../lambda/modules/investors/fakes';
import { realList, realNonSdnList } from '../../helpers/ofac-data';

const screening = (investorId: string, listVersion: string, screenedAt: string, verdict: ScreeningRecord['verdict'] = 'clear'): ScreeningRecord => ({
  investorId,
  listVersion,
  subjectHash: `hash-${listVersion}`,
  screenedAt,
  reason: 'list changed',
  verdict,
  matches: [],
  staleMatches: [],
});

describe("an investor's screenings", () => {
  it('lists every screening, one per list version, newest first, "no hit" included', async () => {
    const investor = anInvestor();
    const screenings = new InMemoryScreeningRepository();
    await screenings.saveIfAbsent(screening(investor.investorId, 'ofac-sdn:2023-12-28:aaaa', '2026-01-01T10:00:00.000Z'));
    await screenings.saveIfAbsent(screening(investor.investorId, 'ofac-sdn:2024-05-03:bbbb', '2026-02-01T10:00:00.000Z', 'review'));
    await screenings.saveIfAbsent(screening('someone-else', 'ofac-sdn:2024-05-03:bbbb', '2026-02-01T10:00:00.000Z'));
    const found = await investorScreenings({ investors: new InMemoryInvestorRepository([investor]), screenings }, investor.investorId);
    expect(found.screenings.map((record) => [record.listVersion, record.verdict])).toEqual([
      ['ofac-sdn:2024-05-03:bbbb', 'review'],
      ['ofac-sdn:2023-12-28:aaaa', 'clear'],
    ]);
  });

  it('is a 404 for an investor that does not exist', async () => {
    const deps = { investors: new InMemoryInvestorRepository(), screenings: new InMemoryScreeningRepository() };
    await expect(investorScreenings(deps, 'nobody')).rejects.toThrow(NotFoundError);
  });
});

/** Lists recorded as the refresh records them: a snapshot, and a version record naming it. */
async function recorded(...lists: SanctionsList[]) {
  const versions = new InMemoryListVersionRepository();
  const snapshots = new InMemorySnapshotStore();
  for (const list of lists) {
    const snapshotKey = await snapshots.put(list, []);
    await versions.recordIfAbsent({ ...list.version, recordedAt: '2026-01-05T10:00:00.000Z', snapshotKey, diff: { added: [], removed: [], changed: [] } });
  }
  return { versions, snapshots };
}

describe('listed entries of a list version', () => {
  const list = realList();
  const later = (listDate: string, hash: string): SanctionsList => ({
    version: { ...list.version, id: `ofac-sdn:${listDate}:${hash}`, listDate, contentHash: hash.repeat(16) },
    entries: list.entries.slice(0, 10),
  });
  const second = later('2024-05-04', 'cccc');
  const third = later('2024-05-05', 'dddd');

  it('gives the entry as published, with aliases, programs, dates of birth, addresses and remarks, and its version', async () => {
    const lookup = new ListEntryLookup(await recorded(list));
    const { listVersion, entry } = await lookup.entry(list.version.id, 22790);
    expect(listVersion).toMatchObject({ id: list.version.id, listDate: '2024-05-03', entryCount: list.entries.length, recordedAt: expect.any(String) });
    expect(entry).toMatchObject({
      sdnId: 22790,
      name: 'MADURO MOROS, Nicolas',
      programs: ['VENEZUELA', 'IRAN-CON-ARMS-EO'],
      datesOfBirth: [expect.objectContaining({ text: '23 Nov 1962', exactDay: true })],
      addresses: ['Caracas, Capital District, Venezuela'],
      remarks: expect.stringContaining('Cedula No. 5892464'),
    });
  });

  it('reads a version once while it stays among the last ones used, and again once it was let go', async () => {
    const deps = await recorded(list, second, third);
    const lookup = new ListEntryLookup(deps, 2);
    const loads = () => deps.snapshots.loads.length;
    const sdnId = list.entries[0]!.sdnId;
    await lookup.entry(list.version.id, sdnId);
    await lookup.entry(list.version.id, list.entries[1]!.sdnId);
    await lookup.entry(second.version.id, sdnId);
    expect(loads()).toBe(2);
    await lookup.entry(list.version.id, sdnId);
    await lookup.entry(third.version.id, sdnId);
    expect(loads()).toBe(3);
    await lookup.entry(second.version.id, sdnId);
    expect(loads()).toBe(4);
  });

  it('is a 404 for a version never recorded or an entry the version does not hold, and a 400 for an id that is not a number', async () => {
    const lookup = new ListEntryLookup(await recorded(second));
    await expect(lookup.entry('ofac-sdn:1999-01-01:0000', 22790)).rejects.toThrow(NotFoundError);
    await expect(lookup.entry(second.version.id, 22790)).rejects.toThrow(NotFoundError);
    expect(parseSdnId('22790')).toBe(22790);
    for (const bad of [undefined, '', '0', '-1', '1.5', 'abc', '1e3', '12345678901']) expect(() => parseSdnId(bad)).toThrow(ValidationError);
  });

  it('finds the entry of a screening of several lists in the list that has it, the SDN list first', async () => {
    const cons = realNonSdnList();
    const lookup = new ListEntryLookup(await recorded(list, cons));
    const both = `${list.version.id}+${cons.version.id}`;
    expect(await lookup.entry(both, 17022)).toMatchObject({
      listVersion: { id: cons.version.id },
      entry: { name: 'OPEN JOINT-STOCK COMPANY ROSNEFT OIL COMPANY' },
    });
    expect(await lookup.entry(both, 306)).toMatchObject({ listVersion: { id: list.version.id }, entry: { name: 'BANCO NACIONAL DE CUBA' } });
    await expect(lookup.entry(both, 999999999)).rejects.toThrow(NotFoundError);
  });
});
