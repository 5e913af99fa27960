/**
 * Which words of two names match, so the officer sees at a glance what the screening matched on.
 * Mirrors the screening's idea (accents, case and punctuation ignored; a word matches a near
 * spelling) without being the scorer: the score shown is the API's.
 */

export const wordsOf = (name: string) => name.split(/([\p{L}\p{N}]+)/u);

export function normalised(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
}

/** Jaro-Winkler similarity of two words, 0..1. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i += 1) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j += 1) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = bMatched[j] = true;
      matches += 1;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < a.length; i += 1) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j += 1;
    if (a[i] !== b[j]) transpositions += 1;
    j += 1;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < Math.min(4, a.length, b.length) && a[prefix] === b[prefix]) prefix += 1;
  return jaro + prefix * 0.1 * (1 - jaro);
}

const NEAR = 0.9;

/** The normalised words of `name` that some word of `other` matches, exactly or nearly. */
export function matchedWords(name: string, other: string): ReadonlySet<string> {
  const mine = (name.match(/[\p{L}\p{N}]+/gu) ?? []).map(normalised);
  const theirs = (other.match(/[\p{L}\p{N}]+/gu) ?? []).map(normalised);
  return new Set(mine.filter((word) => theirs.some((candidate) => jaroWinkler(word, candidate) >= NEAR)));
}
