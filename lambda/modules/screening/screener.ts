import type { HitOutcome, ListId } from './lists';

export type Verdict = 'clear' | 'review' | 'block';
export type MatchedField = 'name' | 'alias' | 'weak_alias' | 'address';

/** What is screened: an investor, or one line of a CLI batch. */
export interface ScreeningSubject {
  readonly name?: string;
  readonly type?: 'individual' | 'entity';
  /** YYYY-MM-DD or YYYY. */
  readonly dateOfBirth?: string;
  /** ISO 3166-1 alpha-2 or an English country name. */
  readonly country?: string;
  readonly wallets?: readonly string[];
}

/** What an officer sees beside a match: the listed spelling that matched and how the other facts compared. */
export interface MatchEvidence {
  readonly matchedName: string;
  /** For address matches: the subject's wallet, as submitted, that is on the list. */
  readonly wallet?: string;
  /** Hash of the entry's screening-relevant content (see entryHashOf). */
  readonly entryHash: string;
  readonly facts: {
    readonly dateOfBirth: 'exact' | 'compatible' | 'near' | 'conflict' | 'not_compared';
    readonly country: 'match' | 'conflict' | 'not_compared';
    readonly type: 'match' | 'conflict' | 'not_compared';
  };
}

export interface ScreeningMatch {
  readonly sdnId: number;
  /** The entry's primary name as listed. */
  readonly name: string;
  readonly programs: readonly string[];
  readonly score: number;
  readonly matchedOn: MatchedField;
  /** Which list the entry is on (absent in results from before several lists: the SDN list). */
  readonly list?: ListId;
  /** What the hit does under the list's outcome setting (absent in older results: a wallet blocks, a name is reviewed). */
  readonly outcome?: HitOutcome;
  readonly evidence?: MatchEvidence;
}

export interface ScreeningOutcome {
  readonly verdict: Verdict;
  /** Which lists the subject was screened against: each one's version (list, date, content hash), joined by `+`. */
  readonly listVersion: string;
  /** The same, per list. */
  readonly listVersions?: Partial<Record<ListId, string>>;
  /** The engine that produced it: only a screening of the same engine is carried forward by a delta re-screen. */
  readonly engineVersion?: string;
  /** Matches at or above the review threshold, best first, at most 10. */
  readonly matches: readonly ScreeningMatch[];
  /** A name written in another script: as written, and in the Latin letters it was compared in. */
  readonly transliteration?: { readonly name: string; readonly latin: string };
}

export interface Screener {
  screen(subject: ScreeningSubject): ScreeningOutcome;
}
