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
  // An entry may be on both lists under one number (an SDN also on a non-SDN list): non-SDN keys name their list.
  const entry = (match.list ?? 'ofac-sdn') === 'ofac-sdn' ? `${match.sdnId}` : `${match.list}:${match.sdnId}`;
  if (match.matchedOn === 'address') {
    const wallet = normaliseWallet(match.evidence?.wallet ?? '');
    return isBlocking(match)
      ? `wallet_hit|${investorId}|${entry}|${wallet}|${subjectHash}|${entryHash}`
      : `potential_match|${investorId}|${entry}|${wallet}|${subjectHash}|${entryHash}`;
  }
  return `potential_match|${investorId}|${entry}|${subjectHash}|${entryHash}`;
}

/** Whether a hit blocks: its outcome says so (results from before outcomes were settings: a wallet hit did). */
export function isBlocking(match: ScreeningMatch): boolean {
  return match.outcome === undefined ? match.matchedOn === 'address' : match.outcome === 'block';
}

/** The hits of a screening that officers have not cleared as false positives (four-eyes). */
export async function unclearedMatches(cases: Pick<CaseRepository, 'get'>, record: ScreeningRecord): Promise<ScreeningMatch[]> {
  const uncleared: ScreeningMatch[] = [];
  for (const match of record.matches) {
    if (!clearsMatch(await cases.get(caseIdFor(matchCaseKey(record.investorId, record.subjectHash, match))))) uncleared.push(match);
  }
  return uncleared;
}

/** The verdict once cleared hits are set aside: a block needs an uncleared blocking hit (an SDN wallet), a review any uncleared hit. */
export function effectiveVerdict(uncleared: readonly ScreeningMatch[]): Verdict {
  if (uncleared.some(isBlocking)) return 'block';
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
