import type { FakeRegistryChain } from '../../allowlist/fakes';
import type { TokenChain } from '../ports';

/** A chain's token over the allowlist's FakeRegistryChain, which mines token calls (pause, unpause) too. */
export function fakeTokenChain(chain: FakeRegistryChain, name = `chain-${chain.chainId}`): TokenChain {
  return {
    chainId: chain.chainId,
    name,
    chain,
    registry: { chainId: chain.chainId, identityRegistry: chain.identityRegistry },
    paused: () => chain.paused(),
  };
}
