import { DEFAULT_LIST_OUTCOMES, ScreeningEngine, listingOf, type SanctionsList } from '../../../lambda/modules/screening';
import { effectiveVerdict, matchCaseKey } from '../../../lambda/modules/screening/standing';
import { parseSetting } from '../../../lambda/config/env';
import { realEngine, realList, realNonSdnList } from '../../helpers/ofac-data';

const sdn = realList();
const cons = realNonSdnList();
const both = new ScreeningEngine([sdn, cons]);

describe("OFAC's consolidated non-SDN lists beside the SDN list", () => {
  it('parses the legacy CSV set (cons_prim, cons_add, cons_alt, cons_comments) as its own list with its own version', () => {
    expect(cons.entries).toHaveLength(442);
    expect(cons.version).toMatchObject({ list: 'ofac-cons', format: 'legacy_csv', entryCount: 442 });
    expect(cons.version.id).toMatch(/^ofac-cons:\d{4}-\d{2}-\d{2}:[0-9a-f]{16}$/);
    const rosneft = cons.entries.find((entry) => entry.sdnId === 17022)!;
    expect(rosneft).toMatchObject({ name: 'OPEN JOINT-STOCK COMPANY ROSNEFT OIL COMPANY', type: 'entity', programs: ['UKRAINE-EO13662', 'RUSSIA-EO14024'] });
    expect(rosneft.aliases.length).toBeGreaterThan(0);
  });

  it('names the list and programs of every match, and versions the screening by both lists', () => {
    const outcome = both.screen({ name: 'Rosneft Oil Company', type: 'entity' });
    expect(outcome.listVersion).toBe(`${sdn.version.id}+${cons.version.id}`);
    expect(outcome.listVersions).toEqual({ 'ofac-sdn': sdn.version.id, 'ofac-cons': cons.version.id });
    expect(outcome.matches[0]).toMatchObject({ sdnId: 17022, list: 'ofac-cons', programs: ['UKRAINE-EO13662', 'RUSSIA-EO14024'], outcome: 'review' });
    expect(outcome.verdict).toBe('review');
  });

  it('finds a person on both lists once per list, each under its own case key', () => {
    const outcome = both.screen({ name: 'Mahmoud Khaled Zahhar', type: 'individual' });
    const hits = outcome.matches.filter((match) => match.sdnId === 9647);
    expect(hits.map((match) => match.list).sort()).toEqual(['ofac-cons', 'ofac-sdn']);
    const keys = hits.map((match) => matchCaseKey('investor-1', 'subject', match));
    expect(new Set(keys).size).toBe(2);
    expect(keys).toContain(`potential_match|investor-1|9647|subject|${hits.find((match) => match.list === 'ofac-sdn')!.evidence!.entryHash}`);
  });

  it('screens the SDN list exactly as it does alone: each list is weighted by its own names', () => {
    const alone = realEngine();
    for (const name of ['Nicolas Maduro Moros', 'Banco Nacional de Cuba', 'Mohammad Ali', 'Jane Doe']) {
      const sdnMatches = both.screen({ name }).matches.filter((match) => match.list === 'ofac-sdn');
      expect(sdnMatches).toEqual(alone.screen({ name }).matches.slice(0, sdnMatches.length));
    }
  });

  it('blocks on an SDN wallet and reviews a non-SDN one; outcomes follow the setting', () => {
    const wallet = sdn.entries.find((entry) => entry.wallets.length > 0)!;
    const address = wallet.wallets[0]!.address;
    expect(both.screen({ wallets: [address] }).verdict).toBe('block');
    const reviewing = new ScreeningEngine(sdn, { outcomes: { ...DEFAULT_LIST_OUTCOMES, 'ofac-sdn': { name: 'review', wallet: 'review' } } });
    expect(reviewing.screen({ wallets: [address] })).toMatchObject({ verdict: 'review', matches: [{ matchedOn: 'address', outcome: 'review' }] });

    const consWithWallet: SanctionsList = {
      ...cons,
      entries: cons.entries.map((entry) =>
        entry.sdnId === 17022 ? { ...entry, wallets: [{ currency: 'ETH', address: '0x00000000000000000000000000000000000fe5e1' }] } : entry,
      ),
    };
    const outcome = new ScreeningEngine(consWithWallet).screen({ wallets: ['0x00000000000000000000000000000000000FE5E1'] });
    expect(outcome).toMatchObject({ verdict: 'review', matches: [{ sdnId: 17022, list: 'ofac-cons', matchedOn: 'address', outcome: 'review' }] });
    expect(effectiveVerdict(outcome.matches)).toBe('review');
    expect(matchCaseKey('i', 's', outcome.matches[0]!)).toMatch(/^potential_match\|i\|ofac-cons:17022\|0x0+fe5e1\|/);
  });

  it('says what a listing means: SDN blocks, SSI and NS-CMIC restrict and never block', () => {
    expect(listingOf('ofac-sdn', ['SDGT'])).toMatchObject({ blocking: true, subLists: ['SDN'] });
    const ssi = listingOf('ofac-cons', ['UKRAINE-EO13662', 'RUSSIA-EO14024']);
    expect(ssi).toMatchObject({ id: 'ofac-cons', blocking: false });
    expect(ssi.subLists[0]).toMatch(/^SSI/);
    expect(ssi.meaning).toMatch(/new debt or new equity.*not blocked/);
    expect(listingOf('ofac-cons', ['CMIC-EO13959']).meaning).toMatch(/publicly traded securities/);
    expect(listingOf('ofac-cons', ['SOMETHING-NEW']).meaning).toMatch(/not blocked/);
  });

  it('reads the outcome setting, and refuses a name that blocks or a non-SDN hit that blocks', () => {
    expect(parseSetting('listOutcomes', undefined)).toEqual(DEFAULT_LIST_OUTCOMES);
    expect(parseSetting('listOutcomes', 'ofac-sdn:name=review,wallet=review;ofac-cons:name=review,wallet=review')['ofac-sdn'].wallet).toBe('review');
    expect(() => parseSetting('listOutcomes', 'ofac-sdn:name=block,wallet=block;ofac-cons:name=review,wallet=review')).toThrow(/name hit cannot block/);
    expect(() => parseSetting('listOutcomes', 'ofac-sdn:name=review,wallet=block;ofac-cons:name=review,wallet=block')).toThrow(/non-SDN hit cannot block/);
    expect(() => parseSetting('listOutcomes', 'ofac-sdn:name=review,wallet=block')).toThrow(/missing: ofac-cons/);
    expect(parseSetting('screenedLists', undefined)).toEqual(['ofac-sdn', 'ofac-cons']);
    expect(parseSetting('screenedLists', 'ofac-sdn')).toEqual(['ofac-sdn']);
    expect(() => parseSetting('screenedLists', 'ofac-cons')).toThrow(/ofac-sdn included/);
  });
});
