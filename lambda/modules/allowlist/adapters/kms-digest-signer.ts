import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import type { DigestSigner } from './digest-signer';

/** An AWS KMS key of spec ECC_SECG_P256K1: KMS signs the digest, the key never leaves it. */
export class KmsDigestSigner implements DigestSigner {
  private publicKeyDer: Promise<Uint8Array> | undefined;

  constructor(
    private readonly keyId: string,
    private readonly client: KMSClient = new KMSClient({}),
  ) {}

  publicKey(): Promise<Uint8Array> {
    this.publicKeyDer ??= this.client.send(new GetPublicKeyCommand({ KeyId: this.keyId })).then(({ PublicKey }) => {
      if (!PublicKey) throw new Error(`KMS key ${this.keyId} returned no public key`);
      return PublicKey;
    });
    return this.publicKeyDer;
  }

  async signDigest(digest: Uint8Array): Promise<Uint8Array> {
    const { Signature } = await this.client.send(
      new SignCommand({ KeyId: this.keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    if (!Signature) throw new Error(`KMS key ${this.keyId} returned no signature`);
    return Signature;
  }
}
