import { ListFormatError } from '../../../lambda/modules/screening/errors';
import { ScreeningEngine, parsePublication, type SanctionsEntry } from '../../../lambda/modules/screening';
import { parseSdnAdvancedXml } from '../../../lambda/modules/screening/sdn-advanced-xml';
import { parseSdnXml } from '../../../lambda/modules/screening/sdn-xml';
import { realList } from '../../helpers/ofac-data';
import { toSdnAdvancedXml, toSdnXml } from '../../helpers/ofac-xml';

/** Real entries covering what the formats must carry: wallets, weak and strong a.k.a.s, f.k.a.s, date ranges, vessels, aircraft. */
function sampleEntries(): SanctionsEntry[] {
  const entries = realList().entries;
  const picks = new Map<number, SanctionsEntry>();
  const take = (predicate: (entry: SanctionsEntry) => boolean, count = 2) =>
    entries
      .filter(predicate)
      .slice(0, count)
      .forEach((entry) => picks.set(entry.sdnId, entry));
  for (const sdnId of [306, 22790, 25308, 39593, 2676]) take((entry) => entry.sdnId === sdnId, 1);
  take((entry) => entry.wallets.some((wallet) => wallet.currency === 'ETH'));
  take((entry) => entry.aliases.some((alias) => alias.kind === 'fka'));
  take((entry) => entry.datesOfBirth.some((date) => !date.exactDay && date.from.slice(0, 4) !== date.to.slice(0, 4)));
  take((entry) => entry.datesOfBirth.some((date) => !date.exactDay && date.from.slice(0, 7) === date.to.slice(0, 7)));
  take((entry) => entry.type === 'vessel');
  take((entry) => entry.type === 'aircraft');
  take((entry) => entry.programs.length > 2);
  return [...picks.values()];
}

/** What both XML formats must reproduce from the CSV publication (alias order and date wording may differ). */
function comparable(entry: SanctionsEntry) {
  return {
    sdnId: entry.sdnId,
    name: entry.name,
    type: entry.type,
    programs: [...entry.programs].sort(),
    aliases: entry.aliases.map((alias) => `${alias.strength} ${alias.kind} ${alias.name}`).sort(),
    datesOfBirth: entry.datesOfBirth.map((date) => `${date.from}..${date.to} ${date.exactDay}`).sort(),
    countries: [...entry.countries].sort(),
    wallets: entry.wallets.map((wallet) => `${wallet.currency} ${wallet.address}`).sort(),
  };
}

describe('SDN.XML', () => {
  const entries = sampleEntries();

  it('reads every entry with its names, alias strengths, dates, countries, wallets and programs, and the publish date', () => {
    const parsed = parseSdnXml(toSdnXml(entries, '2024-05-03'));
    expect(parsed.publishDate).toBe('2024-05-03');
    expect(parsed.entries.map(comparable)).toEqual(entries.map(comparable));
  });

  it('is recognised by file name and versioned by its publish date', () => {
    const list = parsePublication([{ name: 'sdn.xml', bytes: Buffer.from(toSdnXml(entries, '2024-05-03')) }], '2030-01-01');
    expect(list.version).toMatchObject({ format: 'sdn_xml', listDate: '2024-05-03', dateSource: 'publish_date', entryCount: entries.length });
  });
});

describe('SDN_ADVANCED.XML', () => {
  const entries = sampleEntries();

  it('resolves the reference tables, locations, name parts and sanctions entries into the same entries as the CSV', () => {
    const parsed = parseSdnAdvancedXml(toSdnAdvancedXml(entries, '2024-05-03'));
    expect(parsed.publishDate).toBe('2024-05-03');
    expect(parsed.entries.map(comparable)).toEqual(entries.map(comparable));
  });

  it('screens the same way as the CSV it came from', () => {
    const list = parsePublication([{ name: 'SDN_ADVANCED.XML', bytes: Buffer.from(toSdnAdvancedXml(entries, '2024-05-03')) }], '2030-01-01');
    expect(list.version).toMatchObject({ format: 'sdn_advanced_xml', listDate: '2024-05-03', dateSource: 'publish_date' });
    const engine = new ScreeningEngine(list);
    expect(engine.screen({ wallets: ['194xmrZA53UBsZau2PnJLdmVVW9m5feeS'] }).matches[0]).toMatchObject({ sdnId: 39593, matchedOn: 'address' });
    expect(engine.screen({ name: 'National Bank of Cuba' }).matches[0]).toMatchObject({ sdnId: 306, matchedOn: 'alias', score: 1 });
    expect(engine.screen({ name: 'Xiaobing Yan', dateOfBirth: '1977-03-25' }).matches[0]).toMatchObject({ sdnId: 25308, matchedOn: 'name' });
  });
});

describe('broken publications', () => {
  it('rejects malformed XML, an empty document and a publication without entries, naming the problem', () => {
    expect(() => parseSdnXml('<sdnList><sdnEntry><uid>1</uid>')).toThrow(ListFormatError);
    expect(() => parseSdnAdvancedXml('')).toThrow(ListFormatError);
    expect(() => parsePublication([{ name: 'sdn.xml', bytes: Buffer.from('<sdnList></sdnList>') }], '2024-01-01')).toThrow(/no entries/);
    expect(() => parsePublication([{ name: 'readme.txt', bytes: Buffer.from('') }], '2024-01-01')).toThrow(/no sanctions list/);
    expect(() => parsePublication([{ name: 'sdn.csv', bytes: Buffer.from('1,"X",-0- ,"CUBA"\r\n') }], '2024-01-01')).toThrow(/add\.csv is missing/);
  });
});

describe('what officers read beside a hit: addresses and remarks, as published', () => {
  const maduro = () => realList().entries.find((entry) => entry.sdnId === 22790)!;

  it('the CSV set joins each address row and keeps the remarks whole', () => {
    expect(maduro()).toMatchObject({ addresses: ['Caracas, Capital District, Venezuela'], remarks: expect.stringMatching(/^DOB 23 Nov 1962; POB Caracas/) });
    const bank = realList().entries.find((entry) => entry.sdnId === 306)!;
    expect(bank.addresses).toHaveLength(4);
    expect(bank.addresses).toContain('Zweierstrasse 35, Zurich CH-8022, Switzerland');
  });

  it('SDN.XML joins the parts of each address and reads the remarks', () => {
    const xml = toSdnXml([{ ...maduro(), countries: [] }], '2024-05-03').replace(
      '</sdnEntry>',
      '<addressList><address><uid>9</uid><address1>Av. Urdaneta</address1><city>Caracas</city><country>Venezuela</country></address></addressList><remarks>DOB 23 Nov 1962; Gender Male.</remarks></sdnEntry>',
    );
    expect(parseSdnXml(xml).entries[0]).toMatchObject({ addresses: ['Av. Urdaneta, Caracas, Venezuela'], remarks: 'DOB 23 Nov 1962; Gender Male.' });
  });

  it('SDN_ADVANCED.XML gives each location feature as its parts and country, and the party comment as remarks', () => {
    const xml = toSdnAdvancedXml([maduro()], '2024-05-03')
      .replace(
        /(<Location ID="\d+">)/,
        '$1<LocationPart LocPartTypeID="1451"><LocationPartValue Primary="true"><Value>Caracas</Value></LocationPartValue></LocationPart>',
      )
      .replace('<DistinctParty FixedRef="22790">', '<DistinctParty FixedRef="22790"><Comment>Gender Male.</Comment>');
    expect(parseSdnAdvancedXml(xml).entries[0]).toMatchObject({ addresses: ['Caracas, Venezuela'], remarks: 'Gender Male.' });
  });

  it('leaves both out where the publication has none', () => {
    const entry = parseSdnXml(toSdnXml([{ ...maduro(), countries: [] }], '2024-05-03')).entries[0]!;
    expect(entry.addresses).toBeUndefined();
    expect(entry.remarks).toBeUndefined();
  });
});
