import { countryCodeOf } from './countries';
import { csvValue, parseOfacCsv } from './csv';
import { displayFacts, type EntryType, type ListedAlias, type SanctionsEntry } from './list';
import { parseRemarks } from './remarks';

/** The four files of OFAC's legacy CSV publication, as text. `sdn_comments.csv` may be empty. */
export interface LegacyCsvSet {
  readonly sdn: string;
  readonly add: string;
  readonly alt: string;
  readonly comments: string;
}

export const LEGACY_CSV_FILES = { sdn: 'sdn.csv', add: 'add.csv', alt: 'alt.csv', comments: 'sdn_comments.csv' } as const;
/** The consolidated non-SDN lists in the same dialect and columns (cons_prim.csv is sdn.csv's counterpart). */
export const CONS_CSV_FILES = { sdn: 'cons_prim.csv', add: 'cons_add.csv', alt: 'cons_alt.csv', comments: 'cons_comments.csv' } as const;

const ENTRY_TYPES: Readonly<Record<string, EntryType>> = { individual: 'individual', vessel: 'vessel', aircraft: 'aircraft' };
const ALIAS_KINDS: Readonly<Record<string, ListedAlias['kind']>> = { aka: 'aka', 'a.k.a.': 'aka', fka: 'fka', 'f.k.a.': 'fka', nka: 'nka', 'n.k.a.': 'nka' };

function groupBy<T>(rows: readonly string[][], map: (row: string[]) => T | undefined): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const id = Number(row[0]);
    const value = map(row);
    if (!Number.isInteger(id) || value === undefined) continue;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = []));
    group.push(value);
  }
  return groups;
}

/**
 * Joins SDN.CSV with its addresses, aliases and remark continuations. SDN.CSV cuts Remarks at
 * 1,000 characters; sdn_comments.csv holds the raw rest (it may split a word or an address), so the
 * two are concatenated before remarks are read. Rows of the other files whose entry is not in
 * SDN.CSV (designated later than it) are ignored.
 */
export function parseLegacyCsvSet(files: LegacyCsvSet): SanctionsEntry[] {
  const continuations = new Map<number, string>();
  for (const [id, rest] of parseOfacCsv(files.comments)) {
    if (id !== undefined && rest !== undefined) continuations.set(Number(id), (continuations.get(Number(id)) ?? '') + rest);
  }
  const aliases = groupBy(parseOfacCsv(files.alt), (row): ListedAlias | undefined => {
    const name = csvValue(row[3]);
    const kind = ALIAS_KINDS[csvValue(row[2])?.toLowerCase() ?? 'aka'];
    return name && kind ? { name, kind, strength: 'strong' } : undefined;
  });
  const addressCountries = groupBy(parseOfacCsv(files.add), (row) => {
    const country = csvValue(row[4]);
    return country ? countryCodeOf(country) : undefined;
  });

  const addresses = groupBy(parseOfacCsv(files.add), (row) => {
    const line = [row[2], row[3], row[4]].map(csvValue).filter(Boolean).join(', ');
    return line || undefined;
  });

  const entries: SanctionsEntry[] = [];
  for (const row of parseOfacCsv(files.sdn)) {
    const sdnId = Number(row[0]);
    const name = csvValue(row[1]);
    if (!Number.isInteger(sdnId) || !name) continue;
    // Raw concatenation: the cut may fall right after a space ("XBT |1abc..."), which trimming would lose.
    const continuation = continuations.get(sdnId);
    const remarks = continuation === undefined ? csvValue(row[11]) : (row[11] ?? '') + continuation;
    const facts = parseRemarks(remarks);
    entries.push({
      sdnId,
      name,
      type: ENTRY_TYPES[csvValue(row[2])?.toLowerCase() ?? ''] ?? 'entity',
      programs: (csvValue(row[3]) ?? '')
        .split(/\]\s*\[/)
        .map((program) => program.replace(/[[\]]/g, '').trim())
        .filter(Boolean),
      aliases: [...(aliases.get(sdnId) ?? []), ...facts.weakAliases],
      datesOfBirth: facts.datesOfBirth,
      countries: [...new Set([...(addressCountries.get(sdnId) ?? []), ...facts.countries])],
      wallets: facts.wallets,
      ...displayFacts(addresses.get(sdnId), remarks),
    });
  }
  return entries;
}
