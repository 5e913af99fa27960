import { investorWalletStates } from '../../../lambda/modules/allowlist';
import { InMemoryInvestorRepository, anInvestor } from '../../../lambda/modules/investors/fakes';
import { NotFoundError, TransientError } from '../../../lambda/shared';

type States = ReadonlyMap<string, { contains: boolean; verified: boolean; frozen: boolean }>;

const chain = (chainId: number, read: (wallets: readonly string[]) => Promise<States>) => ({
  chainId,
  identityRegistry: `0xregistry${chainId}`,
  walletStates: read,
});

describe("an investor's wallets on every chain", () => {
  it('reads each wallet on each chain, and marks a chain it cannot read as unavailable without failing the others', async () => {
    const investor = anInvestor({
      wallets: ['0xAAAAaaaaAAAAaaaaAAAAaaaaAAAAaaaaAAAAaaaa', '0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'],
      status: 'allowlisted',
    });
    const asked: string[][] = [];
    const chains = [
      chain(31337, async (wallets) => {
        asked.push([...wallets]);
        return new Map(wallets.map((wallet, index) => [wallet, { contains: index === 0, verified: index === 0, frozen: index === 1 }]));
      }),
      chain(31338, async () => {
        throw new TransientError('the node did not answer');
      }),
    ];
    const found = await investorWalletStates(
      { investors: new InMemoryInvestorRepository([investor]), chains: async () => chains, chainNames: new Map([[31337, 'hardhat-0']]) },
      investor.investorId,
    );
    expect(asked).toEqual([['0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb']]);
    expect(found).toEqual({
      investorId: investor.investorId,
      investorStatus: 'allowlisted',
      wallets: [
        {
          wallet: '0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
          chains: [
            { chainId: 31337, chainName: 'hardhat-0', identityRegistry: '0xregistry31337', state: 'read', registered: true, verified: true, frozen: false },
            { chainId: 31338, chainName: undefined, identityRegistry: '0xregistry31338', state: 'unavailable' },
          ],
        },
        {
          wallet: '0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
          chains: [
            { chainId: 31337, chainName: 'hardhat-0', identityRegistry: '0xregistry31337', state: 'read', registered: false, verified: false, frozen: true },
            { chainId: 31338, chainName: undefined, identityRegistry: '0xregistry31338', state: 'unavailable' },
          ],
        },
      ],
    });
  });

  it('is a 404 for an investor that does not exist, before any chain is read', async () => {
    const chains = jest.fn();
    await expect(investorWalletStates({ investors: new InMemoryInvestorRepository(), chains }, 'nobody')).rejects.toThrow(NotFoundError);
    expect(chains).not.toHaveBeenCalled();
  });
});
