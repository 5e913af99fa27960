import { isCountryCode, numericCountryCode, toAlpha2 } from '../../../lambda/shared';

describe('ISO 3166-1 codes', () => {
  it('maps alpha-2 to the numeric code ERC-3643 registries store', () => {
    expect(numericCountryCode('US')).toBe(840);
    expect(numericCountryCode('de')).toBe(276);
    expect(numericCountryCode('AF')).toBe(4);
  });

  it('knows every assigned code and nothing else', () => {
    expect(isCountryCode('GB')).toBe(true);
    expect(isCountryCode('XX')).toBe(false);
    expect(() => numericCountryCode('XX')).toThrow(RangeError);
  });
});

describe('vendor country codes', () => {
  it('accepts alpha-3 (Sumsub, Onfido) and alpha-2, case-insensitively', () => {
    expect(toAlpha2('USA')).toBe('US');
    expect(toAlpha2('gbr')).toBe('GB');
    expect(toAlpha2('de')).toBe('DE');
    expect(toAlpha2('XXX')).toBeUndefined();
    expect(toAlpha2(undefined)).toBeUndefined();
  });
});
