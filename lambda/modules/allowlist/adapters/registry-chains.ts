import { rpcUrlsSchema, withRpcUrls, type ChainConfig } from '../../../config/chains';
import type { KeySource, SecretSource } from '../../../config/function-config';
import { readSecretJson } from '../../../platform/aws/secrets';
import { EvmRegistryChain } from './evm-registry-chain';

/**
 * One EvmRegistryChain per configured chain, RPC URLs from the chainRpcUrls secret (they often
 * embed provider keys). Without a signer the chains can only be read (the reconciler).
 */
export async function registryChains(
  chains: readonly ChainConfig[],
  rpcUrls: SecretSource,
  signer?: KeySource,
  claimSigner?: KeySource,
): Promise<EvmRegistryChain[]> {
  const urls = await readSecretJson('chainRpcUrls', rpcUrls, rpcUrlsSchema);
  return withRpcUrls(chains, urls).map((chain) => new EvmRegistryChain(chain, { signer, claimSigner }));
}
