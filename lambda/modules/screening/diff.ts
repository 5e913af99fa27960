import { entryHashOf, type SanctionsList } from './list';

/** What changed between two list versions, by SDN id. */
export interface ListDiff {
  readonly added: readonly number[];
  readonly removed: readonly number[];
  /** Same SDN id, different screening-relevant content (name, aliases, dates, countries, wallets, programs). */
  readonly changed: readonly number[];
}

export function diffLists(previous: SanctionsList | undefined, next: SanctionsList): ListDiff {
  const before = new Map((previous?.entries ?? []).map((entry) => [entry.sdnId, entry]));
  const after = new Set(next.entries.map((entry) => entry.sdnId));
  const added: number[] = [];
  const changed: number[] = [];
  for (const entry of next.entries) {
    const old = before.get(entry.sdnId);
    if (!old) added.push(entry.sdnId);
    else if (entryHashOf(old) !== entryHashOf(entry)) changed.push(entry.sdnId);
  }
  const removed = [...before.keys()].filter((sdnId) => !after.has(sdnId));
  const ascending = (a: number, b: number) => a - b;
  return { added: added.sort(ascending), removed: removed.sort(ascending), changed: changed.sort(ascending) };
}
