import { createHash } from 'node:crypto';

export type EntryType = 'individual' | 'entity' | 'vessel' | 'aircraft';

/** `aka`/`fka`/`nka` as OFAC labels them; `weak` ones are OFAC's "weak" (low-quality) a.k.a.s. */
export interface ListedAlias {
  readonly name: string;
  readonly kind: 'aka' | 'fka' | 'nka';
  readonly strength: 'strong' | 'weak';
}

export interface ListedWallet {
  /** OFAC's currency code, e.g. `XBT`, `ETH`, `USDT`. */
  readonly currency: string;
  /** As published (case preserved). */
  readonly address: string;
}

/**
 * A date of birth as OFAC publishes it: an exact day, a month, a year, a year range, or "circa".
 * `from`/`to` are inclusive ISO dates bounding every day it may mean.
 */
export interface ListedDate {
  readonly text: string;
  readonly from: string;
  readonly to: string;
  /** True when the publication names a single exact day. */
  readonly exactDay: boolean;
}

/** One SDN entry, whatever format it came from. */
export interface SanctionsEntry {
  /** OFAC's ent_num / uid / FixedRef. */
  readonly sdnId: number;
  readonly name: string;
  readonly type: EntryType;
  readonly programs: readonly string[];
  readonly aliases: readonly ListedAlias[];
  readonly datesOfBirth: readonly ListedDate[];
  /** Countries tied to the entry (addresses, nationality, citizenship, place of birth), as English names. */
  readonly countries: readonly string[];
  readonly wallets: readonly ListedWallet[];
}

export type ListFormat = 'legacy_csv' | 'sdn_xml' | 'sdn_advanced_xml';

/** What identifies a loaded list: where it came from, when it was published and a hash of its content. */
export interface ListVersion {
  /** `ofac-sdn:<date>:<first 16 hex of the content hash>`; what every screening result records. */
  readonly id: string;
  /** Publish date (XML formats) or file date (CSV set), as YYYY-MM-DD. */
  readonly listDate: string;
  readonly dateSource: 'publish_date' | 'file_date';
  /** sha256 over the source files, in a fixed order, each preceded by its name and length. */
  readonly contentHash: string;
  readonly format: ListFormat;
  readonly entryCount: number;
}

export interface SanctionsList {
  readonly version: ListVersion;
  readonly entries: readonly SanctionsEntry[];
}

/** One file of a publication, as fetched or read. */
export interface SourceFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The hash that identifies a publication's content, independent of where it was read from. */
export function contentHashOf(files: readonly SourceFile[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    hash.update(`${file.name.toLowerCase()}\n${file.bytes.byteLength}\n`);
    hash.update(file.bytes);
  }
  return hash.digest('hex');
}

export function listVersionOf(input: {
  listDate: string;
  dateSource: ListVersion['dateSource'];
  contentHash: string;
  format: ListFormat;
  entryCount: number;
}): ListVersion {
  return { ...input, id: `ofac-sdn:${input.listDate}:${input.contentHash.slice(0, 16)}` };
}

/**
 * A stable hash of one entry's screening-relevant content: the review queue suppresses a repeat
 * alert only while both the investor's data and the entry are unchanged.
 */
export function entryHashOf(entry: SanctionsEntry): string {
  const relevant = {
    name: entry.name,
    type: entry.type,
    programs: [...entry.programs].sort(),
    aliases: entry.aliases.map((alias) => `${alias.strength}:${alias.kind}:${alias.name}`).sort(),
    datesOfBirth: entry.datesOfBirth.map((date) => date.text).sort(),
    countries: [...entry.countries].sort(),
    wallets: entry.wallets.map((wallet) => `${wallet.currency}:${wallet.address}`).sort(),
  };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex');
}
