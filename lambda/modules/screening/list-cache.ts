import { ENGINE_VERSION, ScreeningEngine, type ListChange, type Thresholds } from './engine';
import { NoListError } from './errors';
import type { SanctionsList } from './list';
import { LIST_IDS, type ListId, type ListOutcomes } from './lists';
import type { ListVersionRecord, ListVersionRepository, SnapshotStore } from './ports';

export interface CurrentListCacheDeps {
  readonly versions: ListVersionRepository;
  readonly snapshots: SnapshotStore;
  readonly thresholds?: Thresholds;
  readonly outcomes?: ListOutcomes;
  /** The lists screened (default: all); one not loaded yet is left out, except the SDN list, which must be there. */
  readonly lists?: readonly ListId[];
  readonly now?: () => number;
}

/**
 * The engine over the current version of each screened list, built once and reused across
 * invocations. The pointers to the current versions are re-read at most every `maxAgeMs`, or at
 * once when a message names a version this process has not loaded, so a refresh reaches warm
 * workers without a reload per message. Snapshots already loaded are kept while they stay current.
 */
export class CurrentListCache {
  private engine?: ScreeningEngine;
  private loadedIds: string[] = [];
  private checkedAt = 0;
  private readonly snapshots = new Map<string, SanctionsList>();

  constructor(
    private readonly deps: CurrentListCacheDeps,
    private readonly maxAgeMs = 60_000,
  ) {}

  async current(wantedVersion?: string): Promise<ScreeningEngine> {
    const now = (this.deps.now ?? Date.now)();
    const stale = !this.engine || now - this.checkedAt >= this.maxAgeMs || (wantedVersion !== undefined && !this.loadedIds.includes(wantedVersion));
    if (stale) {
      const records = await this.currentRecords();
      const ids = records.map((record) => record.id);
      if (ids.join('+') !== this.loadedIds.join('+')) {
        const lists = await Promise.all(records.map((record) => this.snapshot(record)));
        this.engine = new ScreeningEngine(lists, { thresholds: this.deps.thresholds, outcomes: this.deps.outcomes, changes: records.flatMap(changeOf) });
        this.loadedIds = ids;
        for (const id of this.snapshots.keys()) if (!ids.includes(id)) this.snapshots.delete(id);
      }
      this.checkedAt = now;
    }
    return this.engine!;
  }

  private async currentRecords(): Promise<ListVersionRecord[]> {
    const wanted = this.deps.lists ?? LIST_IDS;
    const records: ListVersionRecord[] = [];
    for (const list of LIST_IDS.filter((id) => wanted.includes(id))) {
      const record = await this.deps.versions.current(list);
      if (!record && list === 'ofac-sdn') throw new NoListError('no sanctions list has been loaded yet; run the list refresh first');
      if (record) records.push(record);
    }
    if (records.length === 0) throw new NoListError('no sanctions list has been loaded yet; run the list refresh first');
    return records;
  }

  private async snapshot(record: ListVersionRecord): Promise<SanctionsList> {
    let list = this.snapshots.get(record.id);
    if (!list) this.snapshots.set(record.id, (list = await this.deps.snapshots.load(record.snapshotKey)));
    return list;
  }
}

/** A version reached by a delta from its previous one, by this engine: what a delta re-screen may apply. */
function changeOf(record: ListVersionRecord): ListChange[] {
  if (record.rescreen !== 'delta' || record.engineVersion !== ENGINE_VERSION || !record.previousVersionId) return [];
  return [{ list: record.list ?? 'ofac-sdn', fromVersion: record.previousVersionId, toVersion: record.id, diff: record.diff }];
}
