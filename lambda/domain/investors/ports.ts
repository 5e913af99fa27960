import type { Investor } from './investor';

export interface InvestorRepository {
  /**
   * Stores a new investor unless one with the same externalId exists; returns the stored one
   * (the new investor, or the earlier registration).
   */
  create(investor: Investor): Promise<{ investor: Investor; created: boolean }>;
  get(investorId: string): Promise<Investor | undefined>;
  /** Replaces the investor if its stored version is still `next.version - 1`; else ConflictError. */
  save(next: Investor): Promise<void>;
}

/** Asks for an investor to be (re-)screened; delivery at least once. */
export interface ScreeningRequests {
  request(investorId: string, reason: string): Promise<void>;
}
