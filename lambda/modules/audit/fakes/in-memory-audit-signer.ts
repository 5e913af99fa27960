import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { AuditSigner } from '../ports';
import { publicKeyFingerprint } from '../signing';

/** Signs as KMS and the local key do (ECDSA P-256 over SHA-256, DER, base64), with a fresh key of its own. */
export class InMemoryAuditSigner implements AuditSigner {
  private readonly privateKey: KeyObject;
  private readonly publicPem: string;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  async keyId(): Promise<string> {
    return `fake:${publicKeyFingerprint(this.publicPem).slice(0, 16)}`;
  }

  async sign(message: Buffer): Promise<string> {
    return sign('sha256', message, this.privateKey).toString('base64');
  }

  async publicKeyPem(): Promise<string> {
    return this.publicPem;
  }
}
