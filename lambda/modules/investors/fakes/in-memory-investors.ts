import { ConflictError, changeDeduplicationId, type AllowlistChange } from '../../../shared';
import type { Investor } from '../investor';
import type { AllowlistRequests, Claims, InvestorRepository, ScreeningRequests } from '../ports';

/**
 * The investor repository's contract in memory, as the DynamoDB adapter keeps it: an externalId,
 * a wallet and a KYC applicant belong to one investor at most, and a save is conditional on the
 * version before it.
 */
export class InMemoryInvestorRepository implements InvestorRepository {
  private readonly investors = new Map<string, Investor>();
  private readonly owners = new Map<string, string>();

  constructor(seed: readonly Investor[] = []) {
    for (const investor of seed) this.put(investor);
  }

  /** Stores an investor as it stands, claims included (test setup). */
  put(investor: Investor): Investor {
    this.investors.set(investor.investorId, investor);
    this.owners.set(`external#${investor.externalId}`, investor.investorId);
    for (const wallet of investor.wallets) this.owners.set(`wallet#${wallet}`, investor.investorId);
    if (investor.kyc) this.owners.set(`kyc#${investor.kyc.vendor}#${investor.kyc.applicantId}`, investor.investorId);
    return investor;
  }

  async create(investor: Investor): Promise<{ investor: Investor; created: boolean }> {
    const existing = await this.findByExternalId(investor.externalId);
    if (existing) return { investor: existing, created: false };
    if (this.investors.has(investor.investorId)) throw new ConflictError('the investor id is taken');
    this.checkClaims(investor.investorId, { claimWallets: investor.wallets, claimKycApplicant: investor.kyc });
    this.put(investor);
    return { investor, created: true };
  }

  async get(investorId: string): Promise<Investor | undefined> {
    return this.investors.get(investorId);
  }

  async save(next: Investor, claims: Claims = {}): Promise<void> {
    const stored = this.investors.get(next.investorId);
    if (stored?.version !== next.version - 1)
      throw new ConflictError(`investor ${next.investorId} changed concurrently (expected version ${next.version - 1}); reload and retry`);
    this.checkClaims(next.investorId, claims);
    for (const wallet of claims.releaseWallets ?? []) this.owners.delete(`wallet#${wallet}`);
    for (const wallet of claims.claimWallets ?? []) this.owners.set(`wallet#${wallet}`, next.investorId);
    if (claims.claimKycApplicant) this.owners.set(`kyc#${claims.claimKycApplicant.vendor}#${claims.claimKycApplicant.applicantId}`, next.investorId);
    this.investors.set(next.investorId, next);
  }

  async findByKycApplicant(vendor: string, applicantId: string): Promise<Investor | undefined> {
    return this.owned(`kyc#${vendor}#${applicantId}`);
  }

  async findByExternalId(externalId: string): Promise<Investor | undefined> {
    return this.owned(`external#${externalId}`);
  }

  async *kycExpiringBefore(at: string): AsyncIterable<Investor> {
    for (const investor of this.investors.values()) if (investor.kyc?.expiresAt && investor.kyc.expiresAt < at) yield investor;
  }

  /** Who owns a wallet now (undefined: nobody). */
  walletOwner(wallet: string): string | undefined {
    return this.owners.get(`wallet#${wallet}`);
  }

  private owned(key: string): Investor | undefined {
    const investorId = this.owners.get(key);
    return investorId ? this.investors.get(investorId) : undefined;
  }

  private checkClaims(investorId: string, claims: Pick<Claims, 'claimWallets' | 'claimKycApplicant'>): void {
    (claims.claimWallets ?? []).forEach((wallet, index) => {
      const owner = this.owners.get(`wallet#${wallet}`);
      if (owner && owner !== investorId) throw new ConflictError(`wallets.${index} already belongs to another investor`);
    });
    const applicant = claims.claimKycApplicant;
    const owner = applicant && this.owners.get(`kyc#${applicant.vendor}#${applicant.applicantId}`);
    if (owner && owner !== investorId) throw new ConflictError('kyc.applicantId already belongs to another investor');
  }
}

/** The allowlist queue as the lifecycle sees it: every request kept, repeats de-duplicated as FIFO does. */
export class RecordingAllowlistRequests implements AllowlistRequests {
  readonly requests: AllowlistChange[] = [];
  private readonly seen = new Set<string>();

  async request(change: AllowlistChange): Promise<void> {
    const id = changeDeduplicationId(change);
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.requests.push(change);
  }

  /** `action wallet@chainId`, in request order: what the tests read. */
  summary(): string[] {
    return this.requests.map((change) => `${change.action} ${change.wallet}@${change.chainId}`);
  }

  clear(): void {
    this.requests.length = 0;
    this.seen.clear();
  }
}

/** The screening queue as the lifecycle sees it. */
export class RecordingScreeningRequests implements ScreeningRequests {
  readonly requests: { investorId: string; reason: string }[] = [];

  async request(investorId: string, reason: string): Promise<void> {
    this.requests.push({ investorId, reason });
  }
}
