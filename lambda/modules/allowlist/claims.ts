import { createHash } from 'node:crypto';
import type { Investor } from '../investors';

/**
 * The data of an investor's KYC claim: a hash of our KYC record id (vendor, applicant, approval)
 * and of its validity, so the claim proves which approval it rests on without carrying any
 * personal data. A new approval (re-KYC) gives new data, so a new claim replaces the old one.
 * Investors without KYC facts (loaded by an operator) rest on their own record.
 */
export function kycClaimData(investor: Pick<Investor, 'investorId' | 'kyc'>): string {
  const { kyc } = investor;
  const record = kyc ? `${kyc.vendor}:${kyc.applicantId}:${kyc.approvedAt ?? ''}` : `investor:${investor.investorId}`;
  const validUntil = kyc?.expiresAt ?? 'none';
  return `0x${createHash('sha256').update(`kyc-claim|${record}|${validUntil}`).digest('hex')}`;
}

/**
 * A claim's data as issued: the record hash above, then the issuance time (8 bytes, seconds). A
 * revocation is by signature and permanent, so a claim issued again on the same KYC record (an
 * operator's suspension lifted) needs other bytes to sign: the time gives them.
 */
export function issuedClaimData(basis: string, issuedAt: Date): string {
  return `${basis}${Math.floor(issuedAt.getTime() / 1000)
    .toString(16)
    .padStart(16, '0')}`;
}

/** Whether a stored claim's data rests on this KYC record hash (whenever it was issued). */
export function restsOn(data: string, basis: string): boolean {
  return data.toLowerCase().slice(0, basis.length) === basis.toLowerCase();
}
