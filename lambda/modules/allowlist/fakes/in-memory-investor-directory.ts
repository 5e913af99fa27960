import type { Investor } from '../../investors';
import type { InvestorDirectory } from '../ports';

/** Every investor, as the scheduled reconciliation scans the investors table. */
export class InMemoryInvestorDirectory implements InvestorDirectory {
  private readonly investors = new Map<string, Investor>();

  constructor(seed: readonly Investor[] = []) {
    for (const investor of seed) this.put(investor);
  }

  put(investor: Investor): Investor {
    this.investors.set(investor.investorId, investor);
    return investor;
  }

  async *all(): AsyncIterable<Investor> {
    for (const investor of [...this.investors.values()]) yield investor;
  }
}
