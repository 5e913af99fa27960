import { existsSync } from 'node:fs';
import path from 'node:path';
import { readListFolder } from '../../lambda/modules/screening/adapters';
import { ScreeningEngine, parsePublication, type SanctionsList } from '../../lambda/modules/screening';

/**
 * shared/data/ofac beside the repository (CI clones the repo with shared/ next to it). A git
 * worktree sits deeper than the main checkout, so the nearest ancestor that has it wins.
 */
function besideTheRepository(): string {
  const repository = path.resolve(__dirname, '..', '..');
  const beside = path.join(path.dirname(repository), 'shared', 'data', 'ofac');
  for (let folder = path.dirname(repository); folder !== path.dirname(folder); folder = path.dirname(folder)) {
    const candidate = path.join(folder, 'shared', 'data', 'ofac');
    if (existsSync(candidate)) return candidate;
  }
  return beside;
}
export const OFAC_DATA = besideTheRepository();
export const LIST_2024_05_03 = path.join(OFAC_DATA, '2024-05-03');
export const LIST_2023_12_28 = path.join(OFAC_DATA, '2023-12-28');

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
