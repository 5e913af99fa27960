import { z } from 'zod';
import { ConflictError, KYC_VENDORS, walletAddress, isCountryCode, type KycVendor, type KycVerdict } from '../../shared';

export const INVESTOR_STATUSES = [
  'registered',
  'kyc_pending',
  'kyc_approved',
  'kyc_rejected',
  'kyc_retry',
  'screened',
  'eligible',
  'allowlisted',
  'suspended',
  'offboarded',
] as const;
export type InvestorStatus = (typeof INVESTOR_STATUSES)[number];

const countryCode = z
  .string()
  .length(2)
  .transform((code) => code.toUpperCase())
  .refine((code) => isCountryCode(code), 'must be an ISO 3166-1 alpha-2 country code');

const isoDate = z.iso.date('must be a date as YYYY-MM-DD');

/** The applicant the portal created at a KYC vendor. */
export const kycApplicantSchema = z.object({ vendor: z.enum(KYC_VENDORS), applicantId: z.string().trim().min(1).max(200) }).strict();

/** What the fund's portal sends to register an investor. Our contract, so strict. */
export const registrationSchema = z
  .object({
    /** The portal's own id for this investor: registering it twice returns the first registration. */
    externalId: z.string().min(1).max(128),
    legalName: z.string().trim().min(1).max(300),
    type: z.enum(['individual', 'entity']).default('individual'),
    dateOfBirth: isoDate.optional(),
    countryOfResidence: countryCode,
    nationality: countryCode.optional(),
    wallets: z.array(walletAddress).min(1).max(20),
    /** The applicant the portal created at the KYC vendor; without it the investor waits in `registered`. */
    kyc: kycApplicantSchema.optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.type === 'individual' && !input.dateOfBirth) {
      ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'is required for individuals' });
    }
    if (new Set(input.wallets).size !== input.wallets.length) {
      ctx.addIssue({ code: 'custom', path: ['wallets'], message: 'must not repeat an address' });
    }
  });
export type Registration = z.output<typeof registrationSchema>;

/** What the KYC vendor has told us, kept on the investor so verdicts apply in the vendor's order. */
export interface KycFacts {
  readonly vendor: KycVendor;
  readonly applicantId: string;
  readonly verdict?: KycVerdict;
  /** The vendor's time of the newest event applied: an older one arriving later changes nothing. */
  readonly lastEventAt?: string;
  readonly lastEventKey?: string;
  readonly approvedAt?: string;
  /** After this the investor must pass KYC again (re-KYC on expiry). */
  readonly expiresAt?: string;
}

/** Why an investor is suspended: sanctions suspensions are lifted only through the review queue. */
export interface Suspension {
  readonly kind: 'sanctions' | 'operator';
  readonly reason: string;
  readonly at: string;
  /** Set when officers confirmed a true sanctions match (four-eyes): the property stays blocked, nothing here lifts it. */
  readonly confirmedMatchCaseId?: string;
}

export interface Investor extends Omit<Registration, 'kyc'> {
  readonly investorId: string;
  readonly status: InvestorStatus;
  readonly kyc?: KycFacts;
  readonly suspension?: Suspension;
  /** Incremented on every change; writes are conditional on it. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * Allowed moves of the lifecycle. Anything else is a bug or a stale message, never silently applied.
 * A KYC rejection, retry or expiry can reach an investor at any stage after approval: that is a
 * revocation, and the wallets leave the allowlist.
 */
const TRANSITIONS: Readonly<Record<InvestorStatus, readonly InvestorStatus[]>> = {
  // A vendor verdict can arrive for an investor whose applicant the portal never attached (matched by reference).
  registered: ['kyc_pending', 'kyc_approved', 'kyc_rejected', 'kyc_retry', 'suspended', 'offboarded'],
  kyc_pending: ['kyc_approved', 'kyc_rejected', 'kyc_retry', 'suspended', 'offboarded'],
  kyc_approved: ['screened', 'kyc_rejected', 'kyc_retry', 'suspended', 'offboarded'],
  // A vendor can reverse a rejection after its own manual review.
  kyc_rejected: ['kyc_pending', 'kyc_approved', 'kyc_retry', 'offboarded'],
  kyc_retry: ['kyc_pending', 'kyc_approved', 'kyc_rejected', 'offboarded'],
  screened: ['eligible', 'kyc_rejected', 'kyc_retry', 'suspended', 'offboarded'],
  eligible: ['allowlisted', 'kyc_rejected', 'kyc_retry', 'suspended', 'offboarded'],
  allowlisted: ['kyc_rejected', 'kyc_retry', 'suspended', 'offboarded'],
  suspended: ['eligible', 'offboarded'],
  offboarded: [],
};

/** States in which an investor's wallets may be on the allowlist: leaving them means removing the wallets. */
export const MAY_BE_ON_CHAIN: ReadonlySet<InvestorStatus> = new Set(['eligible', 'allowlisted']);

export function canTransition(from: InvestorStatus, to: InvestorStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function transition(investor: Investor, to: InvestorStatus, at: Date): Investor {
  if (!canTransition(investor.status, to)) {
    throw new ConflictError(`investor ${investor.investorId} cannot move from ${investor.status} to ${to}`);
  }
  return { ...investor, status: to, version: investor.version + 1, updatedAt: at.toISOString() };
}
