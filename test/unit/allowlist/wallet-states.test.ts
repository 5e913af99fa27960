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
      chains: [
        { chainId: 31337, chainName: 'hardhat-0', state: 'frozen', verifiedWallets: 1, wallets: 2 },
        { chainId: 31338, chainName: undefined, state: 'unavailable', verifiedWallets: 0, wallets: 2 },
      ],
    });
  });

  it('says per chain whether all, some or none of the wallets are allowlisted there: the status turns allowlisted at the first', async () => {
    const wallets = ['0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'];
    const investor = anInvestor({ wallets, status: 'allowlisted' });
    const registered = (done: readonly string[]) => async (asked: readonly string[]) =>
      new Map(asked.map((wallet) => [wallet, { contains: done.includes(wallet), verified: done.includes(wallet), frozen: false }]));
    const found = await investorWalletStates(
      {
        investors: new InMemoryInvestorRepository([investor]),
        chains: async () => [chain(1, registered(wallets)), chain(2, registered(wallets.slice(1))), chain(3, registered([]))],
      },
      investor.investorId,
    );
    expect(found.chains.map(({ chainId, state, verifiedWallets }) => [chainId, state, verifiedWallets])).toEqual([
      [1, 'allowlisted', 2],
      [2, 'partial', 1],
      [3, 'absent', 0],
    ]);
  });

  it('calls a registered wallet that is not verified (no valid claim, say) not allowlisted there', async () => {
    const investor = anInvestor({ wallets: ['0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'], status: 'allowlisted' });
    const unverified = chain(1, async (asked) => new Map(asked.map((wallet) => [wallet, { contains: true, verified: false, frozen: false }])));
    const found = await investorWalletStates(
      { investors: new InMemoryInvestorRepository([investor]), chains: async () => [unverified] },
      investor.investorId,
    );
    expect(found.chains).toEqual([{ chainId: 1, chainName: undefined, state: 'partial', verifiedWallets: 0, wallets: 1 }]);
  });

  it('is a 404 for an investor that does not exist, before any chain is read', async () => {
    const chains = jest.fn();
    await expect(investorWalletStates({ investors: new InMemoryInvestorRepository(), chains }, 'nobody')).rejects.toThrow(NotFoundError);
    expect(chains).not.toHaveBeenCalled();
  });
});
