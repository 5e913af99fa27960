import { jaroWinkler } from './similarity';

/**
 * Name normalisation shared by the list side and the query side, so both meet in one form:
 * Unicode decomposition with marks stripped, lower case, punctuation folded, `SURNAME, Given`
 * turned into `given surname`, legal forms canonicalised (never deleted: "X LTD" and "X" stay
 * different names, just closer), numbers kept.
 */

/** Letters that decomposition does not split into a base letter and a mark. */
const FOLDED_LETTERS: Readonly<Record<string, string>> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', ł: 'l', ı: 'i', þ: 'th', ħ: 'h', ŀ: 'l' };
const FOLDABLE = new RegExp(`[${Object.keys(FOLDED_LETTERS).join('')}]`, 'g');

/**
 * Legal forms, longest first, as token sequences → one canonical token. "S.A." and "S. A." both
 * reach `sa` because periods are dropped before splitting and `s a` is listed.
 */
const LEGAL_FORMS: ReadonlyArray<readonly [readonly string[], string]> = (
  [
    ['sociedad de responsabilidad limitada', 'srl'],
    ['open joint stock company', 'ojsc'],
    ['closed joint stock company', 'cjsc'],
    ['public joint stock company', 'pjsc'],
    ['limited liability company', 'llc'],
    ['limited liability partnership', 'llp'],
    ['gesellschaft mit beschrankter haftung', 'gmbh'],
    ['joint stock company', 'jsc'],
    ['public limited company', 'plc'],
    ['sociedad anonima', 'sa'],
    ['societe anonyme', 'sa'],
    ['sociedade anonima', 'sa'],
    ['societa per azioni', 'spa'],
    ['private limited', 'pvt ltd'],
    ['l l c', 'llc'],
    ['s a', 'sa'],
    ['s l', 'sl'],
    ['s r l', 'srl'],
    ['s p a', 'spa'],
    ['c v', 'cv'],
    ['limited', 'ltd'],
    ['company', 'co'],
    ['corporation', 'corp'],
    ['incorporated', 'inc'],
    ['aktiengesellschaft', 'ag'],
    ['establishment', 'est'],
    ['compania', 'cia'],
    ['companhia', 'cia'],
    ['international', 'intl'],
    ['private', 'pvt'],
  ] as const
).map(([phrase, canonical]) => [phrase.split(' '), canonical] as const);

/** Canonical legal forms and function words: they never make a match on their own. */
export const LOW_INFORMATION_TOKENS: ReadonlySet<string> = new Set([
  ...LEGAL_FORMS.flatMap(([, canonical]) => canonical.split(' ')),
  ...[
    'co',
    'ltd',
    'corp',
    'inc',
    'llc',
    'plc',
    'gmbh',
    'ag',
    'sa',
    'de',
    'cv',
    'rl',
    'bv',
    'nv',
    'oy',
    'ab',
    'as',
    'kg',
    'ooo',
    'zao',
    'oao',
    'pao',
    'tov',
    'fze',
    'fzco',
    'fzc',
    'fz',
    'dmcc',
    'pte',
    'sdn',
    'bhd',
    'pt',
    'tbk',
    'jsc',
    'group',
    'holding',
    'holdings',
    'trading',
    'the',
    'and',
    'of',
    'for',
    'y',
    'e',
    'et',
    'und',
    'la',
    'le',
    'les',
    'el',
    'al',
    'ul',
    'bin',
    'ibn',
    'bint',
    'ben',
    'abu',
    'da',
    'di',
    'do',
    'dos',
    'das',
    'del',
    'della',
    'van',
    'von',
    'der',
    'den',
    'mr',
    'mrs',
    'ms',
    'dr',
    'sheikh',
    'shaykh',
    'haji',
    'hajji',
    'mullah',
    'general',
    'gen',
  ],
]);

const ASCII = /^[ -~]*$/;

function foldLetters(text: string): string {
  // OFAC transliterates to ASCII: the Unicode work is for investors' names, and costs at load time.
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(FOLDABLE, (letter) => FOLDED_LETTERS[letter] ?? letter);
}

/** A legal-form word as written, allowing one slip in long words (LIMTED, LIABIITY, CORPORATON). */
function sameLegalWord(written: string | undefined, word: string): boolean {
  if (written === word) return true;
  if (written === undefined || word.length < 5 || written[0] !== word[0] || Math.abs(written.length - word.length) > 1) return false;
  return jaroWinkler(written, word) >= 0.9;
}

/** Legal forms by the first letter of their first word: most tokens meet none. */
const LEGAL_FORMS_BY_INITIAL: ReadonlyMap<string, typeof LEGAL_FORMS> = LEGAL_FORMS.reduce((map, form) => {
  const initial = form[0][0]![0]!;
  map.set(initial, [...(map.get(initial) ?? []), form]);
  return map;
}, new Map<string, typeof LEGAL_FORMS>());

function canonicaliseLegalForms(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length;) {
    const candidates = LEGAL_FORMS_BY_INITIAL.get(tokens[i]![0]!);
    const form = candidates?.find(([phrase]) => phrase.every((word, offset) => sameLegalWord(tokens[i + offset], word)));
    if (form) {
      out.push(...form[1].split(' '));
      i += form[0].length;
    } else {
      out.push(tokens[i]!);
      i++;
    }
  }
  return out;
}

/** Runs of single letters are one initialism, however it was punctuated: `S P R`, `S.P.R.` and `SPR` all read `spr`. */
function joinInitials(tokens: string[]): string[] {
  const out: string[] = [];
  let initialsRun = false;
  for (const token of tokens) {
    const initial = token.length === 1 && /^\p{L}$/u.test(token);
    if (initial && initialsRun) out[out.length - 1] += token;
    else out.push(token);
    initialsRun = initial || (initialsRun && initial);
  }
  return out;
}

/** Lower-case tokens of letters and digits, legal forms canonicalised. */
export function nameTokens(text: string): string[] {
  const lower = foldLetters(text)
    // Apostrophes and periods join what they separate: O'Brien → obrien, S.A. → sa.
    .replace(/[\u0027\u2018\u2019\u02bc\u0060\u00b4.]/g, '');
  const folded = (ASCII.test(lower) ? lower.replace(/[^a-z0-9]+/g, ' ') : lower.replace(/[^\p{L}\p{N}]+/gu, ' ')).trim();
  return folded === '' ? [] : canonicaliseLegalForms(joinInitials(folded.split(' ')));
}

/**
 * OFAC writes individuals as `SURNAME(S), Given Names`; people write `Given Surname`. Only a single
 * comma in an individual's name is read that way (entities' commas are part of the name).
 */
export function displayOrder(name: string, type: 'individual' | 'entity' | 'vessel' | 'aircraft' | undefined): string {
  if (type !== 'individual') return name;
  const parts = name.split(',');
  if (parts.length !== 2 || !parts[1]!.trim()) return name;
  return `${parts[1]!.trim()} ${parts[0]!.trim()}`;
}

/**
 * A consonant skeleton for blocking transliteration variants together (Muhammad/Mohammed,
 * Qaddafi/Gaddafi, Yusuf/Youssef): digraphs folded, similar consonants merged, vowels after the
 * first letter dropped, repeats collapsed. Only a blocking key: the scorer decides.
 */
export function skeletonOf(token: string): string {
  let out = '';
  let previous = '';
  for (let i = 0; i < token.length; i++) {
    const ch = token[i]!;
    const next = token[i + 1];
    let mapped: string;
    if (next === 'h' && 'pkgsctd'.includes(ch)) {
      // ph → f, kh/gh → k, sh/ch → s, th/dh → t
      mapped = ch === 'p' ? 'f' : ch === 'k' || ch === 'g' ? 'k' : ch === 's' || ch === 'c' ? 's' : 't';
      i++;
    } else {
      mapped = SKELETON_LETTERS[ch] ?? ch;
    }
    if (i === 0 || (i === 1 && out === '')) {
      out = VOWELS.includes(mapped) ? 'a' : mapped;
      previous = out;
      continue;
    }
    if (VOWELS.includes(mapped) || mapped === 'h') continue;
    if (mapped !== previous) out += mapped;
    previous = mapped;
  }
  return out;
}

const VOWELS = 'aeiouy';
const SKELETON_LETTERS: Readonly<Record<string, string>> = { q: 'k', c: 'k', g: 'k', x: 'ks', z: 's', w: 'v', d: 't', b: 'p' };
