import { ConflictError, InvariantError } from '../../../lambda/shared';
import type { ListVersionRecord, ScreeningRecord } from '../../../lambda/modules/screening/ports';
import {
  InMemoryInvestorBook,
  InMemoryListSource,
  InMemoryListVersionRepository,
  InMemoryScreeningRepository,
  InMemorySnapshotStore,
} from '../../../lambda/modules/screening/fakes';
import { sdnEntry, sdnXmlFiles, syntheticList } from '../../helpers/synthetic-list';

const screening = (overrides: Partial<ScreeningRecord> = {}): ScreeningRecord => ({
  investorId: 'inv-1',
  subjectHash: 'a'.repeat(64),
  screenedAt: '2026-11-24T12:00:00.000Z',
  reason: 'registered',
  staleMatches: [],
  verdict: 'clear',
  listVersion: 'ofac-sdn:2026-11-01:0000000000000001',
  matches: [],
  ...overrides,
});

const version = (id: string): ListVersionRecord => ({
  id,
  listDate: '2026-11-01',
  dateSource: 'publish_date',
  contentHash: id.padEnd(64, '0'),
  format: 'sdn_xml',
  entryCount: 1,
  recordedAt: '2026-11-24T12:00:00.000Z',
  snapshotKey: `ofac-sdn/2026-11-01/${id}/list.json.gz`,
  diff: { added: [1], removed: [], changed: [] },
});

// The contracts of the DynamoDB and S3 adapters, which the unit tests rely on.
describe('InMemoryScreeningRepository', () => {
  it('stores one record per investor, list version and data, and returns the first to a repeat', async () => {
    const repository = new InMemoryScreeningRepository();
    await repository.saveIfAbsent(screening());
    expect(await repository.saveIfAbsent(screening({ reason: 'list changed' }))).toEqual(screening());
    await repository.saveIfAbsent(screening({ subjectHash: 'b'.repeat(64) }));
    await repository.saveIfAbsent(screening({ investorId: 'inv-2' }));
    expect(repository.of('inv-1')).toHaveLength(2);
    expect(await repository.find('inv-1', screening().listVersion, 'b'.repeat(64))).toMatchObject({ subjectHash: 'b'.repeat(64) });
    expect(await repository.find('inv-3', screening().listVersion, 'a'.repeat(64))).toBeUndefined();
  });

  it('finds the latest by screening time, the first in key order on a tie', async () => {
    const repository = new InMemoryScreeningRepository();
    await repository.saveIfAbsent(screening({ listVersion: 'v2', screenedAt: '2026-11-24T12:00:00.000Z' }));
    await repository.saveIfAbsent(screening({ listVersion: 'v1', screenedAt: '2026-11-24T12:00:00.000Z' }));
    expect((await repository.latest('inv-1'))!.listVersion).toBe('v1');
    await repository.saveIfAbsent(screening({ listVersion: 'v0', screenedAt: '2026-11-24T13:00:00.000Z' }));
    expect((await repository.latest('inv-1'))!.listVersion).toBe('v0');
    expect(await repository.latest('inv-9')).toBeUndefined();
  });
});

describe('InMemoryListVersionRepository', () => {
  it('records a version once', async () => {
    const versions = new InMemoryListVersionRepository();
    await versions.recordIfAbsent(version('v1'));
    await versions.recordIfAbsent({ ...version('v1'), entryCount: 99 });
    expect(await versions.get('v1')).toEqual(version('v1'));
    expect(await versions.current()).toBeUndefined();
  });

  it('moves the current pointer only from the expected version, or to where it already is', async () => {
    const versions = new InMemoryListVersionRepository();
    for (const id of ['v1', 'v2', 'v3']) await versions.recordIfAbsent(version(id));
    await expect(versions.promote('v1', 'v0')).rejects.toThrow(ConflictError);
    await versions.promote('v1', undefined);
    await versions.promote('v1', undefined);
    await expect(versions.promote('v2', undefined)).rejects.toThrow(ConflictError);
    await versions.promote('v2', 'v1');
    await versions.promote('v2', 'v1');
    await expect(versions.promote('v3', 'v1')).rejects.toThrow(ConflictError);
    expect((await versions.current())!.id).toBe('v2');
  });

  it('marks a version re-screened once, and only a recorded one', async () => {
    const versions = new InMemoryListVersionRepository();
    await versions.recordIfAbsent(version('v1'));
    await versions.markRescreenRequested('v1', '2026-11-24T12:00:00.000Z');
    await versions.markRescreenRequested('v1', '2026-11-24T13:00:00.000Z');
    expect((await versions.get('v1'))!.rescreenRequestedAt).toBe('2026-11-24T12:00:00.000Z');
    await expect(versions.markRescreenRequested('v9', '2026-11-24T12:00:00.000Z')).rejects.toThrow(InvariantError);
  });
});

describe('InMemorySnapshotStore', () => {
  it('keys a snapshot by list date and content hash, and loads a copy of the list as stored', async () => {
    const snapshots = new InMemorySnapshotStore();
    const files = sdnXmlFiles([sdnEntry({ sdnId: 1, name: 'KARIMOV, Rustam' })], '2026-11-01');
    const list = syntheticList([sdnEntry({ sdnId: 1, name: 'KARIMOV, Rustam' })], '2026-11-01');
    const key = await snapshots.put(list, files);
    expect(key).toBe(`ofac-sdn/2026-11-01/${list.version.contentHash}/list.json.gz`);
    expect(await snapshots.put(list, files)).toBe(key);
    const loaded = await snapshots.load(key);
    expect(loaded).toEqual(list);
    expect(loaded).not.toBe(list);
    expect(snapshots.filesOf(key)).toEqual(['sdn.xml']);
    await expect(snapshots.load('ofac-sdn/none/list.json.gz')).rejects.toThrow(InvariantError);
  });
});

describe('InMemoryInvestorBook and InMemoryListSource', () => {
  it('pages the book without an empty page', async () => {
    const pages: (readonly string[])[] = [];
    for await (const page of InMemoryInvestorBook.of(['a', 'b', 'c', 'd'], 2).investorIds()) pages.push(page);
    expect(pages).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    for await (const page of InMemoryInvestorBook.of([]).investorIds()) pages.push(page);
    expect(pages).toHaveLength(2);
  });

  it('serves the publication it holds, as copies, until another is published', async () => {
    const source = new InMemoryListSource([{ name: 'sdn.xml', bytes: Buffer.from('one') }], '2026-11-01');
    const first = await source.fetch();
    (first.files[0]!.bytes as Uint8Array)[0] = 0;
    expect(Buffer.from((await source.fetch()).files[0]!.bytes).toString()).toBe('one');
    source.publish([{ name: 'sdn.xml', bytes: Buffer.from('two') }], '2026-11-15');
    expect(await source.fetch()).toMatchObject({ fileDate: '2026-11-15' });
    expect(source.fetches).toBe(3);
  });
});
