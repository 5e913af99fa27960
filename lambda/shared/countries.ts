// Only the ISO 3166-1 code table of i18n-iso-countries: its main entry bundles every locale's
// country names (700 KB per function) and we need none of them.
import codes from 'i18n-iso-countries/codes.json';

const NUMERIC_BY_ALPHA2 = new Map(codes.map(([alpha2, , numeric]) => [alpha2 as string, Number(numeric)]));
const ALPHA2_BY_ALPHA3 = new Map(codes.map(([alpha2, alpha3]) => [alpha3 as string, alpha2 as string]));

/** True for ISO 3166-1 alpha-2 codes, upper case. */
export function isCountryCode(alpha2: string): boolean {
  return NUMERIC_BY_ALPHA2.has(alpha2);
}

/** ISO 3166-1 numeric code, as ERC-3643 identity registries store a country (uint16). */
export function numericCountryCode(alpha2: string): number {
  const numeric = NUMERIC_BY_ALPHA2.get(alpha2.toUpperCase());
  if (numeric === undefined) throw new RangeError(`unknown country code ${alpha2}`);
  return numeric;
}

/** Alpha-2 for an alpha-2 or alpha-3 code (vendors report either), or undefined if unknown. */
export function toAlpha2(code: string | undefined): string | undefined {
  if (!code) return undefined;
  const upper = code.trim().toUpperCase();
  if (upper.length === 2) return NUMERIC_BY_ALPHA2.has(upper) ? upper : undefined;
  return ALPHA2_BY_ALPHA3.get(upper);
}
