import { anInvestor } from '../../../lambda/modules/investors/fakes';
import { registerInvestor, streamOf } from '../../../lambda/modules/investors';
import { ConflictError, TransientError, UnprocessableError, ValidationError } from '../../../lambda/shared';
import { errorResponse } from '../../../lambda/platform/http';
import { NOW, inMemoryWorld, rejectionOf, wallet } from '../../helpers/in-memory-world';

const registration = {
  externalId: 'portal-42',
  legalName: 'Jane Doe',
  dateOfBirth: '1980-01-31',
  countryOfResidence: 'us',
  nationality: 'ca',
  wallets: [`0x${'A'.repeat(40)}`, wallet('b')],
};

function setUp(blocked: readonly string[] = ['IR', 'KP']) {
  const world = inMemoryWorld();
  const deps = { investors: world.investors, audit: world.audit, blockedCountries: new Set(blocked), now: world.clock.now };
  return { ...world, deps };
}

describe('registerInvestor', () => {
  it('stores a new investor as registered until the portal names a KYC applicant, and records it', async () => {
    const { deps, investors, store } = setUp();
    const { investor, created } = await registerInvestor(deps, registration, 'portal:fund');

    expect(created).toBe(true);
    expect(investor).toMatchObject({
      externalId: 'portal-42',
      status: 'registered',
      version: 1,
      countryOfResidence: 'US',
      nationality: 'CA',
      wallets: [wallet('a'), wallet('b')],
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
    expect(investor).not.toHaveProperty('kyc');
    expect(await investors.get(investor.investorId)).toEqual(investor);
    expect(investors.walletOwner(wallet('a'))).toBe(investor.investorId);
    expect(store.records(streamOf(investor.investorId))).toMatchObject([
      {
        type: 'investor.registered',
        actor: 'portal:fund',
        investorId: investor.investorId,
        data: { type: 'individual', status: 'registered', countryOfResidence: 'US', wallets: [wallet('a'), wallet('b')], kycVendor: null },
      },
    ]);
  });

  it("waits in kyc_pending for the vendor's verdict when the portal names the applicant, claimed for the investor", async () => {
    const { deps, investors, store } = setUp();
    const { investor } = await registerInvestor(deps, { ...registration, kyc: { vendor: 'sumsub', applicantId: 'app-1' } }, 'portal:fund');

    expect(investor).toMatchObject({ status: 'kyc_pending', kyc: { vendor: 'sumsub', applicantId: 'app-1' } });
    expect((await investors.findByKycApplicant('sumsub', 'app-1'))?.investorId).toBe(investor.investorId);
    expect(store.records(streamOf(investor.investorId))[0]!.data).toMatchObject({ status: 'kyc_pending', kycVendor: 'sumsub' });
  });

  it('returns the first registration for a repeated externalId, recording it once', async () => {
    const { deps, store } = setUp();
    const first = await registerInvestor(deps, registration, 'portal:fund');
    const again = await registerInvestor(deps, { ...registration, legalName: 'Someone Else', wallets: [wallet('c')] }, 'portal:fund');

    expect(again).toEqual({ investor: first.investor, created: false });
    expect(store.all()).toHaveLength(1);
  });

  it('records the registration on the retry when the first call crashed before its audit record', async () => {
    const { deps, store } = setUp();
    jest.spyOn(deps.audit, 'append').mockRejectedValueOnce(new TransientError('the process died before the audit append'));
    await expect(registerInvestor(deps, registration, 'portal:fund')).rejects.toThrow(TransientError);
    expect(store.all()).toEqual([]);

    const { investor, created } = await registerInvestor(deps, registration, 'portal:fund');
    expect(created).toBe(false);
    expect(store.types(streamOf(investor.investorId))).toEqual(['investor.registered']);
  });

  it.each([
    ['residence', { countryOfResidence: 'ir' }, ['countryOfResidence'], ['IR']],
    ['nationality', { nationality: 'KP' }, ['nationality'], ['KP']],
    ['residence and nationality', { countryOfResidence: 'KP', nationality: 'IR' }, ['countryOfResidence', 'nationality'], ['KP', 'IR']],
  ])('refuses a blocked %s with a 422, stores nothing and records the refusal without personal data', async (_label, patch, fields, countries) => {
    const { deps, investors, store } = setUp();
    const error = await rejectionOf(registerInvestor(deps, { ...registration, ...patch }, 'portal:fund'));

    expect(error).toBeInstanceOf(UnprocessableError);
    expect(errorResponse(error)).toMatchObject({ statusCode: 422 });
    expect(JSON.parse(errorResponse(error).body!).error.code).toBe('JURISDICTION_BLOCKED');
    expect(await investors.findByExternalId('portal-42')).toBeUndefined();
    expect(investors.walletOwner(wallet('a'))).toBeUndefined();
    const records = store.records('registration#portal-42');
    expect(records).toMatchObject([
      { type: 'investor.registration_refused', actor: 'portal:fund', data: { reason: 'jurisdiction blocked', fields, countries } },
    ]);
    expect(JSON.stringify(records)).not.toMatch(/Jane|1980|aaaa/);
  });

  it('registers residents of countries the fund does not block', async () => {
    const { deps } = setUp([]);
    expect((await registerInvestor(deps, { ...registration, countryOfResidence: 'IR' }, 'portal:fund')).created).toBe(true);
  });

  it('refuses a wallet of another investor with a 409 naming its position, not the address, and stores nothing', async () => {
    const { deps, investors, store } = setUp();
    const holder = investors.put(anInvestor({ wallets: [wallet('b')] }));
    const error = await rejectionOf(registerInvestor(deps, registration, 'portal:fund'));

    expect(error).toBeInstanceOf(ConflictError);
    expect(errorResponse(error).statusCode).toBe(409);
    expect(error.message).toBe('wallets.1 already belongs to another investor');
    expect(await investors.findByExternalId('portal-42')).toBeUndefined();
    expect(investors.walletOwner(wallet('a'))).toBeUndefined();
    expect(investors.walletOwner(wallet('b'))).toBe(holder.investorId);
    expect(store.all()).toEqual([]);
  });

  it("refuses another investor's KYC applicant with a 409 naming the field", async () => {
    const { deps, investors } = setUp();
    investors.put(anInvestor({ kyc: { vendor: 'onfido', applicantId: 'app-taken' } }));
    const error = await rejectionOf(registerInvestor(deps, { ...registration, kyc: { vendor: 'onfido', applicantId: 'app-taken' } }, 'portal:fund'));

    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe('kyc.applicantId already belongs to another investor');
    expect(await investors.findByExternalId('portal-42')).toBeUndefined();
  });

  it('answers 400 naming every bad field without echoing a value, and stores nothing', async () => {
    const { deps, investors, store } = setUp();
    const error = await rejectionOf(
      registerInvestor(
        deps,
        { ...registration, legalName: ' ', dateOfBirth: 'SECRET-1980', countryOfResidence: 'ZZ', wallets: ['0xSECRET'], kyc: { vendor: 'SECRET-kyc' } },
        'portal:fund',
      ),
    );

    expect(error).toBeInstanceOf(ValidationError);
    const response = errorResponse(error);
    expect(response.statusCode).toBe(400);
    expect((error as ValidationError).issues.map((issue) => issue.field).sort()).toEqual([
      'countryOfResidence',
      'dateOfBirth',
      'kyc.applicantId',
      'kyc.vendor',
      'legalName',
      'wallets.0',
    ]);
    expect(response.body).not.toMatch(/SECRET|ZZ/);
    expect(await investors.findByExternalId('portal-42')).toBeUndefined();
    expect(store.all()).toEqual([]);
  });

  it('validates before it checks jurisdictions: a malformed blocked registration is a 400 and records nothing', async () => {
    const { deps, store } = setUp();
    await expect(registerInvestor(deps, { ...registration, countryOfResidence: 'IR', wallets: [] }, 'portal:fund')).rejects.toThrow(ValidationError);
    expect(store.all()).toEqual([]);
  });
});

describe('registration refuses addresses and dates that cannot be right, naming the field and storing nothing', () => {
  // EIP-55 checksummed spelling of 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed (the EIP's own example).
  const CHECKSUMMED = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

  it.each([
    ['a mixed-case address with a wrong checksum', { wallets: [CHECKSUMMED.replace('5aA', '5Aa')] }, 'wallets.0'],
    ['the zero address', { wallets: [`0x${'0'.repeat(40)}`] }, 'wallets.0'],
    ['a date of birth in the future', { dateOfBirth: '2027-01-01' }, 'dateOfBirth'],
    ['a date of birth before 1900', { dateOfBirth: '1899-12-31' }, 'dateOfBirth'],
    ['an impossible date of birth', { dateOfBirth: '1980-02-30' }, 'dateOfBirth'],
  ])('refuses %s', async (_label, change, field) => {
    const { deps, investors, store } = setUp();
    const error = await registerInvestor(deps, { ...registration, ...change }, 'portal:fund').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.field)).toEqual([field]);
    expect(errorResponse(error).statusCode).toBe(400);
    expect(await investors.findByExternalId(registration.externalId)).toBeUndefined();
    expect(store.all()).toEqual([]);
  });

  it('accepts a correctly checksummed, an all-lower and an all-upper address, stored lower case', async () => {
    const { deps } = setUp();
    const lower = CHECKSUMMED.toLowerCase();
    const { investor } = await registerInvestor(deps, { ...registration, wallets: [CHECKSUMMED, `0x${'C'.repeat(40)}`] }, 'portal:fund');
    expect(investor.wallets).toEqual([lower, `0x${'c'.repeat(40)}`]);
  });

  it('accepts a date of birth of today (the clock is the deps’)', async () => {
    const { deps } = setUp();
    const today = deps.now().toISOString().slice(0, 10);
    await expect(registerInvestor(deps, { ...registration, dateOfBirth: today }, 'portal:fund')).resolves.toMatchObject({ created: true });
  });
});
