import type { AuditLog } from '../audit';
import { diffLists, type ListDiff } from './diff';
import { ENGINE_VERSION, ScreeningEngine } from './engine';
import { contentHashOf, listIdOf, type SanctionsList } from './list';
import type { ListId } from './lists';
import type { InvestorBook, ListSource, ListVersionRecord, ListVersionRepository, RescreenRequests, SnapshotStore } from './ports';
import { parsePublication, publicationFiles, publicationOf } from './publication';

/** Each list's versions are recorded in their own audit stream. */
export const listStream = (list: ListId) => `sanctions-list#${list}`;
export const LIST_STREAM = listStream('ofac-sdn');

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
 * Checks a source for a new publication of its list (the SDN list or the consolidated non-SDN
 * lists: each has its own versions). Unchanged content (same hash) stops there. New content is
 * parsed, diffed against the list's current version, stored as a snapshot, recorded (audit first),
 * made current with a conditional write, and the whole book is queued for re-screening. A crash at
 * any point is finished by the next run: the version is found recorded but not yet re-screened.
 *
 * A version that follows one of the same format, recorded by the same engine, is a `delta`: it
 * keeps the token weighting of the version before it, so workers carry each investor's result
 * forward and screen them against the added and changed entries only. A first version, a new
 * format or a new engine version is a `full` re-screen.
 */
export async function refreshSanctionsList(deps: RefreshListDeps, source: ListSource): Promise<RefreshResult> {
  const now = deps.now ?? (() => new Date());
  const { files, fileDate } = await source.fetch();
  const contentHash = contentHashOf(publicationFiles(files));
  const listId = publicationOf(files)?.list ?? 'ofac-sdn';
  const current = await deps.versions.current(listId);
  if (current?.contentHash === contentHash) {
    const investorsQueued = current.rescreenRequestedAt ? 0 : await rescreenBook(deps, current, now);
    return { changed: false, version: current, investorsQueued };
  }

  const parsed = parsePublication(files, fileDate);
  const previous = current ? await deps.snapshots.load(current.snapshotKey) : undefined;
  const diff = diffLists(previous, parsed);
  const delta = current !== undefined && previous !== undefined && current.format === parsed.version.format && current.engineVersion === ENGINE_VERSION;
  const list: SanctionsList = delta ? { ...parsed, weighting: previous.weighting ?? weightingOf(previous) } : parsed;
  const snapshotKey = await deps.snapshots.put(list, files);
  const record: ListVersionRecord = {
    ...list.version,
    list: listId,
    recordedAt: now().toISOString(),
    snapshotKey,
    previousVersionId: current?.id,
    diff,
    rescreen: delta ? 'delta' : 'full',
    engineVersion: ENGINE_VERSION,
  };
  await deps.audit.append({
    stream: listStream(listId),
    type: 'sanctions_list.version_recorded',
    actor: deps.actor,
    data: {
      list: listId,
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
      rescreen: record.rescreen,
      engineVersion: ENGINE_VERSION,
    },
    idempotencyKey: `${listStream(listId)}:${record.id}`,
  });
  await deps.versions.recordIfAbsent(record);
  await deps.versions.promote(record.id, current?.id, listId);
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

/** The token counts of a version's own names: what the versions after it keep while they are deltas. */
function weightingOf(list: SanctionsList) {
  return new ScreeningEngine(list).weightingOf(listIdOf(list.version), list.version.id)!;
}
