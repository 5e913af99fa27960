import { Contract, FetchRequest, Interface, JsonRpcProvider, ZeroAddress, keccak256, type Signer } from 'ethers';
import type { ChainConfig } from '../../../config/chains';
import { ConfigurationError } from '../../../config/env';
import type { KeySource } from '../../../config/function-config';
import { ChainRevertError } from '../errors';
import type { BroadcastResult, ChainCall, Fees, RegistryChain, SignedTransaction, TransactionReceipt, WalletState } from '../ports';
import { TransientError } from '../../../shared';
import { IDENTITY_FACTORY_ABI, IDENTITY_REGISTRY_ABI, TOKEN_ABI } from './abi';
import { createAgentSigner } from './agent-signer';
import { EvmClaims } from './evm-claims';

const registryAbi = new Interface(IDENTITY_REGISTRY_ABI);
const tokenAbi = new Interface(TOKEN_ABI);
const factoryAbi = new Interface(IDENTITY_FACTORY_ABI);

/** An RPC call that hangs is a failure to retry, not a reason to sit out the function's timeout. */
const RPC_TIMEOUT_MS = 15_000;

export type ChainWithRpc = ChainConfig & { readonly rpcUrl: string };

/**
 * One chain's ERC-3643 registry, token and ONCHAINID factory through ethers v6, signing as their
 * agent (KMS on AWS, a local key locally). Errors leave as the domain's: reverts are
 * ChainRevertError (permanent), everything the node or network may get over is TransientError.
 */
export class EvmRegistryChain implements RegistryChain {
  readonly chainId: number;
  readonly identityRegistry: string;
  readonly confirmations: number;
  readonly maxBatchSize: number;
  readonly stuckAfterMs: number;
  readonly bumpPercent: number;
  readonly pollIntervalMs: number;
  readonly provider: JsonRpcProvider;
  private signerInstance: Signer | undefined;
  private readonly makeSigner: () => Signer;
  private readonly registry: Contract;
  private readonly token: Contract;
  private readonly factory: Contract;
  private address: Promise<string> | undefined;
  private readonly claims: EvmClaims;

  constructor(
    private readonly chain: ChainWithRpc,
    /** The agent key (KMS or local); a chain read without one (the reconciler) cannot sign. The claim signer's key signs KYC claims. */
    options: { signer?: KeySource; claimSigner?: KeySource } = {},
  ) {
    this.chainId = chain.chainId;
    this.identityRegistry = chain.identityRegistry.toLowerCase();
    this.confirmations = chain.confirmations;
    this.maxBatchSize = chain.maxBatchSize;
    this.stuckAfterMs = chain.fees.stuckAfterSeconds * 1000;
    this.bumpPercent = chain.fees.bumpPercent;
    this.pollIntervalMs = chain.pollIntervalMs;
    const request = new FetchRequest(chain.rpcUrl);
    request.timeout = RPC_TIMEOUT_MS;
    // No response cache: nonces and receipts must be read fresh every time. Calls made in the same
    // tick still share one JSON-RPC batch, but none waits ethers' default 10 ms for company: the
    // worker's sequential calls (lease, nonce, fees, receipts) would each pay it.
    this.provider = new JsonRpcProvider(request, chain.chainId, {
      staticNetwork: true,
      cacheTimeout: -1,
      pollingInterval: chain.pollIntervalMs,
      batchStallTime: 0,
    });
    // Made on first use: the reconciler reads the chain and never signs.
    this.makeSigner = () => {
      if (!options.signer) throw new ConfigurationError(`chain ${chain.chainId} was configured without a signer: this function only reads chains`);
      return createAgentSigner(this.provider, options.signer);
    };
    this.registry = new Contract(chain.identityRegistry, registryAbi, this.provider);
    this.token = new Contract(chain.token, tokenAbi, this.provider);
    this.factory = new Contract(chain.identityFactory, factoryAbi, this.provider);
    let claimSigner: Signer | undefined;
    this.claims = new EvmClaims(
      { ...chain, kycClaimTopic: chain.kycClaimTopic ?? 1 },
      this.provider,
      () => this.signerAddress(),
      () => {
        if (!options.claimSigner) throw new ConfigurationError(`chain ${chain.chainId} was configured without a claim signer`);
        claimSigner ??= createAgentSigner(this.provider, options.claimSigner);
        return claimSigner;
      },
    );
  }

  // ---- one identity per investor, KYC claims (evm-claims.ts) ----------------------------------

  get issuesClaims(): boolean {
    return this.claims.issuesClaims;
  }

  async investorIdentities(investorIds: readonly string[]): Promise<ReadonlyMap<string, string | undefined>> {
    return new Map(await Promise.all(investorIds.map(async (id) => [id, await this.rpc(() => this.claims.investorIdentity(id))] as const)));
  }

  async registeredIdentities(wallets: readonly string[]): Promise<ReadonlyMap<string, string | undefined>> {
    return new Map(await Promise.all(wallets.map(async (wallet) => [wallet, await this.rpc(() => this.claims.registeredIdentity(wallet))] as const)));
  }

  kycClaim(identity: string) {
    return this.rpc(() => this.claims.kycClaim(identity, this.provider));
  }

  signClaim(identity: string, data: string) {
    return this.claims.signClaim(identity, data);
  }

  private async encodeAny(call: ChainCall): Promise<{ to: string; data: string }> {
    return (await this.claims.encode(call)) ?? this.encode(call);
  }

  private get signer(): Signer {
    this.signerInstance ??= this.makeSigner();
    return this.signerInstance;
  }

  signerAddress(): Promise<string> {
    this.address ??= this.signer.getAddress();
    return this.address;
  }

  async walletStates(wallets: readonly string[]): Promise<ReadonlyMap<string, WalletState>> {
    const read = (contract: Contract, method: string, wallet: string) => this.rpc(() => contract.getFunction(method)(wallet) as Promise<boolean>);
    const states = await Promise.all(
      wallets.map(async (wallet) => {
        const [contains, frozen] = await Promise.all([read(this.registry, 'contains', wallet), read(this.token, 'isFrozen', wallet)]);
        // A wallet the registry does not hold cannot be verified: one call fewer for every new wallet.
        const verified = contains && (await read(this.registry, 'isVerified', wallet));
        return [wallet, { contains, verified, frozen }] as const;
      }),
    );
    return new Map(states);
  }

  async identities(wallets: readonly string[]): Promise<ReadonlyMap<string, string | undefined>> {
    const found = await Promise.all(
      wallets.map(async (wallet) => {
        const identity = await this.rpc(() => this.factory.getFunction('getIdentity')(wallet) as Promise<string>);
        return [wallet, identity === ZeroAddress ? undefined : identity.toLowerCase()] as const;
      }),
    );
    return new Map(found);
  }

  async estimateGas(call: ChainCall): Promise<bigint> {
    const from = await this.signerAddress();
    const encoded = await this.encodeAny(call);
    return this.rpc(() => this.provider.estimateGas({ from, ...encoded }));
  }

  async simulate(call: ChainCall): Promise<void> {
    const from = await this.signerAddress();
    const encoded = await this.encodeAny(call);
    await this.rpc(() => this.provider.call({ from, ...encoded }));
  }

  async currentFees(): Promise<Fees> {
    const fees = await this.rpc(() => this.provider.getFeeData());
    const priority = fees.maxPriorityFeePerGas ?? 0n;
    const maxFee = fees.maxFeePerGas ?? fees.gasPrice ?? priority;
    return { maxFeePerGas: maxFee.toString(), maxPriorityFeePerGas: priority.toString() };
  }

  async sign(call: ChainCall, options: { nonce: number; gasLimit: string; fees: Fees }): Promise<SignedTransaction> {
    const raw = await this.signer.signTransaction({
      ...(await this.encodeAny(call)),
      chainId: this.chainId,
      type: 2,
      nonce: options.nonce,
      gasLimit: BigInt(options.gasLimit),
      maxFeePerGas: BigInt(options.fees.maxFeePerGas),
      maxPriorityFeePerGas: BigInt(options.fees.maxPriorityFeePerGas),
    });
    return { hash: keccak256(raw), raw, fees: options.fees, signedAt: new Date().toISOString() };
  }

  async broadcast(raw: string): Promise<BroadcastResult> {
    try {
      await this.provider.send('eth_sendRawTransaction', [raw]);
      return 'accepted';
    } catch (error) {
      const message = messageOf(error);
      if (/known transaction|already known|already imported/i.test(message)) return 'known';
      if ((error as { code?: string }).code === 'NONCE_EXPIRED' || /nonce too low/i.test(message)) return 'nonce-used';
      throw new TransientError(
        `chain ${this.chainId} did not take the transaction: ${(error as { shortMessage?: string }).shortMessage ?? message.slice(0, 200)}`,
        { cause: error },
      );
    }
  }

  async receipt(hash: string): Promise<TransactionReceipt | undefined> {
    const receipt = await this.rpc(() => this.provider.getTransactionReceipt(hash));
    if (!receipt) return undefined;
    return { hash: receipt.hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed.toString(), status: receipt.status === 1 ? 'success' : 'reverted' };
  }

  blockNumber(): Promise<number> {
    return this.rpc(() => this.provider.getBlockNumber());
  }

  transactionCount(address: string, block: 'latest' | 'pending'): Promise<number> {
    return this.rpc(() => this.provider.getTransactionCount(address, block));
  }

  /** Wallets registered and removed between two blocks, from the registry's events, in order. */
  async registryEvents(fromBlock: number, toBlock: number): Promise<{ wallet: string; registered: boolean; blockNumber: number }[]> {
    const [added, removed] = await Promise.all([
      this.rpc(() => this.registry.queryFilter(this.registry.filters.IdentityRegistered!(), fromBlock, toBlock)),
      this.rpc(() => this.registry.queryFilter(this.registry.filters.IdentityRemoved!(), fromBlock, toBlock)),
    ]);
    const wallet = (log: (typeof added)[number]) => `0x${log.topics[1]!.slice(26)}`.toLowerCase();
    return [
      ...added.map((log) => ({ wallet: wallet(log), registered: true, blockNumber: log.blockNumber, index: log.index })),
      ...removed.map((log) => ({ wallet: wallet(log), registered: false, blockNumber: log.blockNumber, index: log.index })),
    ]
      .sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index)
      .map(({ wallet: address, registered, blockNumber }) => ({ wallet: address, registered, blockNumber }));
  }

  destroy(): void {
    this.provider.destroy();
  }

  private encode(call: ChainCall): { to: string; data: string } {
    switch (call.kind) {
      case 'createIdentity':
        return { to: this.chain.identityFactory, data: factoryAbi.encodeFunctionData('createIdentity', [call.wallet, call.salt]) };
      case 'register':
        return call.entries.length === 1
          ? {
              to: this.chain.identityRegistry,
              data: registryAbi.encodeFunctionData('registerIdentity', [call.entries[0]!.wallet, call.entries[0]!.identity, call.entries[0]!.country]),
            }
          : {
              to: this.chain.identityRegistry,
              data: registryAbi.encodeFunctionData('batchRegisterIdentity', [
                call.entries.map((entry) => entry.wallet),
                call.entries.map((entry) => entry.identity),
                call.entries.map((entry) => entry.country),
              ]),
            };
      case 'delete':
        return { to: this.chain.identityRegistry, data: registryAbi.encodeFunctionData('deleteIdentity', [call.wallet]) };
      case 'setFrozen':
        return call.wallets.length === 1
          ? { to: this.chain.token, data: tokenAbi.encodeFunctionData('setAddressFrozen', [call.wallets[0], call.frozen]) }
          : { to: this.chain.token, data: tokenAbi.encodeFunctionData('batchSetAddressFrozen', [call.wallets, call.wallets.map(() => call.frozen)]) };
      case 'token':
        return { to: this.chain.token, data: tokenAbi.encodeFunctionData(call.method, [...call.args]) };
      default:
        throw new TypeError(`no encoding for a ${call.kind} call`);
    }
  }

  /** Reverts are permanent; network trouble, node errors, nonce races and fee problems are transient. */
  private async rpc<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if ((error as { code?: string }).code === 'CALL_EXCEPTION') {
        const reverted = error as { reason?: string | null; shortMessage?: string };
        throw new ChainRevertError(reverted.reason ?? reverted.shortMessage ?? 'execution reverted', { cause: error });
      }
      throw new TransientError(`chain ${this.chainId} RPC failed: ${(error as { shortMessage?: string }).shortMessage ?? messageOf(error).slice(0, 200)}`, {
        cause: error,
      });
    }
  }
}

function messageOf(error: unknown): string {
  const nested =
    (error as { info?: { error?: { message?: string } }; error?: { message?: string } }).info?.error?.message ??
    (error as { error?: { message?: string } }).error?.message;
  return `${(error as Error).message ?? ''} ${nested ?? ''}`;
}
