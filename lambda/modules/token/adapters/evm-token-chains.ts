import { Contract } from 'ethers';
import { rpcUrlsSchema, withRpcUrls, type ChainConfig } from '../../../config/chains';
import type { KeySource, SecretSource } from '../../../config/function-config';
import { readSecretJson } from '../../../platform/aws/secrets';
import { TransientError } from '../../../shared';
import { EvmRegistryChain, TOKEN_ABI } from '../../allowlist/adapters';
import type { TokenChain } from '../ports';

/**
 * Each configured chain's token: the allowlist's EvmRegistryChain signing with the token agent's
 * key (KMS on AWS, a local key locally: the same signer interface, its own nonces), plus the
 * token's `paused()`. Without a signer the tokens can only be read (the status).
 */
export async function tokenChains(chains: readonly ChainConfig[], rpcUrls: SecretSource, signer?: KeySource): Promise<TokenChain[]> {
  const urls = await readSecretJson('chainRpcUrls', rpcUrls, rpcUrlsSchema);
  return withRpcUrls(chains, urls).map((config) => {
    const chain = new EvmRegistryChain(config, { signer });
    const token = new Contract(config.token, TOKEN_ABI, chain.provider);
    return {
      chainId: config.chainId,
      name: config.name,
      chain,
      registry: { chainId: config.chainId, identityRegistry: config.identityRegistry.toLowerCase() },
      paused: async () => {
        try {
          return (await token.getFunction('paused')()) as boolean;
        } catch (error) {
          throw new TransientError(`chain ${config.chainId} did not answer paused()`, { cause: error });
        }
      },
    };
  });
}
