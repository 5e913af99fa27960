import { readListFolder } from '../../lambda/modules/screening/adapters';
import { parsePublication, type SanctionsList } from '../../lambda/modules/screening';

import { CURRENT_SDN_DIR, NON_SDN_DIR, OFAC_DATA_DIR, PREVIOUS_SDN_DIR } from '../../bin/local/ofac-data';

/** The OFAC snapshots in data/ofac (see its PROVENANCE.md). */
export const OFAC_DATA = OFAC_DATA_DIR;
export const CURRENT_LIST_DIR = CURRENT_SDN_DIR;
export const PREVIOUS_LIST_DIR = PREVIOUS_SDN_DIR;
export const NON_SDN_LIST_DIR = NON_SDN_DIR;

export function loadList(folder = CURRENT_LIST_DIR): SanctionsList {
  const { files, fileDate } = readListFolder(folder);
  return parsePublication(files, fileDate);
}
