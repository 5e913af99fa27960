import { Contract, JsonRpcProvider, NonceManager, ZeroAddress, type ContractTransactionResponse } from 'ethers';
import type { ChainConfig } from '../../config/chains';
import type { IdentityRegistryGateway } from '../../domain/allowlist';
import { numericCountryCode } from '../../domain/countries';
import { TransientError } from '../../domain/errors';
import { IDENTITY_FACTORY_ABI, IDENTITY_REGISTRY_ABI } from './abi';
import { createAgentSigner } from './signer';

/** ERC-3643 IdentityRegistry on one chain, through ethers v6, signing as the registry's agent. */
export class Erc3643IdentityRegistry implements IdentityRegistryGateway {
  readonly chainId: number;
  private readonly registry: Contract;
  private readonly factory: Contract;

  constructor(
    private readonly chain: ChainConfig,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.chainId = chain.chainId;
    const provider = new JsonRpcProvider(chain.rpcUrl, chain.chainId, { staticNetwork: true });
    const signer = new NonceManager(createAgentSigner(provider, env));
    this.registry = new Contract(chain.identityRegistry, IDENTITY_REGISTRY_ABI, signer);
    this.factory = new Contract(chain.identityFactory, IDENTITY_FACTORY_ABI, signer);
  }

  async isVerified(wallet: string): Promise<boolean> {
    return this.call(() => this.registry.getFunction('isVerified')(wallet) as Promise<boolean>);
  }

  async register(wallet: string, investorId: string, country: string): Promise<{ transactionHash: string; identity: string }> {
    const identity = await this.ensureIdentity(wallet, investorId);
    const tx = await this.call(() => this.registry.getFunction('registerIdentity')(wallet, identity, numericCountryCode(country)) as Promise<ContractTransactionResponse>);
    const receipt = await this.call(() => tx.wait(this.chain.confirmations));
    if (!receipt) throw new TransientError(`transaction ${tx.hash} was replaced or dropped`);
    return { transactionHash: receipt.hash, identity };
  }

  /** One ONCHAINID per wallet, created through the factory when the wallet has none. */
  private async ensureIdentity(wallet: string, investorId: string): Promise<string> {
    const existing = await this.call(() => this.factory.getFunction('getIdentity')(wallet) as Promise<string>);
    if (existing !== ZeroAddress) return existing;
    const tx = await this.call(() => this.factory.getFunction('createIdentity')(wallet, `${investorId}:${wallet}`) as Promise<ContractTransactionResponse>);
    await this.call(() => tx.wait(this.chain.confirmations));
    return this.call(() => this.factory.getFunction('getIdentity')(wallet) as Promise<string>);
  }

  /** RPC and network failures are transient: the message is retried, not dropped. */
  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'NETWORK_ERROR' || code === 'TIMEOUT' || code === 'SERVER_ERROR' || (error as Error).message?.includes('ECONNREFUSED')) {
        throw new TransientError(`chain ${this.chainId} RPC unavailable`, { cause: error });
      }
      throw error;
    }
  }
}
