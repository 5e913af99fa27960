import { Interface } from 'ethers';
import { contracts as onchainId } from '@onchain-id/solidity';
import { contracts as trex } from '@tokenysolutions/t-rex';
import { IDENTITY_FACTORY_ABI, TOKEN_ABI } from '../../../lambda/modules/allowlist/adapters/abi';
import { IDENTITY_REGISTRY_ABI } from '../../../lambda/modules/allowlist/adapters';

/** Our hand-written fragments must select the same functions and events as the published contracts. */
describe.each([
  ['IdentityRegistry', IDENTITY_REGISTRY_ABI, trex.IdentityRegistry.abi],
  ['Token', TOKEN_ABI, trex.Token.abi],
  ['IdFactory', IDENTITY_FACTORY_ABI, (onchainId.Factory as { abi: unknown[] }).abi],
])('%s ABI slice', (_name, fragments, published) => {
  const ours = new Interface(fragments as readonly string[]);
  const theirs = new Interface(published as never);

  it('matches every function selector and signature of the artifact', () => {
    ours.forEachFunction((fn) => {
      const match = theirs.getFunction(fn.selector);
      expect(match?.format('sighash')).toBe(fn.format('sighash'));
      expect(match?.outputs.map((output) => output.type)).toEqual(fn.outputs.map((output) => output.type));
    });
  });

  it('matches every event topic and indexed parameter of the artifact', () => {
    ours.forEachEvent((event) => {
      const match = theirs.getEvent(event.topicHash);
      expect(match?.format('full')).toBe(event.format('full'));
    });
  });
});
