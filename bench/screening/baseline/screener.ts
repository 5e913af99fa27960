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
  readonly evidence?: MatchEvidence;
}

export interface ScreeningOutcome {
  readonly verdict: Verdict;
  /** Which list the subject was screened against: publish or file date plus content hash. */
  readonly listVersion: string;
  /** Matches at or above the review threshold, best first, at most 10. */
  readonly matches: readonly ScreeningMatch[];
}

export interface Screener {
  screen(subject: ScreeningSubject): ScreeningOutcome;
}
