import { ConflictError } from '../../lambda/domain/errors';
import { canTransition, registrationSchema, transition, type Investor } from '../../lambda/domain/investors';

const valid = {
  externalId: 'portal-1',
  legalName: 'Jane Doe',
  dateOfBirth: '1980-01-31',
  countryOfResidence: 'us',
  wallets: ['0xAbCdEf0123456789abcdef0123456789ABCDEF01'],
};

describe('registration schema', () => {
  it('accepts a complete individual and normalises country and wallet case', () => {
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
    const screened = transition(investor, 'screened', new Date('2026-01-01T00:00:00Z'));
    expect(screened).toMatchObject({ status: 'screened', version: 2, updatedAt: '2026-01-01T00:00:00.000Z' });
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
