import { ConflictError, changeDeduplicationId, type AllowlistChange } from '../../../shared';
import type { Investor } from '../investor';
import type { AllowlistRequests, Claims, InvestorRepository, ScreeningRequests } from '../ports';

const walletKey = (wallet: string) => `wallet#${wallet.toLowerCase()}`;
const kycKey = (vendor: string, applicantId: string) => `kyc#${vendor}#${applicantId}`;

/**
 * What a DynamoDB round trip leaves of an item: a copy (the caller's object is never the stored
 * one), without the attributes that were undefined (the document client drops them).
 */
function asStored<T>(item: T): T {
  return JSON.parse(JSON.stringify(item)) as T;
}

/**
 * The investor repository's contract in memory, as the DynamoDB adapter keeps it: an externalId,
 * a wallet (whatever its case) and a KYC applicant belong to one investor at most, a wallet is
 * released only by the investor holding it, a save is conditional on the version before it, and
 * what is read back is a copy of what was written.
 */
export class InMemoryInvestorRepository implements InvestorRepository {
  private readonly investors = new Map<string, Investor>();
  private readonly owners = new Map<string, string>();

  constructor(seed: readonly Investor[] = []) {
    for (const investor of seed) this.put(investor);
  }

  /** Stores an investor as it stands, claims included (test setup). */
  put(investor: Investor): Investor {
    this.investors.set(investor.investorId, asStored(investor));
    this.owners.set(`external#${investor.externalId}`, investor.investorId);
    for (const wallet of investor.wallets) this.owners.set(walletKey(wallet), investor.investorId);
    if (investor.kyc) this.owners.set(kycKey(investor.kyc.vendor, investor.kyc.applicantId), investor.investorId);
    return investor;
  }

  async create(investor: Investor): Promise<{ investor: Investor; created: boolean }> {
    const existing = await this.findByExternalId(investor.externalId);
    if (existing) return { investor: existing, created: false };
    if (this.investors.has(investor.investorId)) throw new ConflictError('the investor id is taken');
    this.checkClaims(investor.investorId, investor.wallets, investor.kyc, (index) => `wallets.${index}`);
    this.put(investor);
    return { investor, created: true };
  }

  async get(investorId: string): Promise<Investor | undefined> {
    const stored = this.investors.get(investorId);
    return stored && asStored(stored);
  }

  async save(next: Investor, claims: Claims = {}): Promise<void> {
    const stored = this.investors.get(next.investorId);
    if (stored?.version !== next.version - 1)
      throw new ConflictError(`investor ${next.investorId} changed concurrently (expected version ${next.version - 1}); reload and retry`);
    // The adapter names a claim made by a save `wallet`, without its position.
    this.checkClaims(next.investorId, claims.claimWallets ?? [], claims.claimKycApplicant, () => 'wallet');
    // DynamoDB deletes a wallet's claim only where it names this investor (a condition on the delete).
    if ((claims.releaseWallets ?? []).some((wallet) => this.owners.get(walletKey(wallet)) !== next.investorId))
      throw new ConflictError('the change raced with another one; retry');
    for (const wallet of claims.releaseWallets ?? []) this.owners.delete(walletKey(wallet));
    for (const wallet of claims.claimWallets ?? []) this.owners.set(walletKey(wallet), next.investorId);
    if (claims.claimKycApplicant) this.owners.set(kycKey(claims.claimKycApplicant.vendor, claims.claimKycApplicant.applicantId), next.investorId);
    this.investors.set(next.investorId, asStored(next));
  }

  async findByKycApplicant(vendor: string, applicantId: string): Promise<Investor | undefined> {
    return this.owned(kycKey(vendor, applicantId));
  }

  async findByExternalId(externalId: string): Promise<Investor | undefined> {
    return this.owned(`external#${externalId}`);
  }

  /** A scan: every investor stored when the sweep started, as it was then. */
  async *kycExpiringBefore(at: string): AsyncIterable<Investor> {
    const snapshot = [...this.investors.values()].filter((investor) => investor.kyc?.expiresAt && investor.kyc.expiresAt < at).map(asStored);
    yield* snapshot;
  }

  /** Who owns a wallet now (undefined: nobody). */
  walletOwner(wallet: string): string | undefined {
    return this.owners.get(walletKey(wallet));
  }

  /** Who owns a KYC applicant now (undefined: nobody). */
  applicantOwner(vendor: string, applicantId: string): string | undefined {
    return this.owners.get(kycKey(vendor, applicantId));
  }

  private owned(key: string): Investor | undefined {
    const investorId = this.owners.get(key);
    const stored = investorId ? this.investors.get(investorId) : undefined;
    return stored && asStored(stored);
  }

  private checkClaims(investorId: string, wallets: readonly string[], applicant: Claims['claimKycApplicant'], walletField: (index: number) => string): void {
    wallets.forEach((wallet, index) => {
      const owner = this.owners.get(walletKey(wallet));
      if (owner && owner !== investorId) throw new ConflictError(`${walletField(index)} already belongs to another investor`);
    });
    const owner = applicant && this.owners.get(kycKey(applicant.vendor, applicant.applicantId));
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
