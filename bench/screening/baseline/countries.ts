// English country names only (7 KB), not the package's main entry with every locale.
import english from 'i18n-iso-countries/langs/en.json';
import { isCountryCode } from '../../../lambda/shared';

/** OFAC's own spellings that ISO's English names (and their listed alternatives) do not cover. */
const OFAC_SPELLINGS: Readonly<Record<string, string>> = {
  burma: 'MM',
  'korea north': 'KP',
  'korea south': 'KR',
  'congo democratic republic of the': 'CD',
  'congo republic of the': 'CG',
  'cote d ivoire': 'CI',
  'the gambia': 'GM',
  'bahamas the': 'BS',
  'gambia the': 'GM',
  'micronesia federated states of': 'FM',
  'west bank': 'PS',
  'region west bank': 'PS',
  'region gaza': 'PS',
  gaza: 'PS',
  palestinian: 'PS',
  turkiye: 'TR',
  'czech republic': 'CZ',
  kosovo: 'XK',
  'virgin islands british': 'VG',
  'region crimea': 'UA',
  crimea: 'UA',
  macau: 'MO',
  laos: 'LA',
  'cabo verde': 'CV',
  eswatini: 'SZ',
  swaziland: 'SZ',
  'holy see': 'VA',
  'saint kitts and nevis': 'KN',
  'saint vincent and the grenadines': 'VC',
  'st kitts and nevis': 'KN',
  'united states of america': 'US',
  usa: 'US',
  uk: 'GB',
  'great britain': 'GB',
  'soviet union': 'RU',
  ussr: 'RU',
  yugoslavia: 'RS',
};

const simplify = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const BY_NAME: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const [code, names] of Object.entries(english.countries as Record<string, string | string[]>)) {
    for (const name of ([] as string[]).concat(names)) map.set(simplify(name), code);
  }
  for (const [name, code] of Object.entries(OFAC_SPELLINGS)) map.set(name, code);
  return map;
})();

/**
 * ISO 3166-1 alpha-2 for a country as investors give it (a code) or as OFAC writes it (an English
 * name, sometimes `Korea, North` or `Region: Crimea`); undefined when it names no country.
 */
export function countryCodeOf(country: string): string | undefined {
  const trimmed = country.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const code = trimmed.toUpperCase();
    return isCountryCode(code) || code === 'XK' ? code : undefined;
  }
  return BY_NAME.get(simplify(trimmed));
}
