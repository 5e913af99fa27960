import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { inclusionProof, leafHash, merkleLevels, merkleRoot, verifyInclusion } from '../../../lambda/modules/audit/merkle';

const hashes = (n: number) => Array.from({ length: n }, (_, i) => createHash('sha256').update(String(i)).digest('hex'));

/** RFC 9162's recursive definition, written out literally, to check the level-by-level build against. */
function referenceRoot(leaves: readonly string[]): Buffer {
  if (leaves.length === 1) return leafHash(leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return createHash('sha256')
    .update(Buffer.from([1]))
    .update(referenceRoot(leaves.slice(0, k)))
    .update(referenceRoot(leaves.slice(k)))
    .digest();
}

describe('Merkle tree (RFC 9162)', () => {
  it('has the root of the RFC definition for every size from 1 to 70', () => {
    for (let n = 1; n <= 70; n++) expect(merkleRoot(hashes(n))).toBe(referenceRoot(hashes(n)).toString('hex'));
  });

  it('proves every leaf of trees of any size, and no other hash', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), (size, pick) => {
        const leaves = hashes(size);
        const levels = merkleLevels(leaves);
        const root = levels.at(-1)![0]!.toString('hex');
        const index = pick % size;
        const proof = inclusionProof(levels, index);
        expect(verifyInclusion(leaves[index]!, proof, root)).toBe(true);
        expect(verifyInclusion(leaves[(index + 1) % size]!, proof, root)).toBe(size === 1);
        if (size > 1) expect(verifyInclusion(leaves[index]!, { ...proof, leafIndex: (index + 1) % size }, root)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a proof whose path was altered or whose leaf index is out of range', () => {
    const leaves = hashes(13);
    const levels = merkleLevels(leaves);
    const root = merkleRoot(leaves);
    const proof = inclusionProof(levels, 6);
    const altered = { ...proof, path: proof.path.map((hex, i) => (i === 1 ? hex.replace(/^./, (c) => (c === '0' ? '1' : '0')) : hex)) };
    expect(verifyInclusion(leaves[6]!, altered, root)).toBe(false);
    expect(verifyInclusion(leaves[6]!, { ...proof, leafIndex: 13 }, root)).toBe(false);
    expect(() => merkleLevels([])).toThrow(RangeError);
  });
});
