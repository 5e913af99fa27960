import type { SanctionsList } from '../list';
import type { ListVersionRecord, ListVersionRepository, ScreeningRecord, ScreeningRepository, SnapshotStore } from '../ports';

const keyOf = (record: Pick<ScreeningRecord, 'investorId' | 'listVersion' | 'subjectHash'>) =>
  `${record.investorId}#${record.listVersion}#${record.subjectHash}`;

/** Screenings in memory, as the DynamoDB adapter keeps them: one per investor, list version and screened data, written once. */
export class InMemoryScreeningRepository implements ScreeningRepository {
  private readonly records = new Map<string, ScreeningRecord>();

  async saveIfAbsent(record: ScreeningRecord): Promise<ScreeningRecord> {
    const stored = this.records.get(keyOf(record));
    if (stored) return stored;
    this.records.set(keyOf(record), record);
    return record;
  }

  async find(investorId: string, listVersion: string, subjectHash: string): Promise<ScreeningRecord | undefined> {
    return this.records.get(keyOf({ investorId, listVersion, subjectHash }));
  }

  async latest(investorId: string): Promise<ScreeningRecord | undefined> {
    return [...(await this.history(investorId))].sort((a, b) => b.screenedAt.localeCompare(a.screenedAt))[0];
  }

  async history(investorId: string): Promise<ScreeningRecord[]> {
    return [...this.records.values()].filter((record) => record.investorId === investorId);
  }
}

/** List versions and their snapshots in memory; `loads` counts snapshot reads (they are the expensive part on AWS). */
export class InMemoryListVersions implements Pick<ListVersionRepository, 'get' | 'recordIfAbsent'>, Pick<SnapshotStore, 'load'> {
  private readonly versions = new Map<string, ListVersionRecord>();
  private readonly snapshots = new Map<string, SanctionsList>();
  loads = 0;

  /** Records a list as the refresh would: its version and its parsed snapshot. */
  add(list: SanctionsList, recordedAt = '2026-01-05T10:00:00.000Z'): ListVersionRecord {
    const record: ListVersionRecord = {
      ...list.version,
      recordedAt,
      snapshotKey: `snapshots/${list.version.id}`,
      diff: { added: [], removed: [], changed: [] },
    };
    this.versions.set(record.id, record);
    this.snapshots.set(record.snapshotKey, list);
    return record;
  }

  async get(versionId: string): Promise<ListVersionRecord | undefined> {
    return this.versions.get(versionId);
  }

  async recordIfAbsent(record: ListVersionRecord): Promise<void> {
    if (!this.versions.has(record.id)) this.versions.set(record.id, record);
  }

  async load(snapshotKey: string): Promise<SanctionsList> {
    this.loads += 1;
    const list = this.snapshots.get(snapshotKey);
    if (!list) throw new Error(`no snapshot ${snapshotKey}`);
    return list;
  }
}
