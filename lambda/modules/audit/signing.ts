import { createHash, createPublicKey, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { InvariantError } from '../../shared';

/** The bytes that are hashed and signed: RFC 8785 canonical JSON, so any language can rebuild them. */
export function canonicalBytes(value: unknown): Buffer {
  const text = canonicalize(value);
  if (text === undefined) throw new InvariantError('value is not serialisable');
  return Buffer.from(text, 'utf8');
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 of the public key's DER (SubjectPublicKeyInfo), hex: names a key without trusting its bearer. */
export function publicKeyFingerprint(publicKeyPem: string): string {
  return sha256Hex(createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' }));
}

export function verifySignature(publicKeyPem: string, message: Buffer, signatureBase64: string): boolean {
  try {
    return verify('sha256', message, publicKeyPem, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
