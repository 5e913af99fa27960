/**
 * The queries that are hard for a token index, built from the real list (seeded): what real KYC
 * traffic holds beside easy name variants. Each category is timed on its own, so a slow kind of
 * query cannot hide in an easy mix's p99.
 */
import { type SanctionsEntry, displayOrder, nameTokens } from '../../lambda/modules/screening';
import { NAME_POOLS, seededRandom } from './labelled-set';

export type HardCategory = 'long_entity_common_words' | 'acronym' | 'one_token' | 'many_aliases' | 'non_latin';
export const HARD_CATEGORIES: readonly HardCategory[] = ['long_entity_common_words', 'acronym', 'one_token', 'many_aliases', 'non_latin'];

export interface HardQuery {
  readonly category: HardCategory;
  readonly query: { name: string; type?: 'individual' | 'entity' };
  /** Where the query was made from a listed entry: its SDN id. */
  readonly sdnId?: number;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Latin → Cyrillic, the reverse of OFAC's romanisation of Russian names (longest sequences first). */
const TO_CYRILLIC: ReadonlyArray<readonly [string, string]> = [
  ['shch', 'щ'],
  ['zh', 'ж'],
  ['kh', 'х'],
  ['ts', 'ц'],
  ['ch', 'ч'],
  ['sh', 'ш'],
  ['yu', 'ю'],
  ['ya', 'я'],
  ['ye', 'е'],
  ['yo', 'ё'],
  ['iy', 'ий'],
  ['yy', 'ый'],
  ...(Object.entries({
    a: 'а',
    b: 'б',
    v: 'в',
    g: 'г',
    d: 'д',
    e: 'е',
    z: 'з',
    i: 'и',
    y: 'ы',
    k: 'к',
    l: 'л',
    m: 'м',
    n: 'н',
    o: 'о',
    p: 'п',
    r: 'р',
    s: 'с',
    t: 'т',
    u: 'у',
    f: 'ф',
    h: 'х',
    c: 'к',
    j: 'дж',
    q: 'к',
    w: 'в',
    x: 'кс',
  }) as [string, string][]),
];

/** Latin → Greek, as Greek documents write foreign names. */
const TO_GREEK: ReadonlyArray<readonly [string, string]> = [
  ['th', 'θ'],
  ['ch', 'χ'],
  ['kh', 'χ'],
  ['ps', 'ψ'],
  ['ou', 'ου'],
  ...(Object.entries({
    a: 'α',
    b: 'μπ',
    g: 'γ',
    d: 'ντ',
    e: 'ε',
    z: 'ζ',
    i: 'ι',
    k: 'κ',
    l: 'λ',
    m: 'μ',
    n: 'ν',
    x: 'ξ',
    o: 'ο',
    p: 'π',
    r: 'ρ',
    s: 'σ',
    t: 'τ',
    u: 'ου',
    f: 'φ',
    h: 'χ',
    v: 'β',
    y: 'υ',
    c: 'κ',
    j: 'τζ',
    w: 'ου',
    q: 'κ',
  }) as [string, string][]),
];

/** Latin → Arabic letters, short vowels left out as Arabic writes them. */
const TO_ARABIC: ReadonlyArray<readonly [string, string]> = [
  ['kh', 'خ'],
  ['sh', 'ش'],
  ['th', 'ث'],
  ['dh', 'ذ'],
  ['gh', 'غ'],
  ['ee', 'ي'],
  ['ii', 'ي'],
  ['oo', 'و'],
  ['uu', 'و'],
  ...(Object.entries({
    b: 'ب',
    t: 'ت',
    j: 'ج',
    h: 'ح',
    d: 'د',
    r: 'ر',
    z: 'ز',
    s: 'س',
    f: 'ف',
    q: 'ق',
    k: 'ك',
    l: 'ل',
    m: 'م',
    n: 'ن',
    w: 'و',
    y: 'ي',
    g: 'ج',
    c: 'ك',
    p: 'ب',
    v: 'ف',
    x: 'كس',
  }) as [string, string][]),
];

function rewrite(word: string, table: ReadonlyArray<readonly [string, string]>, vowelsOut = false): string {
  let out = '';
  const lower = word.toLowerCase();
  for (let i = 0; i < lower.length;) {
    if (vowelsOut && 'aeiou'.includes(lower[i]!) && !table.some(([from]) => lower.startsWith(from, i))) {
      if (i === 0) out += 'ا';
      i++;
      continue;
    }
    const rule = table.find(([from]) => lower.startsWith(from, i));
    if (rule) {
      out += rule[1];
      i += rule[0].length;
    } else i++;
  }
  return out;
}

const writtenIn = (name: string, table: ReadonlyArray<readonly [string, string]>, vowelsOut = false) =>
  name
    .split(/[\s,-]+/)
    .filter(Boolean)
    .map((word) => (vowelsOut && word.toLowerCase() === 'al' ? 'ال' : rewrite(word, table, vowelsOut)))
    .join(' ')
    .replace(/ال /g, 'ال');

/** Common Chinese names (negatives) and a listed one, in Han characters. */
const HAN_NAMES = ['王伟', '李娜', '张敏', '刘洋', '陈静', '杨帆', '黄磊', '赵强', '周杰', '吴刚', '徐丽', '孙涛', '胡军', '朱红', '高峰', '林芳', '严晓兵'];

/** Words every long company name is made of; the list is full of them. */
const COMMON_WORDS = [
  'COMPANY',
  'TRADING',
  'INTERNATIONAL',
  'GROUP',
  'GENERAL',
  'INDUSTRIAL',
  'NATIONAL',
  'DEVELOPMENT',
  'INVESTMENT',
  'ENGINEERING',
  'SERVICES',
  'TECHNOLOGY',
  'SHIPPING',
  'COMMERCIAL',
  'BANK',
  'IMPORT',
  'EXPORT',
  'OIL',
  'GAS',
  'PETROLEUM',
  'ENERGY',
  'LIMITED',
  'CORPORATION',
  'HOLDING',
  'INDUSTRIES',
  'MANAGEMENT',
  'FINANCIAL',
  'GLOBAL',
  'MARINE',
  'CONSTRUCTION',
];

/**
 * `perCategory` queries of each category: positives made from listed entries where the category
 * allows (long entity names, aliases, non-Latin renderings of listed people) and invented ones
 * that only look like them (common words, random acronyms, common names in other scripts).
 */
export function buildHardMix(entries: readonly SanctionsEntry[], options: { seed?: number; perCategory?: number } = {}): HardQuery[] {
  const random = seededRandom(options.seed ?? 21);
  const per = options.perCategory ?? 300;
  const queries: HardQuery[] = [];
  const entities = entries.filter((entry) => entry.type === 'entity');
  const people = entries.filter((entry) => entry.type === 'individual');

  const longEntities = entities.filter((entry) => nameTokens(entry.name).length >= 5);
  for (let i = 0; i < per; i++) {
    if (i % 2 === 0) {
      const entry = pick(random, longEntities);
      queries.push({ category: 'long_entity_common_words', query: { name: entry.name, type: 'entity' }, sdnId: entry.sdnId });
    } else {
      const words = Array.from({ length: 5 + Math.floor(random() * 5) }, () => pick(random, COMMON_WORDS));
      queries.push({ category: 'long_entity_common_words', query: { name: words.join(' '), type: 'entity' } });
    }
  }

  const shortTokens = [...new Set(entries.flatMap((entry) => nameTokens(entry.name)).filter((token) => token.length >= 2 && token.length <= 4))];
  for (let i = 0; i < per; i++) {
    const letters = 'ABCDEFGHIJKLMNOPRSTUVWYZ';
    const invented = Array.from({ length: 2 + Math.floor(random() * 4) }, () => pick(random, [...letters])).join('');
    const name = i % 3 === 0 ? pick(random, shortTokens).toUpperCase() : i % 3 === 1 ? invented : invented.split('').join('.');
    queries.push({ category: 'acronym', query: { name, type: 'entity' } });
  }

  const listedTokens = entries.flatMap((entry) => nameTokens(displayOrder(entry.name, entry.type))).filter((token) => token.length > 3);
  const givenNames = Object.values(NAME_POOLS).flatMap((pool) => pool.given);
  for (let i = 0; i < per; i++) {
    const name = i % 2 === 0 ? pick(random, listedTokens).toUpperCase() : pick(random, givenNames);
    queries.push({ category: 'one_token', query: { name } });
  }

  const byAliases = [...entries].sort((a, b) => b.aliases.length - a.aliases.length).slice(0, 60);
  const arabicGiven = ['Muhammad', 'Ahmad', 'Ali', 'Hassan', 'Hussein', 'Abdullah', 'Abd al Rahman', 'Omar', 'Khalid', 'Ibrahim', 'Yusuf', 'Mahmoud'];
  for (let i = 0; i < per; i++) {
    if (i % 2 === 0) {
      const entry = pick(random, byAliases);
      const alias = pick(random, [entry.name, ...entry.aliases.map((candidate) => candidate.name)]);
      queries.push({ category: 'many_aliases', query: { name: displayOrder(alias, entry.type) }, sdnId: entry.sdnId });
    } else {
      const name = Array.from({ length: 3 + Math.floor(random() * 3) }, () => pick(random, arabicGiven)).join(' ');
      queries.push({ category: 'many_aliases', query: { name, type: 'individual' } });
    }
  }

  const russians = people.filter((entry) => entry.programs.some((program) => /RUSSIA|UKRAINE|BELARUS/.test(program)));
  const arabs = people.filter((entry) => entry.programs.some((program) => /SDGT|IRAN|SYRIA|IRAQ|IFSR|FTO/.test(program)));
  for (let i = 0; i < per; i++) {
    const script = i % 4;
    if (script === 0) {
      const entry = pick(random, russians);
      queries.push({
        category: 'non_latin',
        query: { name: writtenIn(displayOrder(entry.name, entry.type), TO_CYRILLIC), type: 'individual' },
        sdnId: entry.sdnId,
      });
    } else if (script === 1) {
      const entry = pick(random, arabs);
      queries.push({
        category: 'non_latin',
        query: { name: writtenIn(displayOrder(entry.name, entry.type), TO_ARABIC, true), type: 'individual' },
        sdnId: entry.sdnId,
      });
    } else if (script === 2) {
      const pool = pick(random, Object.values(NAME_POOLS));
      queries.push({
        category: 'non_latin',
        query: { name: writtenIn(`${pick(random, pool.given)} ${pick(random, pool.surnames)}`, TO_GREEK), type: 'individual' },
      });
    } else {
      queries.push({ category: 'non_latin', query: { name: pick(random, HAN_NAMES), type: 'individual' } });
    }
  }
  return queries;
}
