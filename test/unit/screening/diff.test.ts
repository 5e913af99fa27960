import { diffLists } from '../../../lambda/modules/screening/diff';
import { LIST_2023_12_28, realList } from '../../helpers/ofac-data';

describe('list versions and their diff', () => {
  const before = realList(LIST_2023_12_28);
  const after = realList();

  it('finds the entries added, removed and changed between the 2023-12-28 and 2024-05-03 snapshots', () => {
    const diff = diffLists(before, after);
    expect(diff.added).toHaveLength(1256);
    expect(diff.removed).toHaveLength(112);
    const renamed = diff.changed.filter(
      (sdnId) => before.entries.find((entry) => entry.sdnId === sdnId)!.name !== after.entries.find((entry) => entry.sdnId === sdnId)!.name,
    );
    expect(renamed).toHaveLength(7);
    expect(diff.changed.length).toBeGreaterThan(renamed.length);
  });

  it('finds nothing between a list and itself, and everything against no list', () => {
    expect(diffLists(after, after)).toEqual({ added: [], removed: [], changed: [] });
    expect(diffLists(undefined, before).added).toHaveLength(before.entries.length);
  });

  it('gives each publication its own version: date plus content hash', () => {
    expect(before.version.id).toMatch(/^ofac-sdn:2023-12-28:[0-9a-f]{16}$/);
    expect(before.version.contentHash).not.toBe(after.version.contentHash);
  });
});
