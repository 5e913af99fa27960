import { NotFoundError, ValidationError } from '../../shared';
import { loadInvestor, type InvestorRepository } from '../investors';
import type { ListVersion, SanctionsEntry } from './list';
import type { ListVersionRepository, ScreeningRecord, ScreeningRepository, SnapshotStore } from './ports';

export interface InvestorScreenings {
  readonly investorId: string;
  /** Newest first: one per list version and screened data, "no hit" included. */
  readonly screenings: readonly ScreeningRecord[];
}

/** Every screening of an investor, as officers and auditors read them: which list version, which verdict, which hits. */
export async function investorScreenings(
  deps: { readonly investors: InvestorRepository; readonly screenings: Pick<ScreeningRepository, 'history'> },
  investorId: string,
): Promise<InvestorScreenings> {
  await loadInvestor(deps.investors, investorId);
  const screenings = [...(await deps.screenings.history(investorId))].sort((a, b) => b.screenedAt.localeCompare(a.screenedAt));
  return { investorId, screenings };
}

export interface ListedEntry {
  readonly listVersion: ListVersion & { readonly recordedAt: string };
  readonly entry: SanctionsEntry;
}

/** `GET /lists/{listVersion}/entries/{sdnId}`: a positive whole number, else a 400 naming the field. */
export function parseSdnId(raw: string | undefined): number {
  const sdnId = Number(raw);
  if (!/^\d{1,9}$/.test(raw ?? '') || sdnId <= 0) throw new ValidationError([{ field: 'sdnId', problem: 'must be a positive whole number' }]);
  return sdnId;
}

/**
 * Entries of recorded list versions, as published: what an officer compares a hit with (names and
 * aliases, programs, dates of birth, addresses, remarks). A case names the version it was opened
 * against; that version's snapshot is read once and the last few versions read stay loaded.
 */
export class ListEntryLookup {
  private readonly loaded = new Map<string, Promise<{ version: ListedEntry['listVersion']; entries: ReadonlyMap<number, SanctionsEntry> }>>();

  constructor(
    private readonly deps: { readonly versions: Pick<ListVersionRepository, 'get'>; readonly snapshots: Pick<SnapshotStore, 'load'> },
    private readonly keep = 2,
  ) {}

  async entry(versionId: string, sdnId: number): Promise<ListedEntry> {
    // A screening of several lists names their versions joined by `+`: the entry is on one of them (SDN first).
    for (const id of versionId.split('+')) {
      const { version, entries } = await this.list(id);
      const entry = entries.get(sdnId);
      if (entry) return { listVersion: version, entry };
    }
    throw new NotFoundError(`list version ${versionId} has no entry ${sdnId}`);
  }

  private list(versionId: string) {
    let pending = this.loaded.get(versionId);
    if (pending) {
      // Most recently used last, so the oldest is the one let go.
      this.loaded.delete(versionId);
      this.loaded.set(versionId, pending);
      return pending;
    }
    pending = this.load(versionId);
    pending.catch(() => this.loaded.delete(versionId));
    this.loaded.set(versionId, pending);
    while (this.loaded.size > this.keep) this.loaded.delete(this.loaded.keys().next().value!);
    return pending;
  }

  private async load(versionId: string) {
    const record = await this.deps.versions.get(versionId);
    if (!record) throw new NotFoundError(`no list version ${versionId}`);
    const list = await this.deps.snapshots.load(record.snapshotKey);
    const { id, listDate, dateSource, contentHash, format, entryCount } = record;
    return {
      version: { id, listDate, dateSource, contentHash, format, entryCount, recordedAt: record.recordedAt },
      entries: new Map(list.entries.map((entry) => [entry.sdnId, entry])),
    };
  }
}
