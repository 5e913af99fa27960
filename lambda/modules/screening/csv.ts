/**
 * OFAC's legacy CSV dialect (SDN.CSV, ADD.CSV, ALT.CSV, SDN_COMMENTS.CSV and the CONS_* files):
 * no header, comma-separated, double-quoted fields with `""` escapes, CRLF line ends, `-0-` (often
 * `-0- `) for null, and a lone 0x1A (DOS end-of-file) byte after the last record.
 */

const DOS_EOF = '\u001a';

/** `-0-` and blank mean "no value". */
export function csvValue(field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  const trimmed = field.trim();
  return trimmed === '' || trimmed === '-0-' ? undefined : trimmed;
}

/**
 * Splits the text into records of raw fields. Quoted fields may hold commas and line breaks;
 * everything after a DOS end-of-file byte is ignored, as OFAC's own readers do.
 */
export function parseOfacCsv(text: string): string[][] {
  const eof = text.indexOf(DOS_EOF);
  const end = eof === -1 ? text.length : eof;
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  // Fields are sliced out of the text rather than built a character at a time: SDN.CSV is 4 MB.
  while (i < end) {
    let field: string;
    if (text.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote === -1 || quote >= end) throw new SyntaxError(`unterminated quoted field in record ${records.length + 1}`);
        value += text.slice(from, quote);
        if (text.charCodeAt(quote + 1) === 34) {
          value += '"';
          from = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      // Anything between the closing quote and the separator is kept, as lenient readers do.
      let stop = i;
      while (stop < end && text[stop] !== ',' && text[stop] !== '\r' && text[stop] !== '\n') stop++;
      field = value + text.slice(i, stop);
      i = stop;
    } else {
      let stop = i;
      while (stop < end && text[stop] !== ',' && text[stop] !== '\r' && text[stop] !== '\n') stop++;
      field = text.slice(i, stop);
      i = stop;
    }
    record.push(field);
    if (i >= end || text[i] !== ',') {
      records.push(record);
      record = [];
      while (i < end && (text[i] === '\r' || text[i] === '\n')) i++;
    } else {
      i++;
      if (i >= end) {
        record.push('');
        records.push(record);
        record = [];
      }
    }
  }
  return records;
}
