import { LEGACY_CSV_FILES, parseLegacyCsvSet } from './legacy-csv';
import { contentHashOf, listVersionOf, type ListFormat, type SanctionsEntry, type SanctionsList, type SourceFile } from './list';
import { parseSdnAdvancedXml } from './sdn-advanced-xml';
import { parseSdnXml } from './sdn-xml';
import { ListFormatError } from './errors';

export const XML_FILES = { sdn: 'sdn.xml', advanced: 'sdn_advanced.xml' } as const;

const decoder = new TextDecoder('utf-8');

function find(files: readonly SourceFile[], name: string): SourceFile | undefined {
  return files.find((file) => file.name.toLowerCase() === name);
}

/** Which format a set of files is, by OFAC's file names. */
export function formatOf(files: readonly SourceFile[]): ListFormat | undefined {
  if (find(files, XML_FILES.advanced)) return 'sdn_advanced_xml';
  if (find(files, XML_FILES.sdn)) return 'sdn_xml';
  if (find(files, LEGACY_CSV_FILES.sdn)) return 'legacy_csv';
  return undefined;
}

/** The files of a publication that its version is computed over (and that a snapshot keeps). */
export function publicationFiles(files: readonly SourceFile[]): SourceFile[] {
  const format = formatOf(files);
  const names: string[] = format === 'sdn_advanced_xml' ? [XML_FILES.advanced] : format === 'sdn_xml' ? [XML_FILES.sdn] : Object.values(LEGACY_CSV_FILES);
  return names.map((name) => find(files, name)).filter((file): file is SourceFile => file !== undefined);
}

/**
 * Parses one OFAC publication, whichever format it is in, into entries and a version. XML formats
 * carry their publish date; the CSV set carries none, so the caller passes the file date.
 */
export function parsePublication(files: readonly SourceFile[], fileDate: string): SanctionsList {
  const format = formatOf(files);
  if (!format)
    throw new ListFormatError(
      `no sanctions list among the files (expected ${XML_FILES.advanced}, ${XML_FILES.sdn} or ${LEGACY_CSV_FILES.sdn} with its companions)`,
    );
  const used = publicationFiles(files);
  const text = (name: string) => {
    const file = find(used, name);
    return file ? decoder.decode(file.bytes) : '';
  };
  let entries: SanctionsEntry[];
  let publishDate: string | undefined;
  if (format === 'legacy_csv') {
    for (const name of [LEGACY_CSV_FILES.add, LEGACY_CSV_FILES.alt]) {
      if (!find(used, name)) throw new ListFormatError(`${name} is missing: the CSV set needs ${Object.values(LEGACY_CSV_FILES).join(', ')}`);
    }
    entries = parseLegacyCsvSet({
      sdn: text(LEGACY_CSV_FILES.sdn),
      add: text(LEGACY_CSV_FILES.add),
      alt: text(LEGACY_CSV_FILES.alt),
      comments: text(LEGACY_CSV_FILES.comments),
    });
  } else {
    ({ entries, publishDate } = format === 'sdn_xml' ? parseSdnXml(text(XML_FILES.sdn)) : parseSdnAdvancedXml(text(XML_FILES.advanced)));
  }
  if (entries.length === 0) throw new ListFormatError(`the ${format} publication holds no entries`);
  const version = listVersionOf({
    listDate: publishDate ?? fileDate,
    dateSource: publishDate ? 'publish_date' : 'file_date',
    contentHash: contentHashOf(used),
    format,
    entryCount: entries.length,
  });
  return { version, entries };
}
