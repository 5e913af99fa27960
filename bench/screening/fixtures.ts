import path from 'node:path';
import { readListFolder } from '../../lambda/modules/screening/adapters';
import { parsePublication, type SanctionsList } from '../../lambda/modules/screening';

/** shared/data beside the repository (see shared/data/ofac/PROVENANCE.md). */
export const OFAC_DATA = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'ofac');
export const CURRENT_LIST_DIR = path.join(OFAC_DATA, '2024-05-03');

export function loadList(folder = CURRENT_LIST_DIR): SanctionsList {
  const { files, fileDate } = readListFolder(folder);
  return parsePublication(files, fileDate);
}
