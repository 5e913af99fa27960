/**
 * A multimap from 32-bit hashes to small integers on typed arrays: building the name index's
 * blocking keys this way allocates no string or array per key, which keeps a cold start short.
 * Hash collisions only add candidates; the scorer checks every candidate exactly.
 */
export class IntMultiMap {
  private slotKeys: Int32Array;
  private slotHeads: Int32Array;
  private entryNext: Int32Array;
  private entryValues: Int32Array;
  private entries = 0;
  private used = 0;

  constructor(expectedEntries: number) {
    const capacity = 1 << Math.ceil(Math.log2(Math.max(16, expectedEntries * 2)));
    this.slotKeys = new Int32Array(capacity);
    this.slotHeads = new Int32Array(capacity).fill(-1);
    this.entryNext = new Int32Array(Math.max(16, expectedEntries));
    this.entryValues = new Int32Array(Math.max(16, expectedEntries));
  }

  private slotOf(key: number): number {
    const mask = this.slotKeys.length - 1;
    let slot = (Math.imul(key, 0x9e3779b1) >>> 0) & mask;
    while (this.slotHeads[slot] !== -1 && this.slotKeys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }

  add(key: number, value: number): void {
    if (this.used * 2 >= this.slotKeys.length) this.rehash();
    const slot = this.slotOf(key);
    const head = this.slotHeads[slot]!;
    // The same value twice in a row under one key (a token with a repeated deletion) is stored once.
    if (head !== -1 && this.entryValues[head] === value) return;
    if (this.entries === this.entryValues.length) {
      this.entryNext = grow(this.entryNext);
      this.entryValues = grow(this.entryValues);
    }
    if (head === -1) {
      this.slotKeys[slot] = key;
      this.used++;
    }
    this.entryValues[this.entries] = value;
    this.entryNext[this.entries] = head;
    this.slotHeads[slot] = this.entries++;
  }

  forEach(key: number, visit: (value: number) => void): void {
    for (let entry = this.slotHeads[this.slotOf(key)]!; entry !== -1; entry = this.entryNext[entry]!) visit(this.entryValues[entry]!);
  }

  private rehash(): void {
    const keys = this.slotKeys;
    const heads = this.slotHeads;
    this.slotKeys = new Int32Array(keys.length * 2);
    this.slotHeads = new Int32Array(keys.length * 2).fill(-1);
    for (let slot = 0; slot < keys.length; slot++) {
      if (heads[slot] === -1) continue;
      const target = this.slotOf(keys[slot]!);
      this.slotKeys[target] = keys[slot]!;
      this.slotHeads[target] = heads[slot]!;
    }
  }
}

function grow(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** FNV-1a over a string's char codes, skipping the one at `skip` (−1 skips none). */
export function hashSkipping(text: string, skip: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    if (i === skip) continue;
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}
