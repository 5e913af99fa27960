import { CurrentListCache, refreshSanctionsList } from '../../../lambda/modules/screening';
import { NoListError } from '../../../lambda/modules/screening/errors';
import {
  InMemoryInvestorBook,
  InMemoryListSource,
  InMemoryListVersionRepository,
  InMemorySnapshotStore,
  RecordingRescreenRequests,
} from '../../../lambda/modules/screening/fakes';
import { inMemoryAuditLog } from '../../../lambda/modules/audit/fakes';
import { sdnEntry, sdnXmlFiles } from '../../helpers/synthetic-list';

const MAX_AGE_MS = 60_000;
const FIRST = [sdnEntry({ sdnId: 1001, name: 'KARIMOV, Rustam' })];
const SECOND = [...FIRST, sdnEntry({ sdnId: 1002, name: 'PETROV, Ivan' })];

/** A worker's list cache over versions the refresh records, on a clock the test moves. */
function cacheWorld(thresholds?: { review: number; block: number }) {
  const clock = { ms: Date.parse('2026-11-24T12:00:00.000Z') };
  const versions = new InMemoryListVersionRepository();
  const snapshots = new InMemorySnapshotStore();
  const source = new InMemoryListSource(sdnXmlFiles(FIRST, '2026-11-01'), '2026-11-01');
  const refresh = async (entries = FIRST, date = '2026-11-01') =>
    (
      await refreshSanctionsList(
        {
          versions,
          snapshots,
          book: InMemoryInvestorBook.of([]),
          rescreens: new RecordingRescreenRequests(),
          audit: inMemoryAuditLog().audit,
          actor: 'system:test',
        },
        source.publish(sdnXmlFiles(entries, date), date),
      )
    ).version;
  const cache = new CurrentListCache({ versions, snapshots, thresholds, now: () => clock.ms }, MAX_AGE_MS);
  const later = (ms: number) => (clock.ms += ms);
  return { cache, refresh, snapshots, later };
}

describe('CurrentListCache', () => {
  it('has nothing to screen against before the first refresh', async () => {
    const { cache } = cacheWorld();
    await expect(cache.current()).rejects.toThrow(NoListError);
  });

  it('builds the engine of the current version once and reuses it', async () => {
    const { cache, refresh, snapshots } = cacheWorld();
    const version = await refresh();
    const engine = await cache.current();
    expect(engine.version.id).toBe(version.id);
    expect(engine.entry(1001)).toMatchObject({ name: 'KARIMOV, Rustam' });
    expect(await cache.current()).toBe(engine);
    expect(snapshots.loads).toEqual([version.snapshotKey]);
  });

  it('sees a new version only once the pointer is older than its maximum age', async () => {
    const { cache, refresh, later } = cacheWorld();
    const first = await refresh();
    await cache.current();
    const second = await refresh(SECOND, '2026-11-15');

    later(MAX_AGE_MS - 1);
    expect((await cache.current()).version.id).toBe(first.id);
    later(1);
    const engine = await cache.current();
    expect(engine.version.id).toBe(second.id);
    expect(engine.entry(1002)).toBeDefined();
  });

  it('re-reads the pointer after its maximum age but rebuilds nothing while the version is the same', async () => {
    const { cache, refresh, snapshots, later } = cacheWorld();
    await refresh();
    const engine = await cache.current();
    later(MAX_AGE_MS * 3);
    expect(await cache.current()).toBe(engine);
    expect(snapshots.loads).toHaveLength(1);
  });

  it('looks at once when a message names a version it does not hold, and not when it names the one it holds', async () => {
    const { cache, refresh, snapshots } = cacheWorld();
    const first = await refresh();
    await cache.current(first.id);
    expect(snapshots.loads).toHaveLength(1);
    await cache.current(first.id);
    expect(snapshots.loads).toHaveLength(1);

    const second = await refresh(SECOND, '2026-11-15');
    // The refresh read the first snapshot for its diff; what follows is the cache's own reading.
    const loadsBefore = snapshots.loads.length;
    expect((await cache.current(first.id)).version.id).toBe(first.id);
    expect(snapshots.loads).toHaveLength(loadsBefore);
    expect((await cache.current(second.id)).version.id).toBe(second.id);
    expect(snapshots.loads.slice(loadsBefore)).toEqual([second.snapshotKey]);
  });

  it('builds the engine with the thresholds it was given', async () => {
    const thresholds = { review: 0.9, block: 1 };
    const { cache, refresh } = cacheWorld(thresholds);
    await refresh();
    expect((await cache.current()).thresholds).toEqual(thresholds);
  });
});
