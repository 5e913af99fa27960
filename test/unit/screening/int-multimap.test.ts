import { IntMultiMap, hashSkipping } from '../../../lambda/modules/screening/int-multimap';

const valuesOf = (map: IntMultiMap, key: number) => {
  const values: number[] = [];
  map.forEach(key, (value) => values.push(value));
  return values;
};

describe('IntMultiMap', () => {
  it('keeps every value of a key, the newest first, and nothing for an unknown key', () => {
    const map = new IntMultiMap(4);
    map.add(7, 1);
    map.add(7, 2);
    map.add(-7, 3);
    expect(valuesOf(map, 7)).toEqual([2, 1]);
    expect(valuesOf(map, -7)).toEqual([3]);
    expect(valuesOf(map, 8)).toEqual([]);
  });

  it('stores a value repeated in a row under one key once, but keeps a value that comes back later', () => {
    const map = new IntMultiMap(4);
    map.add(1, 5);
    map.add(1, 5);
    map.add(1, 6);
    map.add(1, 5);
    expect(valuesOf(map, 1)).toEqual([5, 6, 5]);
  });

  it('grows past what it expected, in keys and in values, and loses nothing', () => {
    const map = new IntMultiMap(1);
    const keys = Array.from({ length: 500 }, (_, i) => hashSkipping(`token-${i}`, -1));
    keys.forEach((key, i) => {
      map.add(key, i);
      map.add(key, i + 1000);
    });
    keys.forEach((key, i) => expect(valuesOf(map, key)).toEqual([i + 1000, i]));
  });

  it('tells apart keys that land in the same slot', () => {
    // Multiples of 2^16 all hash to slot 0 of a small table: probing must keep them apart.
    const map = new IntMultiMap(8);
    const colliding = [0, 1 << 16, 2 << 16, 3 << 16];
    colliding.forEach((key, i) => map.add(key, i));
    colliding.forEach((key, i) => expect(valuesOf(map, key)).toEqual([i]));
  });
});

describe('hashSkipping', () => {
  it('hashes a string without the character at the index, as if it were not there', () => {
    expect(hashSkipping('karimov', 3)).toBe(hashSkipping('karmov', -1));
    expect(hashSkipping('karimov', 0)).toBe(hashSkipping('arimov', -1));
    expect(hashSkipping('karimov', -1)).not.toBe(hashSkipping('karmov', -1));
  });

  it('is FNV-1a over the char codes, as a signed 32-bit integer', () => {
    // FNV-1a of "a" is 0xe40c292c.
    expect(hashSkipping('a', -1)).toBe(0xe40c292c | 0);
    expect(hashSkipping('', -1)).toBe(0x811c9dc5 | 0);
  });
});
