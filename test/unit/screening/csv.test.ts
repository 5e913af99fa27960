import { csvValue, parseOfacCsv } from '../../../lambda/modules/screening/csv';
import { parseLegacyCsvSet } from '../../../lambda/modules/screening/legacy-csv';
import { parseListedDate, parseRemarks } from '../../../lambda/modules/screening/remarks';
import { realList } from '../../helpers/ofac-data';

describe("OFAC's legacy CSV dialect", () => {
  it('reads quoted commas, doubled quotes, CRLF and -0- nulls, and stops at the DOS end-of-file byte', () => {
    const text = '36,"AEROCARIBBEAN, AIRLINES",-0- ,"CUBA"\r\n173,"SAY ""HI""",individual,-0-\r\n\u001a';
    expect(parseOfacCsv(text)).toEqual([
      ['36', 'AEROCARIBBEAN, AIRLINES', '-0- ', 'CUBA'],
      ['173', 'SAY "HI"', 'individual', '-0-'],
    ]);
    expect(csvValue('-0- ')).toBeUndefined();
    expect(csvValue('  ')).toBeUndefined();
    expect(csvValue(' CUBA ')).toBe('CUBA');
  });

  it('keeps line breaks inside quoted fields and an empty last field', () => {
    expect(parseOfacCsv('1,"a\r\nb",\r\n2,c,d')).toEqual([
      ['1', 'a\r\nb', ''],
      ['2', 'c', 'd'],
    ]);
  });

  it('rejects an unterminated quoted field instead of swallowing the rest of the file', () => {
    expect(() => parseOfacCsv('1,"never closed\r\n2,x')).toThrow(/unterminated/);
  });
});

describe('remarks', () => {
  it('reads dates of birth in every form OFAC writes', () => {
    expect(parseListedDate('25 Mar 1977')).toEqual({ text: '25 Mar 1977', from: '1977-03-25', to: '1977-03-25', exactDay: true });
    expect(parseListedDate('Mar 1977')).toMatchObject({ from: '1977-03-01', to: '1977-03-31', exactDay: false });
    expect(parseListedDate('1977')).toMatchObject({ from: '1977-01-01', to: '1977-12-31' });
    expect(parseListedDate('circa 1977')).toMatchObject({ from: '1975-01-01', to: '1979-12-31' });
    expect(parseListedDate('1960 to 1962')).toMatchObject({ from: '1960-01-01', to: '1962-12-31' });
    expect(parseListedDate('01 Jan 1960 to 31 Dec 1962')).toMatchObject({ from: '1960-01-01', to: '1962-12-31', exactDay: false });
    expect(parseListedDate('sometime')).toBeUndefined();
  });

  it('finds weak a.k.a.s, dates, countries and digital currency addresses, with or without alt.', () => {
    const facts = parseRemarks(
      "DOB 25 Mar 1977; alt. DOB 1978; POB Wuhan City, Hubei, China; nationality Iran; Digital Currency Address - XBT 12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h; alt. Digital Currency Address - ETH 0xAbC0000000000000000000000000000000000001; a.k.a. 'ZHOU, William'; f.k.a. 'OLD NAME'.",
    );
    expect(facts.weakAliases).toEqual([
      { name: 'ZHOU, William', kind: 'aka', strength: 'weak' },
      { name: 'OLD NAME', kind: 'fka', strength: 'weak' },
    ]);
    expect(facts.datesOfBirth.map((date) => date.text)).toEqual(['25 Mar 1977', '1978']);
    expect([...facts.countries].sort()).toEqual(['CN', 'IR']);
    expect(facts.wallets).toEqual([
      { currency: 'XBT', address: '12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h' },
      { currency: 'ETH', address: '0xAbC0000000000000000000000000000000000001' },
    ]);
  });
});

describe('the CSV set', () => {
  it('joins remarks cut at 1,000 characters with sdn_comments.csv, keeping a space at the cut', () => {
    const entries = parseLegacyCsvSet({
      sdn: `7,"DOE, John","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1970; Digital Currency Address - XBT "\r\n8,"ACME LTD",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\u001a`,
      comments: '7,"1AbcDef; a.k.a. \'JD\'."\r\n99,"orphan continuation"\r\n\u001a',
      alt: '7,1,"aka","DOE, Johnny",-0- \r\n8,2,"fka","ACME TRADING",-0- \r\n99,3,"aka","NOT LISTED YET",-0- \r\n',
      add: '8,1,-0- ,"Havana","Cuba",-0- \r\n',
    });
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      sdnId: 7,
      name: 'DOE, John',
      type: 'individual',
      programs: ['SDGT'],
      wallets: [{ currency: 'XBT', address: '1AbcDef' }],
    });
    expect(entries[0]!.aliases).toEqual([
      { name: 'DOE, Johnny', kind: 'aka', strength: 'strong' },
      { name: 'JD', kind: 'aka', strength: 'weak' },
    ]);
    expect(entries[1]).toMatchObject({ sdnId: 8, type: 'entity', countries: ['CU'], aliases: [{ name: 'ACME TRADING', kind: 'fka', strength: 'strong' }] });
  });

  it('splits several programs', () => {
    const [entry] = parseLegacyCsvSet({
      sdn: '1,"X","individual","SDGT] [IRGC] [IFSR",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n',
      add: '',
      alt: '',
      comments: '',
    });
    expect(entry!.programs).toEqual(['SDGT', 'IRGC', 'IFSR']);
  });

  it('reads the 2024-05-03 snapshot whole: 14,965 entries and the address that sits across the remarks cut', () => {
    const list = realList();
    expect(list.entries).toHaveLength(14965);
    expect(list.version).toMatchObject({ listDate: '2024-05-03', dateSource: 'file_date', format: 'legacy_csv', entryCount: 14965 });
    expect(list.version.id).toMatch(/^ofac-sdn:2024-05-03:[0-9a-f]{16}$/);
    const types = list.entries.reduce<Record<string, number>>((counts, entry) => ({ ...counts, [entry.type]: (counts[entry.type] ?? 0) + 1 }), {});
    expect(types).toEqual({ individual: 6854, entity: 6884, vessel: 851, aircraft: 376 });
    const entry = list.entries.find((candidate) => candidate.sdnId === 39593)!;
    expect(entry.wallets.map((wallet) => wallet.address)).toContain('194xmrZA53UBsZau2PnJLdmVVW9m5feeS');
    expect(new Set(list.entries.flatMap((candidate) => candidate.wallets.map((wallet) => wallet.address))).size).toBe(586);
  });
});
