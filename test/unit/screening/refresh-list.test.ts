import { ConflictError } from '../../../lambda/shared';
import { ENGINE_VERSION, refreshSanctionsList } from '../../../lambda/modules/screening';
import { LIST_STREAM, type RefreshListDeps } from '../../../lambda/modules/screening/refresh-list';
import { ListFormatError } from '../../../lambda/modules/screening/errors';
import type { ListVersionRecord } from '../../../lambda/modules/screening/ports';
import {
  InMemoryInvestorBook,
  InMemoryListSource,
  InMemoryListVersionRepository,
  InMemorySnapshotStore,
  RecordingRescreenRequests,
} from '../../../lambda/modules/screening/fakes';
import { readListFolder } from '../../../lambda/modules/screening/adapters';
import { inMemoryAuditLog } from '../../../lambda/modules/audit/fakes';
import { LIST_2023_12_28, LIST_2024_05_03 } from '../../helpers/ofac-data';
import { bornOn, sdnEntry, sdnXmlFiles, syntheticList } from '../../helpers/synthetic-list';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const BOOK = ['inv-1', 'inv-2', 'inv-3', 'inv-4', 'inv-5'];

const KARIMOV = sdnEntry({ sdnId: 1001, name: 'KARIMOV, Rustam', datesOfBirth: [bornOn('1961-03-05')], countries: ['UZ'] });
const PETROV = sdnEntry({ sdnId: 1002, name: 'PETROV, Ivan' });
const MIXER = sdnEntry({
  sdnId: 2001,
  name: 'DARK MIXER',
  type: 'entity',
  wallets: [{ currency: 'ETH', address: '0xAbCdEf0000000000000000000000000000000001' }],
});
const FIRST = [KARIMOV, PETROV, MIXER];
/** PETROV delisted, KARIMOV's program changed, a new entry designated. */
const SECOND = [{ ...KARIMOV, programs: ['SDGT', 'RUSSIA-EO14024'] }, MIXER, sdnEntry({ sdnId: 3001, name: 'NEW DESIGNEE LLC', type: 'entity' })];

/** A versions repository in which a rival refresh runs between recording a version and promoting it. */
class RacingListVersionRepository extends InMemoryListVersionRepository {
  rival?: () => Promise<unknown>;
  override async recordIfAbsent(record: ListVersionRecord): Promise<void> {
    await super.recordIfAbsent(record);
    const rival = this.rival;
    this.rival = undefined;
    await rival?.();
  }
}

/** Re-screen requests whose next `n` calls fail (the queue unreachable mid-book). */
class FailingRescreenRequests extends RecordingRescreenRequests {
  failures = 0;
  override async requestMany(investorIds: readonly string[], reason: string, listVersion: string): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('queue unreachable');
    }
    return super.requestMany(investorIds, reason, listVersion);
  }
}

function refreshWorld(book: readonly string[] = BOOK) {
  const clock = { now: NOW };
  const { audit, store: auditStore } = inMemoryAuditLog(() => clock.now);
  const versions = new RacingListVersionRepository();
  const snapshots = new InMemorySnapshotStore();
  const rescreens = new FailingRescreenRequests();
  const deps: RefreshListDeps = {
    versions,
    snapshots,
    book: InMemoryInvestorBook.of(book, 2),
    rescreens,
    audit,
    actor: 'system:sanctions-refresh',
    now: () => clock.now,
  };
  const later = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  return { deps, versions, snapshots, rescreens, auditStore, later };
}

describe('refreshSanctionsList', () => {
  it('records a first publication: snapshot, version, audit record, current pointer, and the whole book queued for re-screening', async () => {
    const world = refreshWorld();
    const source = new InMemoryListSource(sdnXmlFiles(FIRST, '2026-11-01'), '2026-11-02', 'https://ofac.example/SDN.XML');
    const expected = syntheticList(FIRST, '2026-11-01');

    const result = await refreshSanctionsList(world.deps, source);

    expect(result).toMatchObject({ changed: true, investorsQueued: BOOK.length, diff: { added: [1001, 1002, 2001], removed: [], changed: [] } });
    expect(result.version).toMatchObject({ ...expected.version, recordedAt: NOW.toISOString(), previousVersionId: undefined });
    expect(await world.versions.current()).toEqual({ ...result.version, rescreenRequestedAt: NOW.toISOString() });
    expect(await world.snapshots.load(result.version.snapshotKey)).toEqual(expected);
    expect(world.snapshots.filesOf(result.version.snapshotKey)).toEqual(['sdn.xml']);
    expect(world.auditStore.records(LIST_STREAM)).toEqual([
      expect.objectContaining({
        type: 'sanctions_list.version_recorded',
        actor: 'system:sanctions-refresh',
        data: {
          list: 'ofac-sdn',
          versionId: expected.version.id,
          listDate: '2026-11-01',
          dateSource: 'publish_date',
          contentHash: expected.version.contentHash,
          format: 'sdn_xml',
          entryCount: 3,
          previousVersionId: null,
          source: 'https://ofac.example/SDN.XML',
          added: 3,
          removed: 0,
          changed: 0,
          // A first version is screened in full, by this engine.
          rescreen: 'full',
          engineVersion: ENGINE_VERSION,
        },
      }),
    ]);
    expect(world.rescreens.requests).toEqual(BOOK.map((investorId) => ({ investorId, reason: 'list changed', listVersion: expected.version.id })));
    // The book is read a page at a time and queued page by page.
    expect(world.rescreens.calls).toEqual([2, 2, 1]);
  });

  it('stops at the hash when the content is unchanged: nothing parsed, recorded or queued again', async () => {
    const world = refreshWorld();
    const source = new InMemoryListSource(sdnXmlFiles(FIRST, '2026-11-01'), '2026-11-02');
    const first = await refreshSanctionsList(world.deps, source);
    world.later(3_600_000);

    // The same files again, and a companion file that is not part of the publication.
    source.publish([...sdnXmlFiles(FIRST, '2026-11-01'), { name: 'readme.txt', bytes: Buffer.from('unrelated') }], '2026-11-03');
    const again = await refreshSanctionsList(world.deps, source);

    expect(again).toEqual({ changed: false, version: { ...first.version, rescreenRequestedAt: NOW.toISOString() }, investorsQueued: 0 });
    expect(world.versions.all()).toHaveLength(1);
    expect(world.snapshots.loads).toEqual([]);
    expect(world.auditStore.records(LIST_STREAM)).toHaveLength(1);
    expect(world.rescreens.requests).toHaveLength(BOOK.length);
  });

  it('records a new publication with its diff against the current one and queues the book for the new version', async () => {
    const world = refreshWorld();
    const source = new InMemoryListSource(sdnXmlFiles(FIRST, '2026-11-01'), '2026-11-01');
    const first = await refreshSanctionsList(world.deps, source);
    world.later(3_600_000);

    const second = await refreshSanctionsList(world.deps, source.publish(sdnXmlFiles(SECOND, '2026-11-15'), '2026-11-15'));

    expect(second.changed).toBe(true);
    expect(second.diff).toEqual({ added: [3001], removed: [1002], changed: [1001] });
    expect(second.version).toMatchObject({ previousVersionId: first.version.id, listDate: '2026-11-15', diff: second.diff });
    expect(world.snapshots.loads).toEqual([first.version.snapshotKey]);
    expect((await world.versions.current())!.id).toBe(second.version.id);
    expect(await world.versions.get(first.version.id)).toMatchObject({ rescreenRequestedAt: NOW.toISOString() });
    expect(world.rescreens.requests.slice(BOOK.length).map((request) => request.listVersion)).toEqual(BOOK.map(() => second.version.id));
    expect(world.auditStore.records(LIST_STREAM).at(-1)!.data).toMatchObject({ previousVersionId: first.version.id, added: 1, removed: 1, changed: 1 });
  });

  it('finishes a refresh that crashed while queuing the book: the next run finds the version recorded but not re-screened', async () => {
    const world = refreshWorld();
    const source = new InMemoryListSource(sdnXmlFiles(FIRST, '2026-11-01'), '2026-11-01');
    world.rescreens.failures = 1;
    await expect(refreshSanctionsList(world.deps, source)).rejects.toThrow('queue unreachable');
    const recorded = (await world.versions.current())!;
    expect(recorded.rescreenRequestedAt).toBeUndefined();

    world.later(60_000);
    const resumed = await refreshSanctionsList(world.deps, source);

    expect(resumed).toMatchObject({ changed: false, investorsQueued: BOOK.length });
    expect(await world.versions.current()).toMatchObject({ id: recorded.id, rescreenRequestedAt: new Date(NOW.getTime() + 60_000).toISOString() });
    expect(world.auditStore.records(LIST_STREAM)).toHaveLength(1);
    expect(world.rescreens.requests.map((request) => request.investorId)).toEqual(BOOK);
  });

  it('never lets two refreshes interleave their promotions: the one that lost the race fails and the winner stays current', async () => {
    const world = refreshWorld();
    const rivalSource = new InMemoryListSource(sdnXmlFiles(SECOND, '2026-11-15'), '2026-11-15');
    let rivalResult: Awaited<ReturnType<typeof refreshSanctionsList>> | undefined;
    // The rival runs inside our refresh, between our record and our promotion.
    world.versions.rival = async () => (rivalResult = await refreshSanctionsList(world.deps, rivalSource));
    const source = new InMemoryListSource(sdnXmlFiles(FIRST, '2026-11-01'), '2026-11-01');

    await expect(refreshSanctionsList(world.deps, source)).rejects.toThrow(ConflictError);
    expect((await world.versions.current())!.id).toBe(rivalResult!.version.id);
    expect(
      world.versions
        .all()
        .map((record) => record.listDate)
        .sort(),
    ).toEqual(['2026-11-01', '2026-11-15']);
  });

  it('refuses files that hold no list, recording nothing', async () => {
    const world = refreshWorld();
    const source = new InMemoryListSource([{ name: 'readme.txt', bytes: Buffer.from('no list here') }], '2026-11-01');
    await expect(refreshSanctionsList(world.deps, source)).rejects.toThrow(ListFormatError);
    expect(await world.versions.current()).toBeUndefined();
    expect(world.auditStore.all()).toEqual([]);
    expect(world.rescreens.requests).toEqual([]);
  });

  it('marks a version re-screened even when the book is empty', async () => {
    const world = refreshWorld([]);
    const result = await refreshSanctionsList(world.deps, new InMemoryListSource(sdnXmlFiles(FIRST, '2026-11-01'), '2026-11-01'));
    expect(result.investorsQueued).toBe(0);
    expect(world.rescreens.calls).toEqual([]);
    expect((await world.versions.current())!.rescreenRequestedAt).toBe(NOW.toISOString());
  });

  it('moves from the real 2023-12-28 list to the 2024-05-03 one, by file date, with OFAC’s changes as the diff', async () => {
    const world = refreshWorld();
    const older = readListFolder(LIST_2023_12_28);
    const newer = readListFolder(LIST_2024_05_03);
    const source = new InMemoryListSource(older.files, older.fileDate, 'folder 2023-12-28');
    const first = await refreshSanctionsList(world.deps, source);
    expect(first.version).toMatchObject({ format: 'legacy_csv', listDate: '2023-12-28', dateSource: 'file_date' });

    const second = await refreshSanctionsList(world.deps, source.publish(newer.files, newer.fileDate));
    expect(second.version).toMatchObject({ listDate: '2024-05-03', previousVersionId: first.version.id });
    expect(second.diff!.added).toHaveLength(1256);
    expect(second.diff!.removed).toHaveLength(112);
    expect(world.snapshots.filesOf(second.version.snapshotKey).sort()).toEqual(['add.csv', 'alt.csv', 'sdn.csv', 'sdn_comments.csv']);
  });
});
