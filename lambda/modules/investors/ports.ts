import type { AllowlistChange, KycVendor } from '../../shared';
import type { Investor } from './investor';

/** Unique claims written in the same transaction as the investor: one investor per wallet and per KYC applicant. */
export interface Claims {
  readonly claimWallets?: readonly string[];
  readonly releaseWallets?: readonly string[];
  readonly claimKycApplicant?: { readonly vendor: KycVendor; readonly applicantId: string };
}

export interface InvestorRepository {
  /**
   * Stores a new investor, claiming its externalId, wallets and KYC applicant. Returns the earlier
   * registration if the externalId is taken; throws ConflictError if a wallet or the applicant
   * belongs to another investor.
   */
  create(investor: Investor): Promise<{ investor: Investor; created: boolean }>;
  get(investorId: string): Promise<Investor | undefined>;
  /** Replaces the investor if its stored version is still `next.version - 1` (else ConflictError), with its claims. */
  save(next: Investor, claims?: Claims): Promise<void>;
  findByKycApplicant(vendor: KycVendor, applicantId: string): Promise<Investor | undefined>;
  findByExternalId(externalId: string): Promise<Investor | undefined>;
  /** Investors whose KYC approval expires before `at` (for the daily re-KYC sweep). */
  kycExpiringBefore(at: string): AsyncIterable<Investor>;
}

/** Asks for an investor to be (re-)screened; delivery at least once. */
export interface ScreeningRequests {
  request(investorId: string, reason: string): Promise<void>;
}

/**
 * Asks for a wallet's allowlist standing to change on one registry (the allowlist queue). The
 * same change requested twice is sent once (FIFO de-duplication).
 */
export interface AllowlistRequests {
  request(change: AllowlistChange): Promise<void>;
}
