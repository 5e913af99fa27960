/**
 * Writes entries parsed from the CSV publication back out in OFAC's two XML formats, following the
 * published schemas (SDN.XML: `sdnList`/`sdnEntry`; SDN_ADVANCED.XML: the "Sanctions" schema with
 * ReferenceValueSets, Locations, DistinctParties and SanctionsEntries), so the XML parsers can be
 * tested on real content without shipping the 100 MB production files.
 */
import english from 'i18n-iso-countries/langs/en.json';
import type { ListedDate } from '../../lambda/modules/screening/list';
import type { SanctionsEntry } from '../../lambda/modules/screening';

const NAMES = english.countries as Record<string, string | string[]>;
const countryName = (code: string) => ([] as string[]).concat(NAMES[code] ?? code)[0]!;
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const el = (name: string, content: string | number | undefined, attributes = '') =>
  content === undefined ? '' : `<${name}${attributes}>${typeof content === 'number' ? content : escape(content)}</${name}>`;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `LAST, Given` → { last, first } as the XML formats split individuals' names. */
function split(name: string, individual: boolean): { last: string; first?: string } {
  const [last, first] = name.split(/,\s*/, 2);
  return individual && first ? { last: last!, first } : { last: name };
}

function sdnXmlDate(date: ListedDate): string {
  const point = (iso: string, exactDay: boolean) => {
    const [y, m, d] = iso.split('-');
    return exactDay ? `${d} ${MONTHS[Number(m) - 1]} ${y}` : y!;
  };
  if (date.exactDay) return point(date.from, true);
  const [fromYear, fromMonth] = date.from.split('-');
  const wholeYears = date.from.endsWith('-01-01') && date.to.endsWith('-12-31');
  if (wholeYears) return fromYear === date.to.slice(0, 4) ? fromYear! : `${fromYear} to ${date.to.slice(0, 4)}`;
  if (date.from.slice(0, 7) === date.to.slice(0, 7)) return `${MONTHS[Number(fromMonth) - 1]} ${fromYear}`;
  return `${point(date.from, true)} to ${point(date.to, true)}`;
}

export function toSdnXml(entries: readonly SanctionsEntry[], publishDate: string): string {
  const [year, month, day] = publishDate.split('-');
  let uid = 1;
  const body = entries
    .map((entry) => {
      const individual = entry.type === 'individual';
      const name = split(entry.name, individual);
      const akas = entry.aliases.map((alias) => {
        const parts = split(alias.name, individual);
        return `<aka>${el('uid', uid++)}${el('type', `${alias.kind[0]}.k.a.`)}${el('category', alias.strength)}${el('lastName', parts.last)}${el('firstName', parts.first)}</aka>`;
      });
      const ids = entry.wallets.map(
        (wallet) => `<id>${el('uid', uid++)}${el('idType', `Digital Currency Address - ${wallet.currency}`)}${el('idNumber', wallet.address)}</id>`,
      );
      const dobs = entry.datesOfBirth.map(
        (date) => `<dateOfBirthItem>${el('uid', uid++)}${el('dateOfBirth', sdnXmlDate(date))}<mainEntry>true</mainEntry></dateOfBirthItem>`,
      );
      const addresses = entry.countries.map((code) => `<address>${el('uid', uid++)}${el('country', countryName(code))}</address>`);
      return [
        '<sdnEntry>',
        el('uid', entry.sdnId),
        el('firstName', name.first),
        el('lastName', name.last),
        el('sdnType', entry.type[0]!.toUpperCase() + entry.type.slice(1)),
        `<programList>${entry.programs.map((program) => el('program', program)).join('')}</programList>`,
        ids.length ? `<idList>${ids.join('')}</idList>` : '',
        akas.length ? `<akaList>${akas.join('')}</akaList>` : '',
        addresses.length ? `<addressList>${addresses.join('')}</addressList>` : '',
        dobs.length ? `<dateOfBirthList>${dobs.join('')}</dateOfBirthList>` : '',
        '</sdnEntry>',
      ].join('');
    })
    .join('\n  ');
  return `<?xml version="1.0" standalone="yes"?>
<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">
  <publshInformation><Publish_Date>${month}/${day}/${year}</Publish_Date><Record_Count>${entries.length}</Record_Count></publshInformation>
  ${body}
</sdnList>
`;
}

const FEATURE_BIRTHDATE = 8;
const FEATURE_LOCATION = 25;
const PARTY_SUBTYPE = { vessel: 1, aircraft: 2, entity: 3, individual: 4 } as const;

export function toSdnAdvancedXml(entries: readonly SanctionsEntry[], publishDate: string): string {
  const [year, month, day] = publishDate.split('-').map(Number);
  const currencies = [...new Set(entries.flatMap((entry) => entry.wallets.map((wallet) => wallet.currency)))];
  const currencyFeature = new Map(currencies.map((currency, i) => [currency, 344 + i]));
  const countries = [...new Set(entries.flatMap((entry) => entry.countries))];
  const countryId = new Map(countries.map((code, i) => [code, 11000 + i]));
  let id = 1;
  const datePoint = (iso: string) => {
    const [y, m, d] = iso.split('-').map(Number);
    return `<Year>${y}</Year><Month>${m}</Month><Day>${d}</Day>`;
  };
  // Ranges and years are written as OFAC does: Start From .. End To bound every day the date may mean.
  const period = (date: ListedDate) =>
    `<DatePeriod CalendarTypeID="1" YearFixed="false" MonthFixed="false" DayFixed="false"><Start Approximate="false" YearFixed="false" MonthFixed="false" DayFixed="false"><From>${datePoint(date.from)}</From><To>${datePoint(date.from)}</To></Start><End Approximate="false" YearFixed="false" MonthFixed="false" DayFixed="false"><From>${datePoint(date.to)}</From><To>${datePoint(date.to)}</To></End></DatePeriod>`;

  const parties = entries.map((entry) => {
    const individual = entry.type === 'individual';
    const groups: string[] = [];
    const documentedName = (name: string) => {
      const { last, first } = split(name, individual);
      const parts: [string, number][] =
        individual && first
          ? [
              [first, 1521],
              [last, 1520],
            ]
          : [[last, entry.type === 'vessel' ? 1526 : entry.type === 'aircraft' ? 1524 : 1525]];
      return `<DocumentedName ID="${id++}" FixedRef="${entry.sdnId}" DocNameStatusID="1">${parts
        .map(([value, type]) => {
          const group = id++;
          groups.push(`<MasterNamePartGroup><NamePartGroup ID="${group}" NamePartTypeID="${type}" /></MasterNamePartGroup>`);
          return `<DocumentedNamePart><NamePartValue ID="${id++}" NamePartGroupID="${group}" ScriptID="215" ScriptStatusID="1" Acronym="false">${escape(value)}</NamePartValue></DocumentedNamePart>`;
        })
        .join('')}</DocumentedName>`;
    };
    const aliasType = { aka: 1400, fka: 1401, nka: 1402 } as const;
    const aliases = [
      `<Alias FixedRef="${entry.sdnId}" AliasTypeID="1403" Primary="true" LowQuality="false">${documentedName(entry.name)}</Alias>`,
      ...entry.aliases.map(
        (alias) =>
          `<Alias FixedRef="${entry.sdnId}" AliasTypeID="${aliasType[alias.kind]}" Primary="false" LowQuality="${alias.strength === 'weak'}">${documentedName(alias.name)}</Alias>`,
      ),
    ];
    const features = [
      ...entry.datesOfBirth.map(
        (date) =>
          `<Feature ID="${id++}" FeatureTypeID="${FEATURE_BIRTHDATE}"><FeatureVersion ID="${id++}" ReliabilityID="1">${period(date)}</FeatureVersion></Feature>`,
      ),
      ...entry.countries.map(
        (code) =>
          `<Feature ID="${id++}" FeatureTypeID="${FEATURE_LOCATION}"><FeatureVersion ID="${id++}" ReliabilityID="1"><VersionLocation LocationID="${countryId.get(code)! + 50000}" /></FeatureVersion></Feature>`,
      ),
      ...entry.wallets.map(
        (wallet) =>
          `<Feature ID="${id++}" FeatureTypeID="${currencyFeature.get(wallet.currency)}"><FeatureVersion ID="${id++}" ReliabilityID="1"><VersionDetail DetailTypeID="1432">${escape(wallet.address)}</VersionDetail></FeatureVersion></Feature>`,
      ),
    ];
    return `<DistinctParty FixedRef="${entry.sdnId}"><Profile ID="${entry.sdnId}" PartySubTypeID="${PARTY_SUBTYPE[entry.type]}"><Identity ID="${id++}" FixedRef="${entry.sdnId}" Primary="true" False="false">${aliases.join('')}<NamePartGroups>${groups.join('')}</NamePartGroups></Identity>${features.join('')}</Profile></DistinctParty>`;
  });
  const sanctionsEntries = entries.map(
    (entry) =>
      `<SanctionsEntry ID="${id++}" ProfileID="${entry.sdnId}" ListID="1550">${entry.programs.map((program) => `<SanctionsMeasure ID="${id++}" SanctionsTypeID="1"><Comment>${escape(program)}</Comment></SanctionsMeasure>`).join('')}</SanctionsEntry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<Sanctions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML">
  <DateOfIssue><Year>${year}</Year><Month>${month}</Month><Day>${day}</Day></DateOfIssue>
  <ReferenceValueSets>
    <AliasTypeValues><AliasType ID="1400">A.K.A.</AliasType><AliasType ID="1401">F.K.A.</AliasType><AliasType ID="1402">N.K.A.</AliasType><AliasType ID="1403">Name</AliasType></AliasTypeValues>
    <CountryValues>${countries.map((code) => `<Country ID="${countryId.get(code)}">${escape(countryName(code))}</Country>`).join('')}</CountryValues>
    <FeatureTypeValues><FeatureType ID="${FEATURE_BIRTHDATE}" FeatureTypeGroupID="1">Birthdate</FeatureType><FeatureType ID="${FEATURE_LOCATION}" FeatureTypeGroupID="1">Location</FeatureType>${currencies.map((currency) => `<FeatureType ID="${currencyFeature.get(currency)}" FeatureTypeGroupID="1">Digital Currency Address - ${currency}</FeatureType>`).join('')}</FeatureTypeValues>
    <NamePartTypeValues><NamePartType ID="1520">Last Name</NamePartType><NamePartType ID="1521">First Name</NamePartType><NamePartType ID="1522">Middle Name</NamePartType><NamePartType ID="1524">Aircraft Name</NamePartType><NamePartType ID="1525">Entity Name</NamePartType><NamePartType ID="1526">Vessel Name</NamePartType></NamePartTypeValues>
    <PartySubTypeValues><PartySubType ID="1" PartyTypeID="3">Vessel</PartySubType><PartySubType ID="2" PartyTypeID="3">Aircraft</PartySubType><PartySubType ID="3" PartyTypeID="2">Unknown</PartySubType><PartySubType ID="4" PartyTypeID="1">Unknown</PartySubType></PartySubTypeValues>
    <PartyTypeValues><PartyType ID="1">Individual</PartyType><PartyType ID="2">Entity</PartyType><PartyType ID="3">Transport</PartyType></PartyTypeValues>
    <SanctionsTypeValues><SanctionsType ID="1">Program</SanctionsType><SanctionsType ID="2">Block</SanctionsType></SanctionsTypeValues>
    <ScriptValues><Script ID="215" ScriptCode="Latn">Latin</Script></ScriptValues>
  </ReferenceValueSets>
  <Locations>${countries.map((code) => `<Location ID="${countryId.get(code)! + 50000}"><LocationCountry ID="${id++}" CountryID="${countryId.get(code)}" CountryRelevanceID="1" /></Location>`).join('')}</Locations>
  <IDRegDocuments />
  <DistinctParties>
    ${parties.join('\n    ')}
  </DistinctParties>
  <ProfileRelationships />
  <SanctionsEntries>
    ${sanctionsEntries.join('\n    ')}
  </SanctionsEntries>
</Sanctions>
`;
}
