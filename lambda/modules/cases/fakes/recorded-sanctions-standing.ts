import type { Investor } from '../../investors';
import type { SanctionsStanding } from '../ports';

type Standing = Awaited<ReturnType<SanctionsStanding['standing']>>;

/** The investor data a screening covers (as the screening module hashes it): a change makes the screening stale. */
const screenedData = (investor: Investor) =>
  JSON.stringify([investor.legalName, investor.type, investor.dateOfBirth ?? null, investor.countryOfResidence, [...investor.wallets].sort()]);

/**
 * The sanctions standing as the review queue sees it, from screenings the test records: `stale`
 * for an investor never screened or whose screened data changed since, else what the latest
 * screening left (`clear` once officers cleared its hits, `uncleared_hits` otherwise).
 */
export class RecordedSanctionsStanding implements SanctionsStanding {
  private readonly latest = new Map<string, { data: string; outcome: Exclude<Standing, 'stale'> }>();

  /** Records a screening of the investor as they stand now. */
  screened(investor: Investor, outcome: Exclude<Standing, 'stale'>): this {
    this.latest.set(investor.investorId, { data: screenedData(investor), outcome });
    return this;
  }

  async standing(investor: Investor): Promise<Standing> {
    const latest = this.latest.get(investor.investorId);
    if (!latest || latest.data !== screenedData(investor)) return 'stale';
    return latest.outcome;
  }

  async isClear(investor: Investor): Promise<boolean> {
    return (await this.standing(investor)) === 'clear';
  }
}
