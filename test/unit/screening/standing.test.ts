import { screenInvestor, screeningStanding, subjectHashOf } from '../../../lambda/modules/screening';
import type { ScreenInvestorDeps } from '../../../lambda/modules/screening/screen-investor';
import { InMemoryScreeningRepository, StaticListProvider } from '../../../lambda/modules/screening/fakes';
import type { Case } from '../../../lambda/modules/cases';
import { InMemoryCaseRepository } from '../../../lambda/modules/cases/fakes';
import type { Investor } from '../../../lambda/modules/investors';
import { InMemoryInvestorRepository, RecordingAllowlistRequests, anInvestor } from '../../../lambda/modules/investors/fakes';
import { inMemoryAuditLog } from '../../../lambda/modules/audit/fakes';
import { bornOn, sdnEntry, syntheticList } from '../../helpers/synthetic-list';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const LISTED_WALLET = '0xabcdef0000000000000000000000000000000001';
const LIST = syntheticList(
  [
    sdnEntry({ sdnId: 1001, name: 'KARIMOV, Rustam', datesOfBirth: [bornOn('1961-03-05')], countries: ['UZ'] }),
    sdnEntry({ sdnId: 2001, name: 'DARK MIXER', type: 'entity', wallets: [{ currency: 'ETH', address: LISTED_WALLET }] }),
  ],
  '2026-11-01',
);

/** Screenings and cases as the screening worker leaves them, and the review queue's view of them. */
function standingWorld() {
  const investors = new InMemoryInvestorRepository();
  const screenings = new InMemoryScreeningRepository();
  const cases = new InMemoryCaseRepository();
  const deps: ScreenInvestorDeps = {
    investors,
    screenings,
    lists: new StaticListProvider(LIST),
    cases,
    audit: inMemoryAuditLog(() => NOW).audit,
    allowlist: new RecordingAllowlistRequests(),
    registries: [{ chainId: 1, identityRegistry: '0x00000000000000000000000000000000000000a1' }],
    actor: 'system:screening-worker',
    now: () => NOW,
  };
  const screened = async (overrides: Partial<Investor>) => {
    const investor = investors.put(anInvestor(overrides));
    return screenInvestor(deps, investor.investorId);
  };
  const clear = async (found: Case) =>
    cases.save({
      ...found,
      status: 'closed',
      version: found.version + 1,
      resolution: { disposition: 'false_positive', reason: 'not the listed person', by: 'officer-1', at: NOW.toISOString(), approvedBy: 'officer-2' },
    });
  return { standing: screeningStanding({ screenings, cases }), screened, cases, clear };
}

const rustam = { legalName: 'Rustam Karimov', dateOfBirth: '1961-03-05', countryOfResidence: 'UZ' };

describe('screeningStanding', () => {
  it('is stale for an investor never screened', async () => {
    const { standing } = standingWorld();
    const investor = anInvestor();
    await expect(standing.standing(investor)).resolves.toBe('stale');
    await expect(standing.isClear(investor)).resolves.toBe(false);
  });

  it('is clear for the latest screening of the investor’s current data without hits', async () => {
    const { standing, screened } = standingWorld();
    const investor = await screened({});
    await expect(standing.standing(investor)).resolves.toBe('clear');
    await expect(standing.isClear(investor)).resolves.toBe(true);
  });

  it.each([
    ['wallets', (investor: Investor) => ({ ...investor, wallets: [...investor.wallets, '0x3333333333333333333333333333333333333333'] })],
    ['legal name', (investor: Investor) => ({ ...investor, legalName: 'Janet Doe' })],
    ['date of birth', (investor: Investor) => ({ ...investor, dateOfBirth: '1980-02-01' })],
    ['country', (investor: Investor) => ({ ...investor, countryOfResidence: 'CA' })],
  ])('is stale once the %s changed since the latest screening', async (_, change) => {
    const { standing, screened } = standingWorld();
    const investor = await screened({});
    await expect(standing.standing(change(investor))).resolves.toBe('stale');
  });

  it('has uncleared hits while a name hit’s case is open, and is clear once officers cleared it as a false positive', async () => {
    const { standing, screened, cases, clear } = standingWorld();
    const investor = await screened(rustam);
    await expect(standing.standing(investor)).resolves.toBe('uncleared_hits');
    const [nameHit] = cases.all();
    await clear(nameHit!);
    await expect(standing.standing(investor)).resolves.toBe('clear');
  });

  it('stays uncleared while a wallet hit is open, whatever was cleared beside it', async () => {
    const { standing, screened, cases, clear } = standingWorld();
    const investor = await screened({ ...rustam, wallets: [LISTED_WALLET] });
    const nameHit = cases.all().find((found) => found.type === 'potential_match')!;
    const walletHit = cases.all().find((found) => found.type === 'wallet_hit')!;
    await clear(nameHit);
    await expect(standing.standing(investor)).resolves.toBe('uncleared_hits');
    await clear(walletHit);
    await expect(standing.standing(investor)).resolves.toBe('clear');
  });

  it('does not count a case closed for another reason than a false positive', async () => {
    const { standing, screened, cases } = standingWorld();
    const investor = await screened(rustam);
    const [nameHit] = cases.all();
    await cases.save({
      ...nameHit!,
      status: 'closed',
      version: nameHit!.version + 1,
      resolution: { disposition: 'true_match', reason: 'confirmed', by: 'officer-1', at: NOW.toISOString(), approvedBy: 'officer-2' },
    });
    await expect(standing.standing(investor)).resolves.toBe('uncleared_hits');
  });
});

describe('subjectHashOf', () => {
  const subject = { name: 'Jane Doe', type: 'individual' as const, dateOfBirth: '1980-01-31', country: 'US', wallets: ['0xbb', '0xaa'] };

  it('is a sha256 over the screened data, whatever the order of the wallets or of the fields', () => {
    expect(subjectHashOf(subject)).toMatch(/^[0-9a-f]{64}$/);
    expect(subjectHashOf({ ...subject, wallets: ['0xaa', '0xbb'] })).toBe(subjectHashOf(subject));
    const { name, type, dateOfBirth, country, wallets } = subject;
    expect(subjectHashOf({ wallets, country, dateOfBirth, type, name })).toBe(subjectHashOf(subject));
  });

  it.each([
    ['name', { name: 'Jane Dow' }],
    ['type', { type: 'entity' as const }],
    ['date of birth', { dateOfBirth: '1980-01-30' }],
    ['country', { country: 'CA' }],
    ['wallets', { wallets: ['0xaa'] }],
  ])('changes with the %s', (_, change) => {
    expect(subjectHashOf({ ...subject, ...change })).not.toBe(subjectHashOf(subject));
  });

  it('treats a missing field as absent, never as some value', () => {
    expect(subjectHashOf({})).toBe(subjectHashOf({ name: undefined, wallets: [] }));
    expect(subjectHashOf({ name: '' })).not.toBe(subjectHashOf({}));
    expect(subjectHashOf({ name: 'null' })).not.toBe(subjectHashOf({}));
  });

  it('does not let one field’s text pass for another’s', () => {
    expect(subjectHashOf({ name: 'US' })).not.toBe(subjectHashOf({ country: 'US' }));
  });
});
