import { z } from 'zod';
import { kycApplicantSchema, registrationSchema } from '../../modules/investors';
import type { FunctionContract } from '../../platform/api-contract';

/** `{"reason"}` of suspensions and offboardings; no body means no reason given. */
export const reasonBodySchema = z.object({ reason: z.string().trim().max(2000).optional() });
/** `{"wallet"}` of a wallet added (the address is validated by the lifecycle, lower-cased). */
export const walletBodySchema = z.object({ wallet: z.string().describe('a 0x-prefixed 20-byte hex address; a mixed-case one must carry its EIP-55 checksum') });

export const investorsApiContract: FunctionContract = {
  'POST /investors': {
    summary: 'Register an investor',
    description: 'A repeated `externalId` returns the first registration (200) instead of creating another.',
    body: registrationSchema,
    success: { status: 201, description: 'The investor, registered (200: the earlier registration of this externalId).' },
    errors: [409, 422],
  },
  'GET /investors/{investorId}': { summary: 'An investor and their lifecycle status', success: { status: 200, description: 'The investor.' } },
  'PUT /investors/{investorId}/kyc': {
    summary: "Name the KYC vendor's applicant of an investor",
    body: kycApplicantSchema,
    success: { status: 200, description: 'The investor, kyc_pending.' },
    errors: [409],
  },
  'POST /investors/{investorId}/wallets': {
    summary: 'Add a wallet (screened, then allowlisted if the investor is eligible)',
    body: walletBodySchema,
    success: { status: 200, description: 'The investor with the wallet.' },
    errors: [409],
  },
  'DELETE /investors/{investorId}/wallets/{wallet}': {
    summary: 'Remove a wallet (from every registry first)',
    success: { status: 200, description: 'The investor without the wallet.' },
    errors: [409],
  },
  'POST /investors/{investorId}/suspend': {
    summary: "Suspend an investor for the operator's reasons (wallets leave the allowlist)",
    body: reasonBodySchema,
    bodyOptional: true,
    success: { status: 200, description: 'The investor, suspended.' },
    errors: [409],
  },
  'POST /investors/{investorId}/reinstate': {
    summary: "Lift an operator's suspension (KYC still valid and screening clear)",
    success: { status: 200, description: 'The investor, eligible.' },
    errors: [409],
  },
  'POST /investors/{investorId}/offboard': {
    summary: 'Offboard an investor for good (wallets leave the allowlist)',
    body: reasonBodySchema,
    bodyOptional: true,
    success: { status: 200, description: 'The investor, offboarded.' },
    errors: [409],
  },
  'GET /investors/{investorId}/kyc': {
    summary: "An investor's KYC facts and their history from the audit trail",
    success: { status: 200, description: 'The KYC facts and history.' },
  },
  'GET /investors/{investorId}/screenings': {
    summary: "An investor's screenings, per list version",
    success: { status: 200, description: 'The screenings, newest first.' },
  },
  'GET /investors/{investorId}/wallets': {
    summary: "An investor's wallets as every configured chain has them (registered, verified, frozen)",
    success: { status: 200, description: 'The wallets per chain.' },
  },
};
