import { ConflictError } from '../../../lambda/shared';
import { MAY_BE_ON_CHAIN, canTransition, transition, type Investor, type InvestorStatus } from '../../../lambda/modules/investors';
import { registrationSchema } from '../../../lambda/modules/investors/investor';
import { personConflicts } from '../../../lambda/modules/kyc/apply';

const valid = {
  externalId: 'portal-1',
  legalName: 'Jane Doe',
  dateOfBirth: '1980-01-31',
  countryOfResidence: 'us',
  wallets: ['0xabCDeF0123456789AbcdEf0123456789aBCDEF01'],
};

describe('registration schema', () => {
  it('accepts a complete individual (an EIP-55 checksummed wallet) and normalises country and wallet case', () => {
    const parsed = registrationSchema.parse(valid);
    expect(parsed.countryOfResidence).toBe('US');
    expect(parsed.wallets).toEqual(['0xabcdef0123456789abcdef0123456789abcdef01']);
    expect(parsed.type).toBe('individual');
  });

  it('requires a date of birth for individuals but not for entities', () => {
    const { dateOfBirth: _dob, ...withoutDob } = valid;
    expect(registrationSchema.safeParse(withoutDob).success).toBe(false);
    expect(registrationSchema.safeParse({ ...withoutDob, type: 'entity' }).success).toBe(true);
  });

  it.each([
    ['an unknown country', { countryOfResidence: 'ZZ' }, 'countryOfResidence'],
    ['a short wallet', { wallets: ['0x1234'] }, 'wallets.0'],
    ['a short mixed-case wallet', { wallets: ['0:Aa0'] }, 'wallets.0'],
    ['a mixed-case wallet with a wrong checksum', { wallets: ['0xAbCdEf0123456789abcdef0123456789ABCDEF01'] }, 'wallets.0'],
    ['no wallet', { wallets: [] }, 'wallets'],
    ['a repeated wallet', { wallets: [valid.wallets[0], valid.wallets[0]!.toLowerCase()] }, 'wallets'],
    ['an impossible date', { dateOfBirth: '1980-02-31' }, 'dateOfBirth'],
    ['an unknown field', { nickname: 'J' }, ''],
  ])('rejects %s', (_label, patch, field) => {
    const result = registrationSchema.safeParse({ ...valid, ...patch });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });
});

describe('investor lifecycle', () => {
  const investor: Investor = { ...registrationSchema.parse(valid), investorId: 'i-1', status: 'registered', version: 1, createdAt: 'x', updatedAt: 'x' };

  it('moves along allowed transitions and bumps the version', () => {
    const pending = transition(investor, 'kyc_pending', new Date('2026-01-01T00:00:00Z'));
    expect(pending).toMatchObject({ status: 'kyc_pending', version: 2, updatedAt: '2026-01-01T00:00:00.000Z' });
  });

  it('reaches the allowlist only through KYC approval, then screening, then eligibility', () => {
    const path: InvestorStatus[] = ['registered', 'kyc_pending', 'kyc_approved', 'screened', 'eligible', 'allowlisted'];
    path.slice(1).forEach((to, index) => expect(canTransition(path[index]!, to)).toBe(true));
    for (const early of ['registered', 'kyc_pending', 'kyc_rejected', 'kyc_retry'] as const) {
      expect(canTransition(early, 'screened')).toBe(false);
      expect(canTransition(early, 'eligible')).toBe(false);
    }
    expect(canTransition('kyc_approved', 'eligible')).toBe(false);
  });

  it('treats a later rejection or expiry as a revocation from every approved state', () => {
    for (const from of ['kyc_approved', 'screened', 'eligible', 'allowlisted'] as const) {
      expect(canTransition(from, 'kyc_rejected')).toBe(true);
      expect(canTransition(from, 'kyc_retry')).toBe(true);
    }
  });

  it('lets only eligible and allowlisted investors hold allowlisted wallets', () => {
    expect([...MAY_BE_ON_CHAIN].sort()).toEqual(['allowlisted', 'eligible']);
    expect(canTransition('suspended', 'allowlisted')).toBe(false);
  });

  it('refuses transitions the lifecycle does not allow', () => {
    expect(canTransition('registered', 'allowlisted')).toBe(false);
    expect(() => transition(investor, 'allowlisted', new Date())).toThrow(ConflictError);
  });

  it('never leaves offboarded', () => {
    expect(canTransition('offboarded', 'eligible')).toBe(false);
    expect(canTransition('offboarded', 'registered')).toBe(false);
  });
});

describe('KYC person versus registration', () => {
  const investor: Investor = {
    ...registrationSchema.parse({ ...valid, legalName: 'José María Núñez-García', nationality: 'ES' }),
    investorId: 'i-2',
    status: 'kyc_pending',
    version: 2,
    createdAt: 'x',
    updatedAt: 'x',
  };

  it('accepts the same person written differently (case, accents, hyphens, nationality as country)', () => {
    expect(personConflicts(investor, { firstName: 'JOSE', lastName: 'nunez garcia', dateOfBirth: '1980-01-31', country: 'US' })).toEqual([]);
    expect(personConflicts(investor, { firstName: 'José María', lastName: 'Núñez-García', country: 'ES' })).toEqual([]);
    expect(personConflicts(investor, undefined)).toEqual([]);
  });

  it('names each field that differs', () => {
    expect(personConflicts(investor, { firstName: 'Jose', lastName: 'Nunez', dateOfBirth: '1981-01-31' })).toEqual(['dateOfBirth']);
    expect(personConflicts(investor, { firstName: 'Jose', lastName: 'Smith' })).toEqual(['name']);
    expect(personConflicts(investor, { lastName: 'Garcia', country: 'FR' })).toEqual(['country']);
    expect(personConflicts(investor, { firstName: 'Ana', lastName: 'Lopez', dateOfBirth: '1990-05-05', country: 'MX' })).toEqual([
      'dateOfBirth',
      'name',
      'country',
    ]);
  });

  it('does not accept a name part that only starts a registered one', () => {
    expect(personConflicts(investor, { lastName: 'Nun' })).toEqual(['name']);
  });
});
