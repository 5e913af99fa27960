import { ConflictError, InvariantError } from '../../../shared';
import { ScreeningEngine, type Thresholds } from '../engine';
import { NoListError } from '../errors';
import { listIdOf, type SanctionsList, type SourceFile } from '../list';
import type { ListId } from '../lists';
import type {
  InvestorBook,
  ListProvider,
  ListScreener,
  ListSource,
  ListVersionRecord,
  ListVersionRepository,
  RescreenRequests,
  ScreeningRecord,
  ScreeningRepository,
  SnapshotStore,
} from '../ports';

/**
 * The screening repository's contract in memory, as the DynamoDB adapter keeps it: one record per
 * (investor, list version, screened data), written once; `latest` is the newest by screening time,
 * the first in key order on a tie (the adapter's query reads keys in order and keeps a strictly newer one).
 */
export class InMemoryScreeningRepository implements ScreeningRepository {
  private readonly records = new Map<string, ScreeningRecord>();

  private static keyOf(investorId: string, listVersion: string, subjectHash: string): string {
    return `${investorId}\u0000${listVersion}#${subjectHash}`;
  }

  async saveIfAbsent(record: ScreeningRecord): Promise<ScreeningRecord> {
    const key = InMemoryScreeningRepository.keyOf(record.investorId, record.listVersion, record.subjectHash);
    const stored = this.records.get(key);
    if (stored) return structuredClone(stored);
    this.records.set(key, structuredClone(record));
    return record;
  }

  async find(investorId: string, listVersion: string, subjectHash: string): Promise<ScreeningRecord | undefined> {
    const stored = this.records.get(InMemoryScreeningRepository.keyOf(investorId, listVersion, subjectHash));
    return stored && structuredClone(stored);
  }

  async latest(investorId: string): Promise<ScreeningRecord | undefined> {
    let latest: ScreeningRecord | undefined;
    for (const record of this.of(investorId)) if (!latest || record.screenedAt > latest.screenedAt) latest = record;
    return latest && structuredClone(latest);
  }

  async history(investorId: string): Promise<ScreeningRecord[]> {
    return this.of(investorId);
  }

  /** Every screening of an investor, in key order (list version, then data hash). */
  of(investorId: string): ScreeningRecord[] {
    return [...this.records.entries()]
      .filter(([key]) => key.startsWith(`${investorId}\u0000`))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, record]) => structuredClone(record));
  }
}

/**
 * List versions in memory, as the DynamoDB adapter keeps them: a version is recorded once, each
 * list's `current` pointer moves only from the expected version (or to where it already is), and
 * the re-screen mark is set once, on a recorded version only.
 */
export class InMemoryListVersionRepository implements ListVersionRepository {
  private readonly versions = new Map<string, ListVersionRecord>();
  private readonly currentIds = new Map<ListId, string>();

  async current(list: ListId = 'ofac-sdn'): Promise<ListVersionRecord | undefined> {
    const currentId = this.currentIds.get(list);
    return currentId === undefined ? undefined : this.get(currentId);
  }

  async get(versionId: string): Promise<ListVersionRecord | undefined> {
    const record = this.versions.get(versionId);
    return record && structuredClone(record);
  }

  async recordIfAbsent(record: ListVersionRecord): Promise<void> {
    if (!this.versions.has(record.id)) this.versions.set(record.id, structuredClone(record));
  }

  async promote(versionId: string, expectedCurrent: string | undefined, list: ListId = 'ofac-sdn'): Promise<void> {
    const currentId = this.currentIds.get(list);
    const allowed = currentId === versionId || currentId === expectedCurrent;
    if (!allowed) throw new ConflictError(`the current list version moved while ${versionId} was being recorded; retry the refresh`);
    this.currentIds.set(list, versionId);
  }

  async markRescreenRequested(versionId: string, at: string): Promise<void> {
    const record = this.versions.get(versionId);
    if (!record) throw new InvariantError(`list version ${versionId} is not recorded`);
    if (record.rescreenRequestedAt === undefined) this.versions.set(versionId, { ...record, rescreenRequestedAt: at });
  }

  /** Every recorded version, in the order recorded. */
  all(): ListVersionRecord[] {
    return [...this.versions.values()].map((record) => structuredClone(record));
  }
}

/**
 * List snapshots in memory, keyed as the S3 adapter keys them (one prefix per list, list date and
 * content hash): putting the same list again is a no-op, and loading gives a copy of what was stored, as
 * reading the JSON back would. An unknown key fails (S3: NoSuchKey), retried like any unexpected error.
 */
export class InMemorySnapshotStore implements SnapshotStore {
  private readonly lists = new Map<string, string>();
  private readonly files = new Map<string, readonly SourceFile[]>();
  /** Every key loaded, in order: how often a cache went to the store. */
  readonly loads: string[] = [];

  async put(list: SanctionsList, files: readonly SourceFile[]): Promise<string> {
    const prefix = `${listIdOf(list.version)}/${list.version.listDate}/${list.version.contentHash}`;
    const key = `${prefix}/list.json.gz`;
    this.lists.set(key, JSON.stringify(list));
    this.files.set(
      prefix,
      files.map((file) => ({ name: file.name, bytes: Uint8Array.from(file.bytes) })),
    );
    return key;
  }

  async load(snapshotKey: string): Promise<SanctionsList> {
    this.loads.push(snapshotKey);
    const stored = this.lists.get(snapshotKey);
    if (stored === undefined) throw new InvariantError(`list snapshot ${snapshotKey} does not exist`);
    return JSON.parse(stored) as SanctionsList;
  }

  /** The files kept beside a snapshot, by their names (the evidence of what was screened against). */
  filesOf(snapshotKey: string): string[] {
    return (this.files.get(snapshotKey.replace(/\/list\.json\.gz$/, '')) ?? []).map((file) => file.name);
  }
}

/** The book of investors in pages of `pageSize`, as a scan yields them: no empty page. */
export class InMemoryInvestorBook implements InvestorBook {
  constructor(
    private readonly ids: () => readonly string[],
    private readonly pageSize = 25,
  ) {}

  /** A fixed book. */
  static of(ids: readonly string[], pageSize?: number): InMemoryInvestorBook {
    return new InMemoryInvestorBook(() => ids, pageSize);
  }

  async *investorIds(): AsyncIterable<readonly string[]> {
    const ids = this.ids();
    for (let start = 0; start < ids.length; start += this.pageSize) yield ids.slice(start, start + this.pageSize);
  }
}

/** The screening queue as a list refresh sees it: every request kept, in order (standard SQS keeps repeats). */
export class RecordingRescreenRequests implements RescreenRequests {
  readonly requests: { investorId: string; reason: string; listVersion: string }[] = [];
  /** The size of each call, in order. */
  readonly calls: number[] = [];

  async requestMany(investorIds: readonly string[], reason: string, listVersion: string): Promise<void> {
    this.calls.push(investorIds.length);
    for (const investorId of investorIds) this.requests.push({ investorId, reason, listVersion });
  }
}

/** A publication held in memory; `publish` replaces it, as OFAC publishing a new list would. */
export class InMemoryListSource implements ListSource {
  private publication: { files: SourceFile[]; fileDate: string };
  /** How often the source was read. */
  fetches = 0;

  constructor(
    files: readonly SourceFile[],
    fileDate: string,
    readonly description = 'memory',
  ) {
    this.publication = { files: [...files], fileDate };
  }

  publish(files: readonly SourceFile[], fileDate: string): this {
    this.publication = { files: [...files], fileDate };
    return this;
  }

  async fetch(): Promise<{ files: SourceFile[]; fileDate: string }> {
    this.fetches++;
    return { files: this.publication.files.map((file) => ({ name: file.name, bytes: Uint8Array.from(file.bytes) })), fileDate: this.publication.fileDate };
  }
}

/**
 * A list provider holding engines built from lists: the newest published one is current. Until a
 * list is published there is none, as before the first refresh (NoListError). `wanted` keeps the
 * version each call named.
 */
export class StaticListProvider implements ListProvider {
  private screener?: ListScreener;
  readonly wanted: (string | undefined)[] = [];

  constructor(
    list?: SanctionsList,
    private readonly thresholds?: Thresholds,
  ) {
    if (list) this.publish(list);
  }

  /** Makes `list` current; returns its engine. */
  publish(list: SanctionsList): ScreeningEngine {
    const engine = new ScreeningEngine(list, this.thresholds);
    this.screener = engine;
    return engine;
  }

  /** Makes an already built screener current (an engine shared across tests). */
  use(screener: ListScreener): this {
    this.screener = screener;
    return this;
  }

  async current(wantedVersion?: string): Promise<ListScreener> {
    this.wanted.push(wantedVersion);
    if (!this.screener) throw new NoListError('no sanctions list has been loaded yet; run the list refresh first');
    return this.screener;
  }
}
