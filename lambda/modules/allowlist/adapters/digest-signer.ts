import {
  AbstractSigner,
  Transaction,
  TypedDataEncoder,
  getBytes,
  hashMessage,
  resolveAddress,
  type Provider,
  type TransactionRequest,
  type TypedDataDomain,
  type TypedDataField,
} from 'ethers';
import { addressFromSpki, ethereumSignature } from './der-signature';

/** Signs 32-byte digests with a secp256k1 key it never reveals (AWS KMS), answering in DER. */
export interface DigestSigner {
  /** The key's DER SubjectPublicKeyInfo. */
  publicKey(): Promise<Uint8Array>;
  /** A DER ECDSA signature over the digest as given (not hashed again). */
  signDigest(digest: Uint8Array): Promise<Uint8Array>;
}

/** An ethers signer over a DigestSigner: the same interface as a private-key Wallet. */
export class DigestBackedSigner extends AbstractSigner {
  private address: Promise<string> | undefined;

  constructor(
    private readonly digestSigner: DigestSigner,
    provider?: Provider | null,
  ) {
    super(provider);
  }

  override connect(provider: Provider | null): DigestBackedSigner {
    return new DigestBackedSigner(this.digestSigner, provider);
  }

  override getAddress(): Promise<string> {
    this.address ??= this.digestSigner.publicKey().then(addressFromSpki);
    return this.address;
  }

  override async signTransaction(request: TransactionRequest): Promise<string> {
    const { from, to, ...rest } = request;
    const address = await this.getAddress();
    if (from != null && (await resolveAddress(from, this)).toLowerCase() !== address.toLowerCase())
      throw new TypeError('transaction from does not match the signer');
    const tx = Transaction.from({ ...rest, to: to == null ? undefined : await resolveAddress(to, this) } as never);
    tx.signature = await this.sign(tx.unsignedHash);
    return tx.serialized;
  }

  override async signMessage(message: string | Uint8Array): Promise<string> {
    return (await this.sign(hashMessage(message))).serialized;
  }

  override async signTypedData(domain: TypedDataDomain, types: Record<string, TypedDataField[]>, value: Record<string, unknown>): Promise<string> {
    return (await this.sign(TypedDataEncoder.hash(domain, types, value))).serialized;
  }

  private async sign(digest: string) {
    const der = await this.digestSigner.signDigest(getBytes(digest));
    return ethereumSignature(digest, der, await this.getAddress());
  }
}
