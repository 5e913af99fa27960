import { caseIdFor, clearsMatch, type CaseRepository, type SanctionsStanding } from '../cases';
import type { ScreeningRecord, ScreeningRepository } from './ports';
import type { ScreeningMatch, Verdict } from './screener';
import { subjectHashOf, subjectOf } from './subject';
import { normaliseWallet } from './wallets';

/**
 * The case key of a hit: investor, SDN id and the content hashes of the screened data and of the
 * entry. An officer's clearance holds for exactly that key, so a changed entry or changed investor
 * data raises the hit again, as a new case.
 */
export function matchCaseKey(investorId: string, subjectHash: string, match: ScreeningMatch): string {
  const entryHash = match.evidence?.entryHash ?? '';
  if (match.matchedOn === 'address')
    return `wallet_hit|${investorId}|${match.sdnId}|${normaliseWallet(match.evidence?.wallet ?? '')}|${subjectHash}|${entryHash}`;
  return `potential_match|${investorId}|${match.sdnId}|${subjectHash}|${entryHash}`;
}

/** The hits of a screening that officers have not cleared as false positives (four-eyes). */
export async function unclearedMatches(cases: Pick<CaseRepository, 'get'>, record: ScreeningRecord): Promise<ScreeningMatch[]> {
  const uncleared: ScreeningMatch[] = [];
  for (const match of record.matches) {
    if (!clearsMatch(await cases.get(caseIdFor(matchCaseKey(record.investorId, record.subjectHash, match))))) uncleared.push(match);
  }
  return uncleared;
}

/** The verdict once cleared hits are set aside: a block needs an uncleared wallet hit, a review any uncleared hit. */
export function effectiveVerdict(uncleared: readonly ScreeningMatch[]): Verdict {
  if (uncleared.some((match) => match.matchedOn === 'address')) return 'block';
  return uncleared.length > 0 ? 'review' : 'clear';
}

/** The review queue's view of an investor's screening: clear only for the latest screening of their current data. */
export function screeningStanding(deps: {
  readonly screenings: Pick<ScreeningRepository, 'latest'>;
  readonly cases: Pick<CaseRepository, 'get'>;
}): SanctionsStanding {
  const standing: SanctionsStanding['standing'] = async (investor) => {
    const latest = await deps.screenings.latest(investor.investorId);
    if (!latest || latest.subjectHash !== subjectHashOf(subjectOf(investor))) return 'stale';
    return effectiveVerdict(await unclearedMatches(deps.cases, latest)) === 'clear' ? 'clear' : 'uncleared_hits';
  };
  return { standing, isClear: async (investor) => (await standing(investor)) === 'clear' };
}
