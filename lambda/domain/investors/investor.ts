import { z } from 'zod';
import { isCountryCode } from '../countries';
import { ConflictError } from '../errors';

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

export const evmAddress = z
  .string()
  .trim()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address')
  .transform((address) => address.toLowerCase());

const isoDate = z.iso.date('must be a date as YYYY-MM-DD');

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
    wallets: z.array(evmAddress).min(1).max(20),
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

export interface Investor extends Registration {
  readonly investorId: string;
  readonly status: InvestorStatus;
  /** Incremented on every change; writes are conditional on it. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Allowed moves of the lifecycle. Anything else is a bug or a stale message, never silently applied. */
const TRANSITIONS: Readonly<Record<InvestorStatus, readonly InvestorStatus[]>> = {
  registered: ['kyc_pending', 'screened', 'suspended', 'offboarded'],
  kyc_pending: ['kyc_approved', 'kyc_rejected', 'kyc_retry', 'suspended', 'offboarded'],
  kyc_approved: ['screened', 'suspended', 'offboarded'],
  kyc_rejected: ['kyc_pending', 'offboarded'],
  kyc_retry: ['kyc_pending', 'kyc_approved', 'kyc_rejected', 'offboarded'],
  screened: ['eligible', 'suspended', 'offboarded'],
  eligible: ['allowlisted', 'suspended', 'offboarded'],
  allowlisted: ['suspended', 'offboarded'],
  suspended: ['eligible', 'offboarded'],
  offboarded: [],
};

export function canTransition(from: InvestorStatus, to: InvestorStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function transition(investor: Investor, to: InvestorStatus, at: Date): Investor {
  if (!canTransition(investor.status, to)) {
    throw new ConflictError(`investor ${investor.investorId} cannot move from ${investor.status} to ${to}`);
  }
  return { ...investor, status: to, version: investor.version + 1, updatedAt: at.toISOString() };
}
