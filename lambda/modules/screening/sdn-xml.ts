import { countryCodeOf } from './countries';
import { displayFacts, type EntryType, type ListedAlias, type ListedDate, type ListedWallet, type SanctionsEntry } from './list';
import { parseListedDate } from './remarks';
import { child, childrenOf, chunksOf, streamSubtrees, textOf, type XmlElement } from './xml';

const TYPES: Readonly<Record<string, EntryType>> = { individual: 'individual', entity: 'entity', vessel: 'vessel', aircraft: 'aircraft' };
const ALIAS_KINDS: Readonly<Record<string, ListedAlias['kind']>> = { 'a.k.a.': 'aka', 'f.k.a.': 'fka', 'n.k.a.': 'nka', aka: 'aka', fka: 'fka', nka: 'nka' };
const ADDRESS_PARTS = ['address1', 'address2', 'address3', 'city', 'stateOrProvince', 'postalCode', 'country'] as const;
const WALLET_ID_TYPE = /^Digital Currency Address - ([A-Z0-9]+)$/;

/** `SURNAME, Given` as the CSV writes individuals, so both formats give the same names. */
function nameOf(element: XmlElement): string | undefined {
  const last = textOf(element, 'lastName');
  const first = textOf(element, 'firstName');
  if (last && first) return `${last}, ${first}`;
  return last ?? first;
}

function entryOf(element: XmlElement): SanctionsEntry | undefined {
  const sdnId = Number(textOf(element, 'uid'));
  const name = nameOf(element);
  if (!Number.isInteger(sdnId) || !name) return undefined;
  const aliases: ListedAlias[] = [];
  for (const aka of childrenOf(child(element, 'akaList'), 'aka')) {
    const aliasName = nameOf(aka);
    if (!aliasName) continue;
    aliases.push({
      name: aliasName,
      kind: ALIAS_KINDS[(textOf(aka, 'type') ?? 'a.k.a.').toLowerCase()] ?? 'aka',
      strength: textOf(aka, 'category')?.toLowerCase() === 'weak' ? 'weak' : 'strong',
    });
  }
  const wallets: ListedWallet[] = [];
  for (const id of childrenOf(child(element, 'idList'), 'id')) {
    const currency = WALLET_ID_TYPE.exec(textOf(id, 'idType') ?? '')?.[1];
    const address = textOf(id, 'idNumber');
    if (currency && address) wallets.push({ currency, address });
  }
  const datesOfBirth = childrenOf(child(element, 'dateOfBirthList'), 'dateOfBirthItem')
    .map((item) => parseListedDate(textOf(item, 'dateOfBirth') ?? ''))
    .filter((date): date is ListedDate => date !== undefined);
  const countryNames = [
    ...childrenOf(child(element, 'addressList'), 'address').map((address) => textOf(address, 'country')),
    ...childrenOf(child(element, 'nationalityList'), 'nationality').map((item) => textOf(item, 'country')),
    ...childrenOf(child(element, 'citizenshipList'), 'citizenship').map((item) => textOf(item, 'country')),
    ...childrenOf(child(element, 'placeOfBirthList'), 'placeOfBirthItem').map((item) => textOf(item, 'placeOfBirth')?.split(',').pop()),
  ];
  const countries = [
    ...new Set(countryNames.map((country) => (country ? countryCodeOf(country) : undefined)).filter((code): code is string => code !== undefined)),
  ];
  const addresses = childrenOf(child(element, 'addressList'), 'address').map((address) =>
    ADDRESS_PARTS.map((part) => textOf(address, part))
      .filter(Boolean)
      .join(', '),
  );
  return {
    sdnId,
    name,
    type: TYPES[(textOf(element, 'sdnType') ?? 'entity').toLowerCase()] ?? 'entity',
    programs: childrenOf(child(element, 'programList'), 'program')
      .map((program) => program.text)
      .filter(Boolean),
    aliases,
    datesOfBirth,
    countries,
    wallets,
    ...displayFacts(
      addresses.filter((line) => line !== ''),
      textOf(element, 'remarks'),
    ),
  };
}

/** `MM/DD/YYYY` → `YYYY-MM-DD`. */
function isoFromUsDate(text: string | undefined): string | undefined {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text?.trim() ?? '');
  return match ? `${match[3]}-${match[1]!.padStart(2, '0')}-${match[2]!.padStart(2, '0')}` : undefined;
}

/**
 * OFAC's SDN.XML (`<sdnList>`: `publshInformation` with `Publish_Date`, then one `sdnEntry` per
 * entry with `akaList` (category strong/weak), `idList` (digital currency addresses are ids),
 * `dateOfBirthList`, `nationalityList`, `citizenshipList`, `placeOfBirthList`, `addressList`).
 */
export function parseSdnXml(xml: string): { entries: SanctionsEntry[]; publishDate?: string } {
  const entries: SanctionsEntry[] = [];
  let publishDate: string | undefined;
  streamSubtrees(chunksOf(xml), new Set(['sdnList/publshInformation', 'sdnList/sdnEntry']), (path, element) => {
    if (path === 'sdnList/publshInformation') publishDate = isoFromUsDate(textOf(element, 'Publish_Date'));
    else {
      const entry = entryOf(element);
      if (entry) entries.push(entry);
    }
  });
  return { entries, publishDate };
}
