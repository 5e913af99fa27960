import { readListFolder } from '../../lambda/modules/screening/adapters';
import { ScreeningEngine, parsePublication, type SanctionsList } from '../../lambda/modules/screening';

import { CURRENT_SDN_DIR, NON_SDN_DIR, OFAC_DATA_DIR, PREVIOUS_SDN_DIR } from '../../bin/local/ofac-data';

/** The OFAC snapshots in data/ofac (see its PROVENANCE.md). */
export const OFAC_DATA = OFAC_DATA_DIR;
export const LIST_2024_05_03 = CURRENT_SDN_DIR;
export const LIST_2023_12_28 = PREVIOUS_SDN_DIR;

const cache = new Map<string, SanctionsList>();

/** A real list folder, parsed once per test file. */
export function realList(folder = LIST_2024_05_03): SanctionsList {
  let list = cache.get(folder);
  if (!list) {
    const { files, fileDate } = readListFolder(folder);
    cache.set(folder, (list = parsePublication(files, fileDate)));
  }
  return list;
}

let engine: ScreeningEngine | undefined;
export function realEngine(): ScreeningEngine {
  engine ??= new ScreeningEngine(realList());
  return engine;
}

/** The consolidated non-SDN snapshot, parsed once per test file. */
export const NON_SDN_LIST = NON_SDN_DIR;
export function realNonSdnList(): SanctionsList {
  return realList(NON_SDN_DIR);
}
