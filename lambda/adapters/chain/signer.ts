import { Wallet, type Provider, type Signer } from 'ethers';
import { ConfigurationError } from '../../config/env';
import { ENV } from '../../config/system';

/**
 * The allowlist agent's signer. Locally a private key from the runner's configuration; on AWS a
 * KMS-held key (ECC_SECG_P256K1), which the allowlist worker issue adds behind this same function.
 */
export function createAgentSigner(provider: Provider, env: NodeJS.ProcessEnv = process.env): Signer {
  const privateKey = env[ENV.signerPrivateKey];
  if (privateKey) return new Wallet(privateKey, provider);
  throw new ConfigurationError(`No allowlist signer configured: set ${ENV.signerPrivateKey} (local chains only)`);
}
