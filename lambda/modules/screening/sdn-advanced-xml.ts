import { countryCodeOf } from './countries';
import { displayFacts, type EntryType, type ListedAlias, type ListedDate, type ListedWallet, type SanctionsEntry } from './list';
import { child, childrenOf, chunksOf, descendants, streamSubtrees, textOf, type XmlElement } from './xml';

const ROOT = 'Sanctions';
const PATHS = {
  dateOfIssue: `${ROOT}/DateOfIssue`,
  references: `${ROOT}/ReferenceValueSets`,
  location: `${ROOT}/Locations/Location`,
  party: `${ROOT}/DistinctParties/DistinctParty`,
  sanctionsEntry: `${ROOT}/SanctionsEntries/SanctionsEntry`,
} as const;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (value: number) => String(value).padStart(2, '0');

/** ID → text of each `<…Values>` code table in `ReferenceValueSets`, plus the attributes some need. */
interface References {
  readonly values: ReadonlyMap<string, ReadonlyMap<string, XmlElement>>;
}

function referencesOf(element: XmlElement): References {
  const values = new Map<string, Map<string, XmlElement>>();
  for (const set of element.children) {
    const table = new Map<string, XmlElement>();
    for (const value of set.children) if (value.attributes.ID) table.set(value.attributes.ID, value);
    values.set(set.name, table);
  }
  return { values };
}

const lookup = (references: References, set: string, id: string | undefined) => (id === undefined ? undefined : references.values.get(set)?.get(id));

/** A `DatePeriod` (Start From … End To, each Year/Month/Day, month and day optional) as a listed date. */
function dateOfPeriod(period: XmlElement): ListedDate | undefined {
  const point = (edge: XmlElement | undefined) => {
    const year = Number(textOf(edge, 'Year'));
    if (!Number.isInteger(year) || year <= 0) return undefined;
    const month = Number(textOf(edge, 'Month')) || undefined;
    const day = Number(textOf(edge, 'Day')) || undefined;
    return { year, month, day };
  };
  const start = point(child(child(period, 'Start'), 'From')) ?? point(child(child(period, 'Start'), 'To'));
  const end = point(child(child(period, 'End'), 'To')) ?? point(child(child(period, 'End'), 'From')) ?? start;
  if (!start || !end) return undefined;
  const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
  const from = `${start.year}-${pad(start.month ?? 1)}-${pad(start.day ?? 1)}`;
  const to = `${end.year}-${pad(end.month ?? 12)}-${pad(end.day ?? lastDay(end.year, end.month ?? 12))}`;
  const render = (p: { year: number; month?: number; day?: number }) =>
    [p.day ? pad(p.day) : undefined, p.month ? MONTHS[p.month - 1] : undefined, String(p.year)].filter(Boolean).join(' ');
  const exactDay = from === to && start.day !== undefined;
  const text = from === to || (start.year === end.year && !start.month && !end.month) ? render(start) : `${render(start)} to ${render(end)}`;
  return { text, from, to, exactDay };
}

/**
 * One documented name as the CSV writes it: for individuals `LAST NAME(S), Other Parts`, for
 * others the parts in document order. Name part types come through the identity's NamePartGroups.
 */
function documentedNameText(name: XmlElement, partTypeByGroup: ReadonlyMap<string, string>, individual: boolean): string | undefined {
  const parts = childrenOf(name, 'DocumentedNamePart')
    .map((part) => child(part, 'NamePartValue'))
    .filter((value): value is XmlElement => value !== undefined && value.text !== '');
  if (parts.length === 0) return undefined;
  if (!individual) return parts.map((part) => part.text).join(' ');
  const isLast = (part: XmlElement) => /^last name$/i.test(partTypeByGroup.get(part.attributes.NamePartGroupID ?? '') ?? '');
  const last = parts.filter(isLast).map((part) => part.text);
  const others = parts.filter((part) => !isLast(part)).map((part) => part.text);
  if (last.length === 0 || others.length === 0) return [...last, ...others].join(' ');
  return `${last.join(' ')}, ${others.join(' ')}`;
}

/** A location as one line: its parts (street, city, postal code, ...) in document order, then its country. */
function locationText(location: XmlElement, country: XmlElement | undefined): string {
  const parts = childrenOf(location, 'LocationPart').flatMap((part) =>
    childrenOf(part, 'LocationPartValue')
      .filter((value) => value.attributes.Primary !== 'false')
      .map((value) => textOf(value, 'Value'))
      .filter((text): text is string => Boolean(text)),
  );
  return [...parts, country?.text].filter(Boolean).join(', ');
}

interface Locations {
  readonly countries: ReadonlyMap<string, string>;
  readonly lines: ReadonlyMap<string, string>;
}

function partyOf(party: XmlElement, references: References, locations: Locations): Omit<SanctionsEntry, 'programs'> | undefined {
  const profile = child(party, 'Profile');
  const sdnId = Number(party.attributes.FixedRef ?? profile?.attributes.ID);
  if (!profile || !Number.isInteger(sdnId)) return undefined;

  const subType = lookup(references, 'PartySubTypeValues', profile.attributes.PartySubTypeID);
  const partyType = lookup(references, 'PartyTypeValues', subType?.attributes.PartyTypeID)?.text.toLowerCase();
  const subTypeName = subType?.text.toLowerCase();
  const type: EntryType = subTypeName === 'vessel' ? 'vessel' : subTypeName === 'aircraft' ? 'aircraft' : partyType === 'individual' ? 'individual' : 'entity';

  let primary: string | undefined;
  const aliases: ListedAlias[] = [];
  for (const identity of childrenOf(profile, 'Identity')) {
    const partTypeByGroup = new Map<string, string>();
    for (const group of descendants(identity, 'NamePartGroup')) {
      const partType = lookup(references, 'NamePartTypeValues', group.attributes.NamePartTypeID)?.text;
      if (group.attributes.ID && partType) partTypeByGroup.set(group.attributes.ID, partType);
    }
    for (const alias of childrenOf(identity, 'Alias')) {
      const names = childrenOf(alias, 'DocumentedName');
      // One DocumentedName per script; the Latin one is the spelling the CSV and investors use.
      const latin = names.find((name) =>
        childrenOf(name, 'DocumentedNamePart').every((part) => {
          const script = lookup(references, 'ScriptValues', child(part, 'NamePartValue')?.attributes.ScriptID)?.text;
          return script === undefined || /latin/i.test(script);
        }),
      );
      const text = documentedNameText(latin ?? names[0]!, partTypeByGroup, type === 'individual');
      if (!text) continue;
      const aliasType = lookup(references, 'AliasTypeValues', alias.attributes.AliasTypeID)?.text.toLowerCase() ?? '';
      if (alias.attributes.Primary === 'true' && identity.attributes.Primary !== 'false' && primary === undefined) {
        primary = text;
        continue;
      }
      const kind: ListedAlias['kind'] = aliasType.startsWith('f.k.a') ? 'fka' : aliasType.startsWith('n.k.a') ? 'nka' : 'aka';
      aliases.push({ name: text, kind, strength: alias.attributes.LowQuality === 'true' ? 'weak' : 'strong' });
    }
  }
  if (!primary) return undefined;

  const datesOfBirth: ListedDate[] = [];
  const countries = new Set<string>();
  const wallets: ListedWallet[] = [];
  const addresses: string[] = [];
  for (const feature of childrenOf(profile, 'Feature')) {
    const featureType = lookup(references, 'FeatureTypeValues', feature.attributes.FeatureTypeID)?.text ?? '';
    for (const version of childrenOf(feature, 'FeatureVersion')) {
      const currency = /^Digital Currency Address - ([A-Z0-9]+)$/.exec(featureType)?.[1];
      const detail = textOf(version, 'VersionDetail');
      if (currency && detail) wallets.push({ currency, address: detail });
      if (/^birthdate$/i.test(featureType)) {
        const period = child(version, 'DatePeriod');
        const date = period ? dateOfPeriod(period) : undefined;
        if (date) datesOfBirth.push(date);
      }
      for (const location of childrenOf(version, 'VersionLocation')) {
        const country = locations.countries.get(location.attributes.LocationID ?? '');
        if (country) countries.add(country);
        const line = locations.lines.get(location.attributes.LocationID ?? '');
        if (line && /^location$/i.test(featureType)) addresses.push(line);
      }
    }
  }
  return { sdnId, name: primary, type, aliases, datesOfBirth, countries: [...countries], wallets, ...displayFacts(addresses, textOf(party, 'Comment')) };
}

/** `<DateOfIssue><Year/><Month/><Day/></DateOfIssue>` → YYYY-MM-DD. */
function isoOfIssue(element: XmlElement): string | undefined {
  const year = Number(textOf(element, 'Year'));
  const month = Number(textOf(element, 'Month'));
  const day = Number(textOf(element, 'Day'));
  return year && month && day ? `${year}-${pad(month)}-${pad(day)}` : undefined;
}

/**
 * OFAC's SDN_ADVANCED.XML (the UN "Sanctions" schema OFAC publishes): code tables in
 * ReferenceValueSets, Locations by ID, one DistinctParty per entry (FixedRef = SDN id) with
 * Identity/Alias/DocumentedName names (LowQuality = weak a.k.a.) and Features (birthdate periods,
 * locations, digital currency addresses), and programs as SanctionsMeasure comments of the
 * SanctionsEntries. The sections come in that order, so one streaming pass suffices.
 */
export function parseSdnAdvancedXml(xml: string): { entries: SanctionsEntry[]; publishDate?: string } {
  let references: References = { values: new Map() };
  const locationCountries = new Map<string, string>();
  const locationLines = new Map<string, string>();
  const parties: Omit<SanctionsEntry, 'programs'>[] = [];
  const programsByProfile = new Map<number, string[]>();
  let publishDate: string | undefined;
  streamSubtrees(chunksOf(xml), new Set(Object.values(PATHS)), (path, element) => {
    switch (path) {
      case PATHS.dateOfIssue:
        publishDate = isoOfIssue(element);
        return;
      case PATHS.references:
        references = referencesOf(element);
        return;
      case PATHS.location: {
        const countryElement =
          lookup(references, 'CountryValues', child(element, 'LocationCountry')?.attributes.CountryID) ??
          lookup(references, 'AreaCodeValues', child(element, 'LocationAreaCode')?.attributes.AreaCodeID);
        const code = countryElement
          ? countryElement.attributes.ISO2
            ? countryCodeOf(countryElement.attributes.ISO2)
            : countryCodeOf(countryElement.text)
          : undefined;
        if (element.attributes.ID && code) locationCountries.set(element.attributes.ID, code);
        const line = locationText(element, countryElement);
        if (element.attributes.ID && line) locationLines.set(element.attributes.ID, line);
        return;
      }
      case PATHS.party: {
        const party = partyOf(element, references, { countries: locationCountries, lines: locationLines });
        if (party) parties.push(party);
        return;
      }
      case PATHS.sanctionsEntry: {
        const profileId = Number(element.attributes.ProfileID);
        const programs = childrenOf(element, 'SanctionsMeasure')
          .filter((measure) => /^program$/i.test(lookup(references, 'SanctionsTypeValues', measure.attributes.SanctionsTypeID)?.text ?? ''))
          .map((measure) => textOf(measure, 'Comment'))
          .filter((program): program is string => program !== undefined);
        programsByProfile.set(profileId, [...(programsByProfile.get(profileId) ?? []), ...programs]);
        return;
      }
    }
  });
  const entries = parties.map((party) => ({ ...party, programs: [...new Set(programsByProfile.get(party.sdnId) ?? [])] }));
  return { entries, publishDate };
}
