import { Wallet, type Provider, type Signer } from 'ethers';
import type { KeySource } from '../../../config/function-config';
import { DigestBackedSigner } from './digest-signer';
import { KmsDigestSigner } from './kms-digest-signer';

/**
 * The allowlist agent's signer: a KMS key (ECC_SECG_P256K1) when its id is configured, as on AWS;
 * else the local private key the runner configures for its chains. Both are ethers Signers.
 */
export function createAgentSigner(provider: Provider, source: KeySource): Signer {
  return 'kmsKeyId' in source ? new DigestBackedSigner(new KmsDigestSigner(source.kmsKeyId), provider) : new Wallet(source.localKey, provider);
}
