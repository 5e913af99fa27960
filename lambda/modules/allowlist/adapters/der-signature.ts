import { Signature, computeAddress, hexlify, recoverAddress, toBeHex } from 'ethers';

/** Order of the secp256k1 group. */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
/** OID 1.3.132.0.10 (secp256k1) as it appears in a SubjectPublicKeyInfo. */
const SECP256K1_OID = Uint8Array.from([0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a]);

/** Reads one DER TLV at `offset`: tag, value bounds, and where the next one starts. */
function readTlv(der: Uint8Array, offset: number): { tag: number; start: number; end: number } {
  const tag = der[offset];
  let length = der[offset + 1];
  if (tag === undefined || length === undefined) throw new TypeError('truncated DER');
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes < 1 || bytes > 2) throw new TypeError('unsupported DER length');
    length = 0;
    for (let index = 0; index < bytes; index++) length = (length << 8) | (der[start + index] ?? 0);
    start += bytes;
  }
  const end = start + length;
  if (end > der.length) throw new TypeError('truncated DER');
  return { tag, start, end };
}

/** r and s of an ECDSA-Sig-Value (`SEQUENCE { r INTEGER, s INTEGER }`), as KMS and OpenSSL return it. */
export function parseDerSignature(der: Uint8Array): { r: bigint; s: bigint } {
  const sequence = readTlv(der, 0);
  if (sequence.tag !== 0x30 || sequence.end !== der.length) throw new TypeError('not a DER ECDSA signature');
  const r = readTlv(der, sequence.start);
  const s = readTlv(der, r.end);
  if (r.tag !== 0x02 || s.tag !== 0x02 || s.end !== sequence.end) throw new TypeError('not a DER ECDSA signature');
  return { r: BigInt(hexlify(der.subarray(r.start, r.end))), s: BigInt(hexlify(der.subarray(s.start, s.end))) };
}

/** The uncompressed secp256k1 point of a DER SubjectPublicKeyInfo (what KMS GetPublicKey returns). */
export function publicKeyFromSpki(spki: Uint8Array): string {
  const hasOid = spki.some((_byte, index) => SECP256K1_OID.every((value, offset) => spki[index + offset] === value));
  const point = spki.subarray(spki.length - 65);
  if (!hasOid || point[0] !== 0x04) throw new TypeError('not an uncompressed secp256k1 public key');
  return hexlify(point);
}

export function addressFromSpki(spki: Uint8Array): string {
  return computeAddress(publicKeyFromSpki(spki));
}

/**
 * An Ethereum signature from a DER one: s moved to the lower half of the curve order (Ethereum
 * rejects high s; ECDSA accepts both), and the recovery id found by recovering each candidate
 * and keeping the one that yields the signer's address.
 */
export function ethereumSignature(digest: string, der: Uint8Array, address: string): Signature {
  const { r, s } = parseDerSignature(der);
  const lowS = s > N / 2n ? N - s : s;
  for (const v of [27, 28]) {
    const candidate = Signature.from({ r: toBeHex(r, 32), s: toBeHex(lowS, 32), v });
    if (recoverAddress(digest, candidate).toLowerCase() === address.toLowerCase()) return candidate;
  }
  throw new TypeError('the signature does not belong to the signer key');
}
