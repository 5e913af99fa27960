/**
 * A labelled evaluation set built from the real list, deterministically (seeded): name variants of
 * listed entries (positives: the entry must reach review) and common names that are not on the
 * list (negatives: they should stay clear). Variants are the ones screening meets in practice:
 * reordered names, dropped middle names, accents, one-letter typos, transliterations, aliases.
 */
import { type SanctionsEntry, displayOrder, nameTokens } from '../../lambda/modules/screening';

export type VariantKind = 'exact' | 'reordered' | 'dropped_middle' | 'accents' | 'typo' | 'transliteration' | 'alias' | 'case_punctuation';

export interface LabelledQuery {
  readonly query: { name: string; type?: 'individual' | 'entity' };
  /** The SDN id a positive must reach review with; absent for negatives. */
  readonly sdnId?: number;
  readonly kind: VariantKind | 'negative';
  /** For negatives: which name pool it came from. */
  readonly group?: string;
}

/** mulberry32: small, fast, and the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const ACCENTS: Readonly<Record<string, string>> = {
  a: 'á',
  e: 'é',
  i: 'í',
  o: 'ó',
  u: 'ú',
  n: 'ñ',
  c: 'ç',
  A: 'Á',
  E: 'É',
  I: 'Í',
  O: 'Ö',
  U: 'Ü',
  N: 'Ñ',
  C: 'Ç',
};

/** Spelling shifts between romanisations of Arabic, Persian, Russian and Chinese names. */
const TRANSLITERATIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/ou/i, 'u'],
  [/u/i, 'ou'],
  [/ee/i, 'i'],
  [/ei/i, 'ey'],
  [/ai/i, 'ay'],
  [/y/i, 'i'],
  [/q/i, 'k'],
  [/k/i, 'q'],
  [/ph/i, 'f'],
  [/kh/i, 'h'],
  [/sh/i, 'sch'],
  [/dh/i, 'd'],
  [/th/i, 't'],
  [/mohammad/i, 'Muhammad'],
  [/muhammad/i, 'Mohammed'],
  [/mohammed/i, 'Muhammad'],
  [/ahmad/i, 'Ahmed'],
  [/ahmed/i, 'Ahmad'],
  [/hussein/i, 'Husayn'],
  [/hassan/i, 'Hasan'],
  [/yusuf/i, 'Youssef'],
  [/abdul/i, 'Abdel'],
  [/abd al/i, 'Abdul'],
  [/oo/i, 'u'],
  [/ij/i, 'y'],
  [/ov$/i, 'off'],
  [/iy/i, 'i'],
  [/v/i, 'w'],
  [/e/i, 'a'],
  [/a/i, 'e'],
  [/o/i, 'u'],
];

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

function typo(random: () => number, name: string): string | undefined {
  const parts = words(name);
  const candidates = parts.map((part, i) => ({ part, i })).filter(({ part }) => /^[A-Za-z]{5,}$/.test(part));
  if (candidates.length === 0) return undefined;
  const { part, i } = pick(random, candidates);
  const at = 1 + Math.floor(random() * (part.length - 2));
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let changed: string;
  switch (Math.floor(random() * 4)) {
    case 0:
      changed = part.slice(0, at) + pick(random, [...letters]) + part.slice(at + 1);
      break;
    case 1:
      changed = part.slice(0, at) + part.slice(at + 1);
      break;
    case 2:
      changed = part.slice(0, at) + pick(random, [...letters]) + part.slice(at);
      break;
    default:
      changed = part.slice(0, at) + part[at + 1] + part[at] + part.slice(at + 2);
  }
  if (changed.toLowerCase() === part.toLowerCase()) return undefined;
  parts[i] = changed;
  return parts.join(' ');
}

function transliterate(random: () => number, name: string): string | undefined {
  const parts = words(name);
  const order = parts.map((_, i) => i).sort(() => random() - 0.5);
  for (const i of order) {
    const part = parts[i]!;
    if (part.length < 4) continue;
    const rules = TRANSLITERATIONS.filter(([pattern]) => pattern.test(part));
    if (rules.length === 0) continue;
    const [pattern, replacement] = pick(random, rules);
    parts[i] = part.replace(pattern, replacement);
    return parts.join(' ');
  }
  return undefined;
}

function variantOf(random: () => number, entry: SanctionsEntry, kind: VariantKind): string | undefined {
  const given = displayOrder(entry.name, entry.type);
  const parts = words(given);
  switch (kind) {
    case 'exact':
      return given;
    case 'reordered': {
      // People swap given names and surnames; nobody reorders a company's name.
      if (entry.type !== 'individual' || parts.length < 2) return undefined;
      const shuffled = [...parts.slice(1), parts[0]!];
      return shuffled.join(' ');
    }
    case 'dropped_middle': {
      if (entry.type !== 'individual' || parts.length < 3) return undefined;
      const drop = 1 + Math.floor(random() * (parts.length - 2));
      return parts.filter((_, i) => i !== drop).join(' ');
    }
    case 'accents': {
      const letters = [...given].map((letter, i) => ({ letter, i })).filter(({ letter }) => ACCENTS[letter]);
      if (letters.length === 0) return undefined;
      const chars = [...given];
      for (let n = 0; n < Math.min(3, letters.length); n++) {
        const { letter, i } = pick(random, letters);
        chars[i] = ACCENTS[letter]!;
      }
      return chars.join('');
    }
    case 'typo':
      return typo(random, given);
    case 'transliteration':
      return transliterate(random, given);
    case 'alias': {
      const strong = entry.aliases.filter((alias) => alias.strength === 'strong');
      return strong.length === 0 ? undefined : displayOrder(pick(random, strong).name, entry.type);
    }
    case 'case_punctuation':
      return given
        .toLowerCase()
        .replace(/[-,.']/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
  }
}

const KINDS: readonly VariantKind[] = ['exact', 'reordered', 'dropped_middle', 'accents', 'typo', 'transliteration', 'alias', 'case_punctuation'];

/** Common given names and surnames by region; combinations of these are the negatives. */
export const NAME_POOLS: Readonly<Record<string, { given: readonly string[]; surnames: readonly string[]; share: number }>> = {
  anglo: {
    share: 0.3,
    given: [
      'James',
      'Mary',
      'John',
      'Patricia',
      'Robert',
      'Jennifer',
      'Michael',
      'Linda',
      'William',
      'Elizabeth',
      'David',
      'Barbara',
      'Richard',
      'Susan',
      'Joseph',
      'Jessica',
      'Thomas',
      'Sarah',
      'Charles',
      'Karen',
      'Christopher',
      'Nancy',
      'Daniel',
      'Lisa',
      'Matthew',
      'Betty',
      'Anthony',
      'Margaret',
      'Mark',
      'Sandra',
      'Paul',
      'Emily',
      'Steven',
      'Ashley',
      'Andrew',
      'Kimberly',
      'Kevin',
      'Donna',
      'Brian',
      'Michelle',
      'George',
      'Laura',
      'Edward',
      'Amanda',
      'Ryan',
      'Melissa',
      'Jacob',
      'Rebecca',
      'Gary',
      'Stephanie',
    ],
    surnames: [
      'Smith',
      'Johnson',
      'Williams',
      'Brown',
      'Jones',
      'Miller',
      'Davis',
      'Wilson',
      'Anderson',
      'Taylor',
      'Thomas',
      'Moore',
      'Jackson',
      'Martin',
      'Thompson',
      'White',
      'Harris',
      'Clark',
      'Lewis',
      'Robinson',
      'Walker',
      'Young',
      'Allen',
      'King',
      'Wright',
      'Scott',
      'Hill',
      'Green',
      'Adams',
      'Baker',
      'Nelson',
      'Carter',
      'Mitchell',
      'Roberts',
      'Turner',
      'Phillips',
      'Campbell',
      'Parker',
      'Evans',
      'Edwards',
      'Collins',
      'Stewart',
      'Morris',
      'Murphy',
      'Cook',
      'Rogers',
      'Morgan',
      'Cooper',
      'Peterson',
      'Reed',
    ],
  },
  hispanic: {
    share: 0.15,
    given: [
      'Jose',
      'Maria',
      'Juan',
      'Carmen',
      'Luis',
      'Ana',
      'Carlos',
      'Rosa',
      'Jorge',
      'Isabel',
      'Miguel',
      'Lucia',
      'Pedro',
      'Elena',
      'Manuel',
      'Sofia',
      'Francisco',
      'Laura',
      'Antonio',
      'Paula',
      'Javier',
      'Marta',
      'Diego',
      'Andrea',
      'Alejandro',
      'Gabriela',
      'Fernando',
      'Valentina',
      'Ricardo',
      'Camila',
    ],
    surnames: [
      'Garcia',
      'Rodriguez',
      'Martinez',
      'Hernandez',
      'Lopez',
      'Gonzalez',
      'Perez',
      'Sanchez',
      'Ramirez',
      'Torres',
      'Flores',
      'Rivera',
      'Gomez',
      'Diaz',
      'Reyes',
      'Morales',
      'Cruz',
      'Ortiz',
      'Gutierrez',
      'Chavez',
      'Ramos',
      'Ruiz',
      'Alvarez',
      'Mendoza',
      'Castillo',
      'Jimenez',
      'Moreno',
      'Romero',
      'Herrera',
      'Medina',
    ],
  },
  european: {
    share: 0.15,
    given: [
      'Hans',
      'Anna',
      'Pierre',
      'Marie',
      'Giuseppe',
      'Giulia',
      'Jan',
      'Eva',
      'Lars',
      'Ingrid',
      'Klaus',
      'Sophie',
      'Luca',
      'Chiara',
      'Jean',
      'Claire',
      'Pieter',
      'Sanne',
      'Erik',
      'Astrid',
      'Tomasz',
      'Katarzyna',
      'Andreas',
      'Lena',
      'Marco',
      'Francesca',
      'Louis',
      'Camille',
      'Stefan',
      'Julia',
    ],
    surnames: [
      'Muller',
      'Schmidt',
      'Schneider',
      'Fischer',
      'Weber',
      'Meyer',
      'Wagner',
      'Becker',
      'Dubois',
      'Durand',
      'Lefebvre',
      'Moreau',
      'Rossi',
      'Russo',
      'Ferrari',
      'Esposito',
      'Bianchi',
      'Romano',
      'de Jong',
      'Jansen',
      'de Vries',
      'Bakker',
      'Nielsen',
      'Hansen',
      'Johansson',
      'Larsson',
      'Kowalski',
      'Nowak',
      'Novak',
      'Horvath',
    ],
  },
  east_asian: {
    share: 0.12,
    given: [
      'Wei',
      'Fang',
      'Min',
      'Jing',
      'Hao',
      'Lei',
      'Yan',
      'Jun',
      'Hiroshi',
      'Yuki',
      'Takashi',
      'Akiko',
      'Kenji',
      'Haruto',
      'Sakura',
      'Ji-hoon',
      'Seo-yeon',
      'Min-jun',
      'Hye-jin',
      'Minh',
      'Thi',
      'Anh',
      'Linh',
      'Hung',
    ],
    surnames: [
      'Wang',
      'Li',
      'Zhang',
      'Liu',
      'Chen',
      'Yang',
      'Huang',
      'Zhao',
      'Wu',
      'Zhou',
      'Sato',
      'Suzuki',
      'Takahashi',
      'Tanaka',
      'Watanabe',
      'Ito',
      'Yamamoto',
      'Nakamura',
      'Park',
      'Lee',
      'Choi',
      'Jung',
      'Nguyen',
      'Tran',
      'Pham',
    ],
  },
  south_asian: {
    share: 0.1,
    given: [
      'Aarav',
      'Priya',
      'Rahul',
      'Ananya',
      'Vikram',
      'Deepika',
      'Arjun',
      'Kavya',
      'Rohan',
      'Sneha',
      'Amit',
      'Pooja',
      'Sanjay',
      'Neha',
      'Raj',
      'Divya',
      'Suresh',
      'Lakshmi',
      'Ravi',
      'Meera',
    ],
    surnames: [
      'Patel',
      'Sharma',
      'Singh',
      'Kumar',
      'Gupta',
      'Reddy',
      'Iyer',
      'Nair',
      'Mehta',
      'Joshi',
      'Desai',
      'Rao',
      'Verma',
      'Kapoor',
      'Malhotra',
      'Chopra',
      'Bhatt',
      'Pillai',
      'Menon',
      'Das',
    ],
  },
  arabic_persian: {
    share: 0.1,
    given: [
      'Omar',
      'Fatima',
      'Youssef',
      'Aisha',
      'Karim',
      'Layla',
      'Tariq',
      'Nour',
      'Samir',
      'Mariam',
      'Rami',
      'Yasmin',
      'Khalid',
      'Salma',
      'Nabil',
      'Hana',
      'Reza',
      'Shirin',
      'Dariush',
      'Parisa',
    ],
    surnames: [
      'Haddad',
      'Khoury',
      'Nasser',
      'Saleh',
      'Farouk',
      'Mansour',
      'Aziz',
      'Rahimi',
      'Karimi',
      'Hosseini',
      'Tehrani',
      'Shams',
      'Bakr',
      'Darwish',
      'Hamdan',
      'Jaber',
      'Kassem',
      'Naji',
      'Sabbagh',
      'Zaki',
    ],
  },
  slavic: {
    share: 0.08,
    given: [
      'Ivan',
      'Olga',
      'Dmitry',
      'Natalia',
      'Sergei',
      'Tatiana',
      'Alexei',
      'Irina',
      'Nikolai',
      'Svetlana',
      'Pavel',
      'Yulia',
      'Andrei',
      'Ekaterina',
      'Mikhail',
      'Anastasia',
      'Oleksandr',
      'Oksana',
      'Bogdan',
      'Milena',
    ],
    surnames: [
      'Ivanov',
      'Smirnov',
      'Kuznetsov',
      'Popov',
      'Vasiliev',
      'Petrov',
      'Sokolov',
      'Mikhailov',
      'Novikov',
      'Fedorov',
      'Morozov',
      'Volkov',
      'Shevchenko',
      'Bondarenko',
      'Kovalenko',
      'Horvat',
      'Kovac',
      'Jovanovic',
      'Petrovic',
      'Nikolic',
    ],
  },
};

const COMPANY_WORDS = [
  'Northern',
  'Blue',
  'River',
  'Summit',
  'Harbor',
  'Pioneer',
  'Granite',
  'Cedar',
  'Atlas',
  'Meridian',
  'Evergreen',
  'Silver',
  'Oak',
  'Lakeside',
  'Horizon',
  'Keystone',
  'Redwood',
  'Beacon',
  'Crescent',
  'Liberty',
];
const COMPANY_KINDS = ['Capital', 'Partners', 'Advisors', 'Holdings', 'Investments', 'Asset Management', 'Family Office', 'Ventures', 'Trust', 'Wealth'];
const COMPANY_FORMS = ['LLC', 'LP', 'Inc.', 'Ltd', 'Corp', 'GmbH', 'S.A.', 'AG', 'Limited', 'Corporation'];

export interface LabelledSet {
  readonly positives: readonly LabelledQuery[];
  readonly negatives: readonly LabelledQuery[];
}

/**
 * Positives: `positivesPerKind` variants of each kind from randomly chosen individuals and
 * entities. Negatives: common given + surname (sometimes a middle name) by regional share, and
 * invented company names with legal forms; any negative whose tokens equal a listed name is dropped.
 */
export function buildLabelledSet(
  entries: readonly SanctionsEntry[],
  options: { seed?: number; positivesPerKind?: number; negatives?: number } = {},
): LabelledSet {
  const random = seededRandom(options.seed ?? 20240503);
  const perKind = options.positivesPerKind ?? 300;
  const people = entries.filter((entry) => entry.type === 'individual' || entry.type === 'entity');
  const positives: LabelledQuery[] = [];
  for (const kind of KINDS) {
    let made = 0;
    for (let attempts = 0; made < perKind && attempts < perKind * 50; attempts++) {
      const entry = pick(random, people);
      const name = variantOf(random, entry, kind);
      if (!name || nameTokens(name).length === 0) continue;
      positives.push({ query: { name, type: entry.type === 'individual' ? 'individual' : 'entity' }, sdnId: entry.sdnId, kind });
      made++;
    }
  }

  const listed = new Set<string>();
  for (const entry of entries) {
    for (const name of [entry.name, ...entry.aliases.map((alias) => alias.name)]) listed.add(nameTokens(name).sort().join(' '));
  }
  const negatives: LabelledQuery[] = [];
  const wanted = options.negatives ?? 2000;
  const groups = Object.entries(NAME_POOLS);
  const companies = Math.round(wanted * 0.1);
  while (negatives.length < wanted - companies) {
    let roll = random();
    const [group, pool] = groups.find(([, candidate]) => (roll -= candidate.share) < 0) ?? groups[0]!;
    const middle = random() < 0.25 ? ` ${pick(random, pool.given)}` : '';
    const name = `${pick(random, pool.given)}${middle} ${pick(random, pool.surnames)}`;
    if (listed.has(nameTokens(name).sort().join(' '))) continue;
    negatives.push({ query: { name, type: 'individual' }, kind: 'negative', group });
  }
  while (negatives.length < wanted) {
    const name = `${pick(random, COMPANY_WORDS)} ${pick(random, COMPANY_WORDS)} ${pick(random, COMPANY_KINDS)} ${pick(random, COMPANY_FORMS)}`;
    if (listed.has(nameTokens(name).sort().join(' '))) continue;
    negatives.push({ query: { name, type: 'entity' }, kind: 'negative', group: 'company' });
  }
  return { positives, negatives };
}
