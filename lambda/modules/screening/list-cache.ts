import { ScreeningEngine, type Thresholds } from './engine';
import { NoListError } from './errors';
import type { ListVersionRepository, SnapshotStore } from './ports';

/**
 * The current list's engine, built once and reused across invocations. The pointer to the current
 * version is re-read at most every `maxAgeMs`, or at once when a message names a version this
 * process has not loaded, so a refresh reaches warm workers without a reload per message.
 */
export class CurrentListCache {
  private engine?: ScreeningEngine;
  private checkedAt = 0;

  constructor(
    private readonly deps: { versions: ListVersionRepository; snapshots: SnapshotStore; thresholds?: Thresholds; now?: () => number },
    private readonly maxAgeMs = 60_000,
  ) {}

  async current(wantedVersion?: string): Promise<ScreeningEngine> {
    const now = (this.deps.now ?? Date.now)();
    const stale = !this.engine || now - this.checkedAt >= this.maxAgeMs || (wantedVersion !== undefined && wantedVersion !== this.engine.version.id);
    if (stale) {
      const record = await this.deps.versions.current();
      if (!record) throw new NoListError('no sanctions list has been loaded yet; run the list refresh first');
      if (record.id !== this.engine?.version.id) {
        this.engine = new ScreeningEngine(await this.deps.snapshots.load(record.snapshotKey), this.deps.thresholds);
      }
      this.checkedAt = now;
    }
    return this.engine!;
  }
}
