import { Wallet, type Provider, type Signer } from 'ethers';
import { ConfigurationError } from '../../../config/env';
import { ENV } from '../../../config/system';
import { DigestBackedSigner } from './digest-signer';
import { KmsDigestSigner } from './kms-digest-signer';

/**
 * The allowlist agent's signer: a KMS key (ECC_SECG_P256K1) when its id is configured, as on AWS;
 * else the local private key the runner configures for its chains. Both are ethers Signers.
 */
export function createAgentSigner(provider: Provider, env: NodeJS.ProcessEnv = process.env): Signer {
  const kmsKeyId = env[ENV.signerKmsKeyId];
  if (kmsKeyId) return new DigestBackedSigner(new KmsDigestSigner(kmsKeyId), provider);
  const privateKey = env[ENV.signerPrivateKey];
  if (privateKey) return new Wallet(privateKey, provider);
  throw new ConfigurationError(`No allowlist signer configured: set ${ENV.signerKmsKeyId} (AWS KMS) or ${ENV.signerPrivateKey} (local chains only)`);
}
