import { countryCodeOf } from './countries';
import type { ListedAlias, ListedDate, ListedWallet } from './list';

/** What the legacy CSV format keeps only inside an entry's Remarks. */
export interface RemarkFacts {
  readonly weakAliases: readonly ListedAlias[];
  readonly datesOfBirth: readonly ListedDate[];
  /** ISO alpha-2 codes from nationality, citizenship and place of birth. */
  readonly countries: readonly string[];
  readonly wallets: readonly ListedWallet[];
}

const MONTHS: Readonly<Record<string, number>> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const pad = (value: number) => String(value).padStart(2, '0');
const lastDayOf = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** One point of an OFAC date: `25 Mar 1977`, `Mar 1977` or `1977`, as the range of days it covers. */
function datePoint(text: string): { from: string; to: string; exactDay: boolean } | undefined {
  const match = /^(?:(\d{1,2})\s+)?(?:([A-Za-z]{3})[a-z]*\.?\s+)?(\d{4})$/.exec(text.trim());
  if (!match) return undefined;
  const [, day, monthName, yearText] = match;
  const year = Number(yearText);
  const month = monthName ? MONTHS[monthName.toLowerCase()] : undefined;
  if (monthName && month === undefined) return undefined;
  if (month === undefined) return { from: `${year}-01-01`, to: `${year}-12-31`, exactDay: false };
  if (day === undefined) return { from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${pad(lastDayOf(year, month))}`, exactDay: false };
  const iso = `${year}-${pad(month)}-${pad(Number(day))}`;
  return { from: iso, to: iso, exactDay: true };
}

/**
 * An OFAC date of birth: `25 Mar 1977`, `Mar 1977`, `1977`, `circa 1977` (taken as two years
 * either side), `1960 to 1962` or `01 Jan 1960 to 31 Dec 1962`.
 */
export function parseListedDate(text: string): ListedDate | undefined {
  const cleaned = text.trim().replace(/\.$/, '');
  const circa = /^circa\s+(\d{4})$/i.exec(cleaned);
  if (circa) {
    const year = Number(circa[1]);
    return { text: cleaned, from: `${year - 2}-01-01`, to: `${year + 2}-12-31`, exactDay: false };
  }
  const [start, end, ...rest] = cleaned.split(/\s+to\s+/i);
  if (rest.length > 0 || start === undefined) return undefined;
  const from = datePoint(start);
  const to = end === undefined ? from : datePoint(end);
  if (!from || !to) return undefined;
  return { text: cleaned, from: from.from, to: to.to, exactDay: end === undefined && from.exactDay };
}

const ALIAS = /^(a|f|n)\.k\.a\.\s+'(.+)'\.?$/;
const WALLET = /^Digital Currency Address - ([A-Z0-9]+)\s+(\S+?)\.?$/;

/**
 * Reads the facts in an entry's Remarks (joined with its sdn_comments continuation): weak a.k.a.s,
 * dates of birth, nationality, citizenship, place of birth and digital-currency addresses. Items
 * are `; `-separated and may carry an `alt.` prefix.
 */
export function parseRemarks(remarks: string | undefined): RemarkFacts {
  const weakAliases: ListedAlias[] = [];
  const datesOfBirth: ListedDate[] = [];
  const countries = new Set<string>();
  const wallets: ListedWallet[] = [];
  if (!remarks) return { weakAliases, datesOfBirth, countries: [], wallets };

  for (const raw of remarks.split(';')) {
    const item = raw.trim().replace(/^alt\.\s+/, '');
    const alias = ALIAS.exec(item);
    if (alias) {
      weakAliases.push({ name: alias[2]!, kind: `${alias[1]}ka` as ListedAlias['kind'], strength: 'weak' });
      continue;
    }
    const wallet = WALLET.exec(item);
    if (wallet) {
      wallets.push({ currency: wallet[1]!, address: wallet[2]! });
      continue;
    }
    if (item.startsWith('DOB ')) {
      const date = parseListedDate(item.slice(4));
      if (date) datesOfBirth.push(date);
      continue;
    }
    const country = /^(?:nationality|citizen|POB)\s+(.+?)\.?$/.exec(item);
    if (country) {
      // Places of birth read "City, Province, Country": the country is the last part.
      const code = countryCodeOf(country[1]!.split(',').pop()!);
      if (code) countries.add(code);
    }
  }
  return { weakAliases, datesOfBirth, countries: [...countries], wallets };
}
