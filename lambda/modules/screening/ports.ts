import type { Screener, ScreeningMatch, ScreeningOutcome, ScreeningSubject } from './screener';
import type { ListDiff } from './diff';
import type { ListVersion, SanctionsList, SourceFile } from './list';
import type { ListId } from './lists';

/** One screening of one investor against one list version, "no hit" included: auditors ask for that evidence. */
export interface ScreeningRecord extends ScreeningOutcome {
  readonly investorId: string;
  /** Hash of the investor data that was screened (name, type, date of birth, country, wallets). */
  readonly subjectHash: string;
  readonly screenedAt: string;
  /** Why it ran: `registered`, `list changed`, ... */
  readonly reason: string;
  /** Earlier matches whose entry is no longer on this list version: the hit is stale, not cleared by a human. */
  readonly staleMatches: readonly ScreeningMatch[];
  /** `delta`: the previous result carried forward against a list change's added and changed entries; `full`: screened against every entry. */
  readonly computedBy?: 'delta' | 'full';
}

export interface ScreeningRepository {
  /** Stores the record unless one exists for the same investor, list version and data; returns the stored one. */
  saveIfAbsent(record: ScreeningRecord): Promise<ScreeningRecord>;
  find(investorId: string, listVersion: string, subjectHash: string): Promise<ScreeningRecord | undefined>;
  /** The most recent screening of the investor, whichever list version. */
  latest(investorId: string): Promise<ScreeningRecord | undefined>;
  /** Every screening of the investor, in no particular order (one per list version and screened data: few). */
  history(investorId: string): Promise<readonly ScreeningRecord[]>;
}

/** A recorded list version: what the engine was built from, where its snapshot is, how it differs from the one before. */
export interface ListVersionRecord extends ListVersion {
  readonly recordedAt: string;
  readonly snapshotKey: string;
  readonly previousVersionId?: string;
  readonly diff: ListDiff;
  /** Set once re-screening of the whole book has been requested for this version. */
  readonly rescreenRequestedAt?: string;
  /**
   * `delta`: reached from `previousVersionId` by `diff` with the same engine and weighting, so the
   * worker may carry results forward; `full`: a first version, a new format or a new engine version.
   */
  readonly rescreen?: 'delta' | 'full';
  readonly engineVersion?: string;
}

/** Each list has its own versions and its own `current` pointer; `list` defaults to the SDN list. */
export interface ListVersionRepository {
  /** The version screening uses now. */
  current(list?: ListId): Promise<ListVersionRecord | undefined>;
  /** Stores the version record unless it exists. */
  recordIfAbsent(record: ListVersionRecord): Promise<void>;
  /**
   * Makes `versionId` current if the current one is still `expectedCurrent` (undefined: none yet);
   * ConflictError otherwise, so two refreshes can never interleave their promotions.
   */
  promote(versionId: string, expectedCurrent: string | undefined, list?: ListId): Promise<void>;
  markRescreenRequested(versionId: string, at: string): Promise<void>;
  get(versionId: string): Promise<ListVersionRecord | undefined>;
}

/** List snapshots: the files as published, and the parsed list the workers load at cold start. */
export interface SnapshotStore {
  /** Stores both; returns the key the version record keeps. Idempotent. */
  put(list: SanctionsList, files: readonly SourceFile[]): Promise<string>;
  load(snapshotKey: string): Promise<SanctionsList>;
}

/** Where a publication comes from: OFAC's Sanctions List Service on AWS, a folder locally. */
export interface ListSource {
  /** The publication's files and the date to use when the format carries none. */
  fetch(): Promise<{ files: SourceFile[]; fileDate: string }>;
  /** For audit records: the URL or folder. */
  readonly description: string;
}

/** The whole book of investors, page by page. */
export interface InvestorBook {
  investorIds(): AsyncIterable<readonly string[]>;
}

/** Asks for investors to be re-screened against a list version; delivery at least once. */
export interface RescreenRequests {
  requestMany(investorIds: readonly string[], reason: string, listVersion: string): Promise<void>;
}

export interface ListProvider {
  /** The current lists; `wantedVersion` (a list version id) asks for a fresh look when the message names a version. */
  current(wantedVersion?: string): Promise<ListScreener>;
}

/** A screener for the current version of each screened list, as the worker holds it. */
export interface ListScreener extends Screener {
  /** Every list's version, joined (one list: its version). */
  readonly version: { readonly id: string };
  /** Whether the entry is on this version of the list (a hit on a removed entry is stale). */
  entry(sdnId: number, list: ListId): unknown;
  /** What `screen` gives, carried forward from the subject's previous screening where a list changed by a delta. */
  rescreen(subject: ScreeningSubject, previous: ScreeningOutcome): ScreeningOutcome;
  carriesForward(previous: ScreeningOutcome): boolean;
}
