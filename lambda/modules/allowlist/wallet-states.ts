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

/**
 * How far one chain has come with all of an investor's wallets. `allowlisted`: every wallet registered, verified and not
 * frozen; `partial`: registered, not all of them verified yet;
 * `absent`: none is registered; `frozen`: a wallet is frozen there; `unavailable`: not read.
 */
export type ChainAllowlisting = 'allowlisted' | 'partial' | 'absent' | 'frozen' | 'unavailable';

export interface ChainSummary {
  readonly chainId: number;
  readonly chainName?: string;
  readonly state: ChainAllowlisting;
  /** Wallets registered, verified and not frozen on this chain, of `wallets`. */
  readonly verifiedWallets: number;
  readonly wallets: number;
}

export interface InvestorWalletStates {
  readonly investorId: string;
  readonly investorStatus: string;
  readonly wallets: readonly { readonly wallet: string; readonly chains: readonly ChainWalletState[] }[];
  /**
   * One line per chain: the investor's status turns `allowlisted` when the first registry confirms a wallet, the other
   * chains confirm in their own time, so this is what says which are done and which are still pending.
   */
  readonly chains: readonly ChainSummary[];
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
  const chains = await deps.chains();
  const perChain = await Promise.all(
    chains.map(async (chain) => {
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
  const states = wallets.map((wallet) => ({ wallet, chains: perChain.map((stateOf) => stateOf(wallet)) }));
  return {
    investorId,
    investorStatus: investor.status,
    wallets: states,
    chains: chains.map((chain, index) =>
      summarize(
        { chainId: chain.chainId, chainName: deps.chainNames?.get(chain.chainId) },
        states.map((wallet) => wallet.chains[index]!),
      ),
    ),
  };
}

function summarize(chain: Pick<ChainSummary, 'chainId' | 'chainName'>, states: readonly ChainWalletState[]): ChainSummary {
  const verifiedWallets = states.filter((s) => s.registered && s.verified && !s.frozen).length;
  const base = { ...chain, verifiedWallets, wallets: states.length };
  if (states.some((s) => s.state === 'unavailable')) return { ...base, state: 'unavailable' };
  if (states.some((s) => s.frozen)) return { ...base, state: 'frozen' };
  if (states.length > 0 && verifiedWallets === states.length) return { ...base, state: 'allowlisted' };
  return { ...base, state: states.some((s) => s.registered) ? 'partial' : 'absent' };
}
