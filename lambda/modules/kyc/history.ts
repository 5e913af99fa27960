import type { AuditRecord } from '../audit';
import { loadInvestor, type InvestorRepository, type KycFacts } from '../investors';
import type { InvestorRecords } from './ports';

/** Enough for any investor's whole trail; a longer one is cut (and says so) rather than read without end. */
const MAX_PAGES = 5;
const PAGE_SIZE = 1000;

export interface KycHistoryEntry {
  readonly at: string;
  readonly type: string;
  readonly actor: string;
  readonly stream: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface KycHistory {
  readonly investorId: string;
  /** What the vendor has told us last: applicant, verdict, approval and its expiry. */
  readonly current: KycFacts | null;
  /** Oldest first: applicants attached, verdicts applied (or ignored, and why), revocations, expiries, conflicts. */
  readonly events: readonly KycHistoryEntry[];
  /** True when the investor's trail was longer than what was read. */
  readonly truncated: boolean;
}

/** The records that tell an investor's KYC story, wherever they sit: the investor's stream, the vendor's, a conflict case's. */
export function isKycRecord(record: Pick<AuditRecord, 'type' | 'data'>): boolean {
  return /^(kyc\.|investor\.kyc_)/.test(record.type) || record.type === 'investor.registered' || record.data.caseType === 'kyc_conflict';
}

/** An investor's KYC history, from the audit trail (which records every step, with who took it). */
export async function kycHistory(deps: { readonly investors: InvestorRepository; readonly records: InvestorRecords }, investorId: string): Promise<KycHistory> {
  const investor = await loadInvestor(deps.investors, investorId);
  const events: KycHistoryEntry[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await deps.records.page({ investorId }, PAGE_SIZE, cursor);
    for (const record of page.records.filter(isKycRecord)) {
      events.push({ at: record.at, type: record.type, actor: record.actor, stream: record.stream, data: record.data });
    }
    cursor = page.cursor;
    pages += 1;
  } while (cursor && pages < MAX_PAGES);
  events.sort((a, b) => a.at.localeCompare(b.at));
  return { investorId, current: investor.kyc ?? null, events, truncated: cursor !== undefined };
}
