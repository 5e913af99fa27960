/** What the public HTTP API answers (README, HTTP API): the console's side of the contract. */

export type CaseType = 'potential_match' | 'wallet_hit' | 'chain_drift' | 'kyc_conflict';
export type CaseStatus = 'open' | 'claimed' | 'pending_approval' | 'needs_info' | 'closed';
export type CaseRisk = 'low' | 'medium' | 'high';
export type Disposition = 'false_positive' | 'true_match' | 'needs_info' | 'escalate';

export const CASE_TYPES: readonly CaseType[] = ['potential_match', 'wallet_hit', 'chain_drift', 'kyc_conflict'];
export const CASE_STATUSES: readonly CaseStatus[] = ['open', 'claimed', 'pending_approval', 'needs_info', 'closed'];
export const ACTIVE_STATUSES: readonly CaseStatus[] = ['open', 'claimed', 'pending_approval', 'needs_info'];
export const CASE_RISKS: readonly CaseRisk[] = ['low', 'medium', 'high'];

export interface Decision {
  readonly disposition: Disposition;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

export interface CaseSummary {
  readonly caseId: string;
  readonly type: CaseType;
  readonly status: CaseStatus;
  readonly risk: CaseRisk;
  readonly investorId?: string;
  readonly openedAt: string;
  readonly updatedAt?: string;
  readonly version: number;
  readonly assignee?: string;
  readonly leaseExpiresAt?: string;
  readonly leaseActive: boolean;
  readonly ageHours: number;
  readonly slaDueAt: string;
  readonly pastSla: boolean;
  readonly effectsPending: boolean;
  readonly proposal?: Decision;
  readonly rejection?: Decision;
  readonly needsInfo?: Decision;
  readonly escalation?: Decision;
  readonly resolution?: Decision & {
    readonly approvedBy?: string;
    readonly approvedAt?: string;
    readonly approvalNote?: string;
    readonly effects?: { readonly summary: string; readonly investorStatus?: string; readonly reportDueBy?: string; readonly appliedAt: string };
  };
}

export interface MatchEvidence {
  readonly listVersion?: string;
  readonly screenedAt?: string;
  readonly screened?: {
    readonly name?: string;
    readonly type?: string;
    readonly dateOfBirth?: string;
    readonly country?: string;
    readonly wallets?: readonly string[];
  };
  readonly entry?: { readonly sdnId: number; readonly name: string; readonly programs?: readonly string[] };
  readonly score?: number;
  readonly matchedOn?: 'name' | 'alias' | 'weak_alias' | 'address';
  readonly matchedName?: string;
  readonly facts?: { readonly dateOfBirth: string; readonly country: string; readonly type: string };
  readonly wallet?: string;
}

export interface CaseView extends CaseSummary {
  readonly evidence: MatchEvidence & Readonly<Record<string, unknown>>;
}

export interface AuditRecord {
  readonly stream: string;
  readonly seq: number;
  readonly type: string;
  readonly actor: string;
  readonly investorId?: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly at: string;
  readonly hash: string;
  readonly prevHash?: string;
}

export interface CaseHistory {
  readonly caseId: string;
  readonly records: readonly Pick<AuditRecord, 'seq' | 'at' | 'type' | 'actor' | 'data' | 'hash'>[];
}

export interface ListedEntry {
  readonly listVersion: { readonly id: string; readonly listDate: string; readonly entryCount: number; readonly recordedAt: string };
  readonly entry: {
    readonly sdnId: number;
    readonly name: string;
    readonly type: string;
    readonly programs: readonly string[];
    readonly aliases: readonly { readonly name: string; readonly kind: string; readonly strength: 'strong' | 'weak' }[];
    readonly datesOfBirth: readonly { readonly text: string }[];
    readonly countries: readonly string[];
    readonly wallets: readonly { readonly currency: string; readonly address: string }[];
    readonly addresses?: readonly string[];
    readonly remarks?: string;
  };
}

export interface Investor {
  readonly investorId: string;
  readonly externalId: string;
  readonly legalName: string;
  readonly type: string;
  readonly dateOfBirth?: string;
  readonly countryOfResidence: string;
  readonly nationality?: string;
  readonly wallets: readonly string[];
  readonly status: string;
  readonly kyc?: {
    readonly vendor: string;
    readonly applicantId: string;
    readonly verdict?: string;
    readonly approvedAt?: string;
    readonly expiresAt?: string;
  };
  readonly suspension?: { readonly kind: string; readonly reason: string; readonly at: string; readonly confirmedMatchCaseId?: string };
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface KycHistory {
  readonly investorId: string;
  readonly current: Investor['kyc'] | null;
  readonly events: readonly {
    readonly at: string;
    readonly type: string;
    readonly actor: string;
    readonly stream: string;
    readonly data: Readonly<Record<string, unknown>>;
  }[];
  readonly truncated: boolean;
}

export interface Screening {
  readonly listVersion: string;
  readonly screenedAt: string;
  readonly reason: string;
  readonly verdict: 'clear' | 'review' | 'block';
  readonly matches: readonly { readonly sdnId: number; readonly name: string; readonly score: number; readonly matchedOn: string }[];
  readonly staleMatches: readonly { readonly sdnId: number; readonly name: string }[];
}

export interface WalletStates {
  readonly investorId: string;
  readonly investorStatus: string;
  readonly wallets: readonly {
    readonly wallet: string;
    readonly chains: readonly {
      readonly chainId: number;
      readonly chainName?: string;
      readonly state: 'read' | 'unavailable';
      readonly registered?: boolean;
      readonly verified?: boolean;
      readonly frozen?: boolean;
    }[];
  }[];
  /** Per chain, how far it has come with all the wallets (the status turns allowlisted at the first chain). */
  readonly chains: readonly {
    readonly chainId: number;
    readonly chainName?: string;
    readonly state: 'allowlisted' | 'partial' | 'absent' | 'frozen' | 'unavailable';
    readonly verifiedWallets: number;
    readonly wallets: number;
  }[];
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly records: number;
  readonly streams: number;
  readonly checkpoints: number;
  readonly lastCheckpoint?: { readonly number: number; readonly cutoff: string; readonly root: string };
  readonly breaks: readonly { readonly kind: string; readonly stream?: string; readonly seq?: number; readonly message?: string }[];
  readonly warnings: readonly { readonly kind: string; readonly stream?: string; readonly seq?: number; readonly message?: string }[];
}

export type ExportResult =
  | { readonly delivery: 'inline'; readonly rowCount: number; readonly jsonl: string; readonly manifest: unknown }
  | { readonly delivery: 'link'; readonly rowCount: number; readonly exportUrl: string; readonly manifestUrl: string; readonly expiresInSeconds: number };
