import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { ConfigurationError } from '../../../config/env';
import type { KeySource } from '../../../config/function-config';
import { KMS_KEYS } from '../../../config/system';
import { publicKeyFingerprint, sha256Hex } from '../signing';
import type { AuditSigner } from '../ports';

/** Local runs: a P-256 private key (PKCS#8 PEM) from the runner's configuration stands in for KMS. */
export class LocalKeySigner implements AuditSigner {
  private readonly privateKey: KeyObject;
  private readonly publicPem: string;

  constructor(privateKeyPem: string) {
    this.privateKey = createPrivateKey(privateKeyPem);
    if (this.privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
      throw new ConfigurationError(`${KMS_KEYS.auditSigner.localEnvVar} must be an EC P-256 private key`);
    this.publicPem = createPublicKey(this.privateKey).export({ type: 'spki', format: 'pem' }).toString();
  }

  /** A fresh key in the form the local runner puts in AUDIT_SIGNER_PRIVATE_KEY. */
  static generatePem(): string {
    return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }

  async keyId(): Promise<string> {
    return `local:${publicKeyFingerprint(this.publicPem).slice(0, 16)}`;
  }

  async sign(message: Buffer): Promise<string> {
    return sign('sha256', message, this.privateKey).toString('base64');
  }

  async publicKeyPem(): Promise<string> {
    return this.publicPem;
  }
}

/**
 * AWS: the KMS key (ECC_NIST_P256) signs the message's sha256 digest with ECDSA_SHA_256; KMS returns
 * a DER signature, the same form node:crypto and openssl verify. The private key never leaves KMS.
 */
export class KmsAuditSigner implements AuditSigner {
  private publicPem: Promise<string> | undefined;

  constructor(
    private readonly kms: KMSClient,
    private readonly kmsKeyId: string,
  ) {}

  async keyId(): Promise<string> {
    return this.kmsKeyId;
  }

  async sign(message: Buffer): Promise<string> {
    const { Signature } = await this.kms.send(
      new SignCommand({ KeyId: this.kmsKeyId, Message: Buffer.from(sha256Hex(message), 'hex'), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    if (!Signature) throw new Error('KMS returned no signature');
    return Buffer.from(Signature).toString('base64');
  }

  publicKeyPem(): Promise<string> {
    this.publicPem ??= this.kms.send(new GetPublicKeyCommand({ KeyId: this.kmsKeyId })).then(({ PublicKey }) => {
      if (!PublicKey) throw new Error('KMS returned no public key');
      return createPublicKey({ key: Buffer.from(PublicKey), format: 'der', type: 'spki' })
        .export({ type: 'spki', format: 'pem' })
        .toString();
    });
    return this.publicPem;
  }
}

/** The KMS key on AWS, the local key in a local run. */
export function auditSigner(source: KeySource): AuditSigner {
  return 'kmsKeyId' in source ? new KmsAuditSigner(new KMSClient({}), source.kmsKeyId) : new LocalKeySigner(source.localKey);
}
