import type { AuditLog } from '../audit';
import { diffLists, type ListDiff } from './diff';
import { contentHashOf } from './list';
import type { InvestorBook, ListSource, ListVersionRecord, ListVersionRepository, RescreenRequests, SnapshotStore } from './ports';
import { parsePublication, publicationFiles } from './publication';

export const LIST_STREAM = 'sanctions-list#ofac-sdn';

export interface RefreshListDeps {
  readonly versions: ListVersionRepository;
  readonly snapshots: SnapshotStore;
  readonly book: InvestorBook;
  readonly rescreens: RescreenRequests;
  readonly audit: AuditLog;
  readonly actor: string;
  readonly now?: () => Date;
}

export interface RefreshResult {
  readonly changed: boolean;
  readonly version: ListVersionRecord;
  readonly diff?: ListDiff;
  /** Investors asked to be re-screened by this call. */
  readonly investorsQueued: number;
}

/**
 * Checks a source for a new publication. Unchanged content (same hash) stops there. New content is
 * parsed, diffed against the current version, stored as a snapshot, recorded (audit first), made
 * current with a conditional write, and the whole book is queued for re-screening. A crash at any
 * point is finished by the next run: the version is found recorded but not yet re-screened.
 */
export async function refreshSanctionsList(deps: RefreshListDeps, source: ListSource): Promise<RefreshResult> {
  const now = deps.now ?? (() => new Date());
  const { files, fileDate } = await source.fetch();
  const contentHash = contentHashOf(publicationFiles(files));
  const current = await deps.versions.current();
  if (current?.contentHash === contentHash) {
    const investorsQueued = current.rescreenRequestedAt ? 0 : await rescreenBook(deps, current, now);
    return { changed: false, version: current, investorsQueued };
  }

  const list = parsePublication(files, fileDate);
  const previous = current ? await deps.snapshots.load(current.snapshotKey) : undefined;
  const diff = diffLists(previous, list);
  const snapshotKey = await deps.snapshots.put(list, files);
  const record: ListVersionRecord = { ...list.version, recordedAt: now().toISOString(), snapshotKey, previousVersionId: current?.id, diff };
  await deps.audit.append({
    stream: LIST_STREAM,
    type: 'sanctions_list.version_recorded',
    actor: deps.actor,
    data: {
      versionId: record.id,
      listDate: record.listDate,
      dateSource: record.dateSource,
      contentHash: record.contentHash,
      format: record.format,
      entryCount: record.entryCount,
      previousVersionId: record.previousVersionId ?? null,
      source: source.description,
      added: diff.added.length,
      removed: diff.removed.length,
      changed: diff.changed.length,
    },
    idempotencyKey: `${LIST_STREAM}:${record.id}`,
  });
  await deps.versions.recordIfAbsent(record);
  await deps.versions.promote(record.id, current?.id);
  const investorsQueued = await rescreenBook(deps, record, now);
  return { changed: true, version: record, diff, investorsQueued };
}

async function rescreenBook(deps: RefreshListDeps, version: ListVersionRecord, now: () => Date): Promise<number> {
  let queued = 0;
  for await (const page of deps.book.investorIds()) {
    await deps.rescreens.requestMany(page, 'list changed', version.id);
    queued += page.length;
  }
  await deps.versions.markRescreenRequested(version.id, now().toISOString());
  return queued;
}
