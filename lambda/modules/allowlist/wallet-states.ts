import { loadInvestor, type InvestorRepository } from '../investors';
import type { RegistryChain } from './ports';

export interface ChainWalletState {
  readonly chainId: number;
  readonly chainName?: string;
  readonly identityRegistry: string;
  /** `unavailable` when the chain could not be read just now: the other chains still answer. */
  readonly state: 'read' | 'unavailable';
  /** On the identity registry (`contains`). */
  readonly registered?: boolean;
  /** `isVerified`: may hold and receive the token. */
  readonly verified?: boolean;
  /** Frozen on the token: cannot move tokens, registered or not. */
  readonly frozen?: boolean;
}

export interface InvestorWalletStates {
  readonly investorId: string;
  readonly investorStatus: string;
  readonly wallets: readonly { readonly wallet: string; readonly chains: readonly ChainWalletState[] }[];
}

export interface WalletStatesDeps {
  readonly investors: InvestorRepository;
  /** Every chain the fund's token lives on, read-only. */
  readonly chains: () => Promise<readonly Pick<RegistryChain, 'chainId' | 'identityRegistry' | 'walletStates'>[]>;
  readonly chainNames?: ReadonlyMap<number, string>;
}

/** Each of an investor's wallets as every configured chain sees it now: registered, verified, frozen. */
export async function investorWalletStates(deps: WalletStatesDeps, investorId: string): Promise<InvestorWalletStates> {
  const investor = await loadInvestor(deps.investors, investorId);
  const wallets = investor.wallets.map((wallet) => wallet.toLowerCase());
  const perChain = await Promise.all(
    (await deps.chains()).map(async (chain) => {
      const base = { chainId: chain.chainId, chainName: deps.chainNames?.get(chain.chainId), identityRegistry: chain.identityRegistry };
      try {
        const states = await chain.walletStates(wallets);
        return (wallet: string): ChainWalletState => {
          const found = states.get(wallet);
          return found
            ? { ...base, state: 'read', registered: found.contains, verified: found.verified, frozen: found.frozen }
            : { ...base, state: 'unavailable' };
        };
      } catch {
        return (): ChainWalletState => ({ ...base, state: 'unavailable' });
      }
    }),
  );
  return {
    investorId,
    investorStatus: investor.status,
    wallets: wallets.map((wallet) => ({ wallet, chains: perChain.map((stateOf) => stateOf(wallet)) })),
  };
}
