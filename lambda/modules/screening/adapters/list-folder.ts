import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../list';

/** OFAC's file names, matched case-insensitively (the service serves SDN.CSV, mirrors sdn.csv). */
const KNOWN_FILES = new Set([
  'sdn.csv',
  'add.csv',
  'alt.csv',
  'sdn_comments.csv',
  'sdn.xml',
  'sdn_advanced.xml',
  'cons_prim.csv',
  'cons_add.csv',
  'cons_alt.csv',
  'cons_comments.csv',
  'consolidated.xml',
  'cons_advanced.xml',
]);

export class ListFolderError extends Error {
  override readonly name = 'ListFolderError';
}

/**
 * A publication read from a folder (local runs, tests, the CLI). Its file date is the folder's
 * name when that is a date (our snapshots are named so), else the newest file's modification date.
 */
export function readListFolder(folder: string): { files: SourceFile[]; fileDate: string } {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new ListFolderError(`list folder ${folder} does not exist or is not a folder`);
  const names = readdirSync(folder).filter((name) => KNOWN_FILES.has(name.toLowerCase()));
  if (names.length === 0) throw new ListFolderError(`list folder ${folder} holds none of ${[...KNOWN_FILES].join(', ')}`);
  const files = names.map((name) => ({ name: name.toLowerCase(), bytes: readFileSync(path.join(folder, name)) }));
  const base = path.basename(path.resolve(folder));
  const newest = Math.max(...names.map((name) => statSync(path.join(folder, name)).mtimeMs));
  const fileDate = /^\d{4}-\d{2}-\d{2}$/.test(base) ? base : new Date(newest).toISOString().slice(0, 10);
  return { files, fileDate };
}
