import fc from 'fast-check';
import { getAddress, hexlify, keccak256 as ethersKeccak } from 'ethers';
import { keccak256, toChecksumAddress } from '../../../lambda/shared/keccak';

describe('keccak-256 and EIP-55 checksums', () => {
  it('hashes as ethers does, across the 136-byte block boundary', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(hexlify(keccak256(bytes))).toBe(ethersKeccak(bytes));
      }),
      { numRuns: 200 },
    );
    expect(hexlify(keccak256(new Uint8Array(0)))).toBe('0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  });

  it('checksums addresses as ethers does (and as EIP-55 lists)', () => {
    expect(toChecksumAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed')).toBe('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) => {
        const address = hexlify(bytes);
        expect(toChecksumAddress(address)).toBe(getAddress(address));
      }),
      { numRuns: 200 },
    );
  });
});
