import { parsePublication, type SanctionsEntry, type SanctionsList } from '../../lambda/modules/screening';
import type { ListedDate, SourceFile } from '../../lambda/modules/screening/list';
import { toSdnXml } from './ofac-xml';

/** A date of birth OFAC lists as one exact day. */
export const bornOn = (day: string): ListedDate => ({ text: day, from: day, to: day, exactDay: true });

/** An SDN entry with what a test names; the rest empty. */
export function sdnEntry(entry: Pick<SanctionsEntry, 'sdnId' | 'name'> & Partial<SanctionsEntry>): SanctionsEntry {
  return { type: 'individual', programs: ['SDGT'], aliases: [], datesOfBirth: [], countries: [], wallets: [], ...entry };
}

/** A small publication in OFAC's SDN.XML format, as a source would serve it. */
export function sdnXmlFiles(entries: readonly SanctionsEntry[], publishDate: string): SourceFile[] {
  return [{ name: 'sdn.xml', bytes: Buffer.from(toSdnXml(entries, publishDate)) }];
}

/** The same publication parsed, as the refresh would parse it. */
export function syntheticList(entries: readonly SanctionsEntry[], publishDate: string): SanctionsList {
  return parsePublication(sdnXmlFiles(entries, publishDate), publishDate);
}
