export type Verdict = 'clear' | 'review' | 'block';
export type MatchedField = 'name' | 'alias' | 'weak_alias' | 'address';

export interface ScreeningSubject {
  readonly name: string;
  readonly type: 'individual' | 'entity';
  readonly dateOfBirth?: string;
  readonly country?: string;
  readonly wallets: readonly string[];
}

export interface ScreeningMatch {
  readonly sdnId: number;
  readonly name: string;
  readonly programs: readonly string[];
  readonly score: number;
  readonly matchedOn: MatchedField;
}

export interface ScreeningOutcome {
  readonly verdict: Verdict;
  /** Which list the subject was screened against: publish or file date plus content hash. */
  readonly listVersion: string;
  readonly matches: readonly ScreeningMatch[];
}

export interface Screener {
  screen(subject: ScreeningSubject): ScreeningOutcome;
}

/**
 * Walking-skeleton stand-in that clears everyone. It exists so the path from registration to
 * the chain can be built and tested end to end; the OFAC engine replaces it.
 */
export const placeholderScreener: Screener = {
  screen: () => ({ verdict: 'clear', listVersion: 'placeholder:no-list', matches: [] }),
};
