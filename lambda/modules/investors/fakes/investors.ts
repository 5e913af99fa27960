import type { Investor } from '../investor';

let counter = 0;

/** An investor as the lifecycle would have stored it; KYC-approved and screened-ready unless overridden. */
export function anInvestor(overrides: Partial<Investor> = {}): Investor {
  counter += 1;
  const id = `inv-${String(counter).padStart(4, '0')}`;
  const at = '2026-01-05T10:00:00.000Z';
  return {
    investorId: id,
    externalId: `ext-${id}`,
    legalName: 'Jane Doe',
    type: 'individual',
    dateOfBirth: '1980-01-31',
    countryOfResidence: 'US',
    wallets: [`0x${String(counter).padStart(40, 'a')}`],
    status: 'kyc_approved',
    kyc: { vendor: 'sumsub', applicantId: `applicant-${id}`, verdict: 'approved', approvedAt: at, expiresAt: '2027-01-05T10:00:00.000Z' },
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
