import type { RegistryChain } from '../../allowlist';
import type { TokenChain } from '../ports';

/** A chain's token over a fake chain that mines token calls too (the allowlist's FakeRegistryChain: pause, unpause, `paused()`). */
export function fakeTokenChain(chain: RegistryChain & { paused(): Promise<boolean> }, name = `chain-${chain.chainId}`): TokenChain {
  return {
    chainId: chain.chainId,
    name,
    chain,
    registry: { chainId: chain.chainId, identityRegistry: chain.identityRegistry },
    paused: () => chain.paused(),
  };
}
