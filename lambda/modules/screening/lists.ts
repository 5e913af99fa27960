/**
 * The sanctions lists we screen against, each with its own versions, refresh, diff and re-screen:
 * OFAC's SDN list, whose entries' property is blocked, and OFAC's consolidated non-SDN lists (SSI,
 * NS-CMIC, NS-PLC, FSE, NS-MBS, CAPTA, ...), whose entries are restricted in specific ways but not
 * blocked. What a hit on each means for an investor is a setting (`ListOutcomes`).
 */
export const LIST_IDS = ['ofac-sdn', 'ofac-cons'] as const;
export type ListId = (typeof LIST_IDS)[number];

export interface ListInfo {
  readonly name: string;
  /** Property of a listed person is blocked: a confirmed match is blocked property, reported to OFAC. */
  readonly blocking: boolean;
}

export const LISTS: Readonly<Record<ListId, ListInfo>> = {
  'ofac-sdn': { name: 'OFAC Specially Designated Nationals and Blocked Persons List (SDN)', blocking: true },
  'ofac-cons': { name: 'OFAC Consolidated Sanctions List (non-SDN lists)', blocking: false },
};

export const isListId = (value: string): value is ListId => (LIST_IDS as readonly string[]).includes(value);

/** What a hit does: `review` opens a case and holds the investor; `block` also freezes, removes and suspends. */
export type HitOutcome = 'review' | 'block';

/** Per list, what a name hit and what a wallet hit do. */
export type ListOutcomes = Readonly<Record<ListId, { readonly name: HitOutcome; readonly wallet: HitOutcome }>>;

/**
 * What a compliance officer expects: a name is never proof of identity, so a name hit is reviewed;
 * an SDN wallet is the listed person's property, so it blocks; a non-SDN entry's property is not
 * blocked, so its hits are reviewed (never an automatic block).
 */
export const DEFAULT_LIST_OUTCOMES: ListOutcomes = {
  'ofac-sdn': { name: 'review', wallet: 'block' },
  'ofac-cons': { name: 'review', wallet: 'review' },
};

/** What an outcome setting may not say, and why: the check the configuration parser applies. */
export function outcomeProblems(outcomes: ListOutcomes): string[] {
  const problems: string[] = [];
  for (const list of LIST_IDS) {
    if (outcomes[list].name === 'block') problems.push(`${list}: a name hit cannot block (a name is not proof of identity)`);
    if (!LISTS[list].blocking && outcomes[list].wallet === 'block') problems.push(`${list}: a non-SDN hit cannot block (the entry's property is not blocked)`);
  }
  return problems;
}

/**
 * The non-SDN lists, by the program tags OFAC gives their entries in the consolidated files, with
 * what they restrict: shown on a case so the officer knows what a hit means.
 */
const NON_SDN_PROGRAMS: ReadonlyArray<{ readonly test: RegExp; readonly list: string; readonly meaning: string }> = [
  {
    test: /^UKRAINE-EO13662$/,
    list: 'SSI (Sectoral Sanctions Identifications)',
    meaning:
      "US persons may not deal in the entity's new debt or new equity of the maturities its Directive (1-4 under EO 13662) names, nor in the Directive 4 energy projects; other dealings are allowed and its property is not blocked",
  },
  {
    test: /^RUSSIA-EO14024$/,
    list: 'EO 14024 Directives (non-SDN Russia-related)',
    meaning:
      "restricts the dealings the entry's Directive names (new debt or equity, correspondent or payable-through accounts, sovereign transactions); other dealings are allowed and its property is not blocked",
  },
  {
    test: /^CMIC-EO13959$/,
    list: 'NS-CMIC (Non-SDN Chinese Military-Industrial Complex Companies)',
    meaning: 'US persons may not buy or sell its publicly traded securities (or securities derived from them); its property is not blocked',
  },
  {
    test: /^NS-PLC$/,
    list: 'NS-PLC (Non-SDN Palestinian Legislative Council)',
    meaning: 'members of the Palestinian Legislative Council elected on the slate of a designated group; their property is not blocked',
  },
  {
    test: /^FSE-/,
    list: 'FSE (Foreign Sanctions Evaders)',
    meaning: 'US persons may not deal with it in goods, services or technology, or in the US; its property is not blocked',
  },
  {
    test: /^CAPTA$|^561-Related$/,
    list: 'CAPTA (Correspondent Account or Payable-Through Account Sanctions)',
    meaning: 'US banks may not open or keep correspondent or payable-through accounts for it; its property is not blocked',
  },
  {
    test: /^NS-MBS$|^CAATSA - RUSSIA$|^IRAN-CON-ARMS-EO$/,
    list: 'NS-MBS (Non-SDN Menu-Based Sanctions)',
    meaning: 'the sanctions chosen for it from a menu (named in its entry) apply, short of blocking; its property is not blocked',
  },
];

/** What the listing means, for the case: the list, its sub-list by program, and what it restricts. */
export function listingOf(list: ListId, programs: readonly string[]): { id: ListId; name: string; blocking: boolean; subLists: string[]; meaning: string } {
  const info = LISTS[list];
  if (info.blocking) {
    return {
      id: list,
      name: info.name,
      blocking: true,
      subLists: ['SDN'],
      meaning:
        'all property and interests in property of the listed person are blocked; US persons may not deal with them; a confirmed match is reported to OFAC',
    };
  }
  const known = programs.flatMap((program) => NON_SDN_PROGRAMS.filter((candidate) => candidate.test.test(program)));
  const unique = [...new Map(known.map((entry) => [entry.list, entry])).values()];
  return {
    id: list,
    name: info.name,
    blocking: false,
    subLists: unique.map((entry) => entry.list),
    meaning:
      unique.length > 0
        ? unique.map((entry) => `${entry.list}: ${entry.meaning}`).join('; ')
        : 'a non-SDN listing restricts specific dealings (see its programs), short of blocking; its property is not blocked',
  };
}
