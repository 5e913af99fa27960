import { hash } from 'node:crypto';

/**
 * Merkle trees as RFC 9162 (Certificate Transparency v2) defines them, so any CT tool can check a
 * proof: leaf = sha256(0x00 || record hash), node = sha256(0x01 || left || right), and a lone
 * last node is carried up a level unchanged (the same shape as the RFC's recursive split).
 */
const leafInput = Buffer.alloc(33);
const nodeInput = Buffer.alloc(65);
leafInput[0] = 0;
nodeInput[0] = 1;

// One-shot hashing into reused buffers: verification builds trees of millions of leaves.
export function leafHash(recordHash: string): Buffer {
  if (recordHash.length !== 64 || leafInput.write(recordHash, 1, 32, 'hex') !== 32) throw new TypeError('a record hash is 64 hex digits');
  return hash('sha256', leafInput, 'buffer');
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  left.copy(nodeInput, 1);
  right.copy(nodeInput, 33);
  return hash('sha256', nodeInput, 'buffer');
}

/** Every level of the tree, leaves first; the root is the last level's only node. */
export function merkleLevels(recordHashes: readonly string[]): Buffer[][] {
  if (recordHashes.length === 0) throw new RangeError('a Merkle tree needs at least one leaf');
  const levels: Buffer[][] = [recordHashes.map(leafHash)];
  for (let level = levels[0]!; level.length > 1;) {
    const next: Buffer[] = [];
    for (let index = 0; index < level.length; index += 2) next.push(index + 1 < level.length ? nodeHash(level[index]!, level[index + 1]!) : level[index]!);
    levels.push(next);
    level = next;
  }
  return levels;
}

export function merkleRoot(recordHashes: readonly string[]): string {
  return merkleLevels(recordHashes).at(-1)![0]!.toString('hex');
}

export interface InclusionProof {
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Sibling hashes from the leaf up, hex. */
  readonly path: readonly string[];
}

export function inclusionProof(levels: readonly Buffer[][], leafIndex: number): InclusionProof {
  const treeSize = levels[0]!.length;
  if (leafIndex < 0 || leafIndex >= treeSize) throw new RangeError(`leaf ${leafIndex} is not in a tree of ${treeSize}`);
  const path: string[] = [];
  let index = leafIndex;
  for (const level of levels.slice(0, -1)) {
    const sibling = index ^ 1;
    if (sibling < level.length) path.push(level[sibling]!.toString('hex'));
    index >>= 1;
  }
  return { leafIndex, treeSize, path };
}

/** RFC 9162 section 2.1.3.2: true when `recordHash` is leaf `leafIndex` of the tree with `root`. */
export function verifyInclusion(recordHash: string, proof: InclusionProof, root: string): boolean {
  if (!Number.isInteger(proof.leafIndex) || proof.leafIndex < 0 || proof.leafIndex >= proof.treeSize) return false;
  let fn = proof.leafIndex;
  let sn = proof.treeSize - 1;
  let r = leafHash(recordHash);
  for (const hex of proof.path) {
    if (sn === 0) return false;
    const p = Buffer.from(hex, 'hex');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.toString('hex') === root;
}
