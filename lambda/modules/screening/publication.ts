import { CONS_CSV_FILES, LEGACY_CSV_FILES, parseLegacyCsvSet } from './legacy-csv';
import { contentHashOf, listVersionOf, type ListFormat, type SanctionsEntry, type SanctionsList, type SourceFile } from './list';
import type { ListId } from './lists';
import { parseSdnAdvancedXml } from './sdn-advanced-xml';
import { parseSdnXml } from './sdn-xml';
import { ListFormatError } from './errors';

export const XML_FILES = { sdn: 'sdn.xml', advanced: 'sdn_advanced.xml' } as const;
/** The consolidated non-SDN lists in the same two XML schemas. */
export const CONS_XML_FILES = { sdn: 'consolidated.xml', advanced: 'cons_advanced.xml' } as const;

const decoder = new TextDecoder('utf-8');

function find(files: readonly SourceFile[], name: string): SourceFile | undefined {
  return files.find((file) => file.name.toLowerCase() === name);
}

/** Which list and format a set of files is, by OFAC's file names (the advanced XML first: it carries the most). */
export function publicationOf(files: readonly SourceFile[]): { list: ListId; format: ListFormat } | undefined {
  const kinds: [ListId, ListFormat, string][] = [
    ['ofac-sdn', 'sdn_advanced_xml', XML_FILES.advanced],
    ['ofac-sdn', 'sdn_xml', XML_FILES.sdn],
    ['ofac-sdn', 'legacy_csv', LEGACY_CSV_FILES.sdn],
    ['ofac-cons', 'sdn_advanced_xml', CONS_XML_FILES.advanced],
    ['ofac-cons', 'sdn_xml', CONS_XML_FILES.sdn],
    ['ofac-cons', 'legacy_csv', CONS_CSV_FILES.sdn],
  ];
  const kind = kinds.find(([, , name]) => find(files, name));
  return kind && { list: kind[0], format: kind[1] };
}

/** Which format a set of files is, by OFAC's file names. */
export function formatOf(files: readonly SourceFile[]): ListFormat | undefined {
  return publicationOf(files)?.format;
}

const csvFilesOf = (list: ListId) => (list === 'ofac-sdn' ? LEGACY_CSV_FILES : CONS_CSV_FILES);
const xmlFilesOf = (list: ListId) => (list === 'ofac-sdn' ? XML_FILES : CONS_XML_FILES);

/** The files of a publication that its version is computed over (and that a snapshot keeps). */
export function publicationFiles(files: readonly SourceFile[]): SourceFile[] {
  const publication = publicationOf(files);
  if (!publication) return [];
  const xml = xmlFilesOf(publication.list);
  const names: string[] =
    publication.format === 'sdn_advanced_xml' ? [xml.advanced] : publication.format === 'sdn_xml' ? [xml.sdn] : Object.values(csvFilesOf(publication.list));
  return names.map((name) => find(files, name)).filter((file): file is SourceFile => file !== undefined);
}

/**
 * Parses one OFAC publication, whichever list and format it is, into entries and a version. XML
 * formats carry their publish date; the CSV sets carry none, so the caller passes the file date.
 */
export function parsePublication(files: readonly SourceFile[], fileDate: string): SanctionsList {
  const publication = publicationOf(files);
  if (!publication)
    throw new ListFormatError(
      `no sanctions list among the files (expected ${XML_FILES.advanced}, ${XML_FILES.sdn} or ${LEGACY_CSV_FILES.sdn} with its companions, or their consolidated non-SDN counterparts ${CONS_XML_FILES.advanced}, ${CONS_XML_FILES.sdn}, ${CONS_CSV_FILES.sdn})`,
    );
  const { list, format } = publication;
  const used = publicationFiles(files);
  const text = (name: string) => {
    const file = find(used, name);
    return file ? decoder.decode(file.bytes) : '';
  };
  let entries: SanctionsEntry[];
  let publishDate: string | undefined;
  if (format === 'legacy_csv') {
    const names = csvFilesOf(list);
    for (const name of [names.add, names.alt]) {
      if (!find(used, name)) throw new ListFormatError(`${name} is missing: the CSV set needs ${Object.values(names).join(', ')}`);
    }
    entries = parseLegacyCsvSet({ sdn: text(names.sdn), add: text(names.add), alt: text(names.alt), comments: text(names.comments) });
  } else {
    const xml = xmlFilesOf(list);
    ({ entries, publishDate } = format === 'sdn_xml' ? parseSdnXml(text(xml.sdn)) : parseSdnAdvancedXml(text(xml.advanced)));
  }
  if (entries.length === 0) throw new ListFormatError(`the ${format} publication holds no entries`);
  const version = listVersionOf({
    list,
    listDate: publishDate ?? fileDate,
    dateSource: publishDate ? 'publish_date' : 'file_date',
    contentHash: contentHashOf(used),
    format,
    entryCount: entries.length,
  });
  return { version, entries };
}
