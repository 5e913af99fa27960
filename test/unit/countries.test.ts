import { isCountryCode, numericCountryCode } from '../../lambda/domain/countries';

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
