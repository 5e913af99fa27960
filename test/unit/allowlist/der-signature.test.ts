import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { hexlify, recoverAddress } from 'ethers';
import { addressFromSpki, ethereumSignature, parseDerSignature, publicKeyFromSpki } from '../../../lambda/modules/allowlist/adapters/der-signature';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** A real secp256k1 key in OpenSSL, whose DER signatures have the format KMS returns. */
function opensslKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  // OpenSSL hashes the message with SHA-256 and signs that digest, as KMS signs a given digest.
  const signMessage = (message: Buffer) => ({
    digest: hexlify(createHash('sha256').update(message).digest()),
    der: new Uint8Array(sign('sha256', message, privateKey)),
  });
  return { spki, signMessage };
}

describe('DER (KMS format) to Ethereum signatures', () => {
  it('recovers the signer for real OpenSSL signatures, with low s and a recovery id, high-s ones included', () => {
    const key = opensslKey();
    const address = addressFromSpki(key.spki);
    let highS = 0;
    for (let index = 0; index < 64; index++) {
      const { digest, der } = key.signMessage(Buffer.from(`message ${index}`));
      if (parseDerSignature(der).s > N / 2n) highS++;
      const signature = ethereumSignature(digest, der, address);
      expect(BigInt(signature.s)).toBeLessThanOrEqual(N / 2n);
      expect([27, 28]).toContain(signature.v);
      expect(recoverAddress(digest, signature)).toBe(address);
    }
    // About half of ECDSA signatures have a high s: the normalisation was exercised.
    expect(highS).toBeGreaterThan(0);
  });

  it('refuses a signature made by another key', () => {
    const signer = opensslKey();
    const other = opensslKey();
    const { digest, der } = signer.signMessage(Buffer.from('hello'));
    expect(() => ethereumSignature(digest, der, addressFromSpki(other.spki))).toThrow('does not belong to the signer key');
  });

  it('reads the public key of a secp256k1 SubjectPublicKeyInfo and refuses other curves and broken DER', () => {
    expect(publicKeyFromSpki(opensslKey().spki)).toMatch(/^0x04[0-9a-f]{128}$/);
    const p256 = new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'der', type: 'spki' }));
    expect(() => publicKeyFromSpki(p256)).toThrow('secp256k1');
    expect(() => parseDerSignature(Uint8Array.from([0x30, 0x06, 0x02, 0x01]))).toThrow('DER');
    expect(() => parseDerSignature(Uint8Array.from([0x31, 0x00]))).toThrow('not a DER ECDSA signature');
  });
});
