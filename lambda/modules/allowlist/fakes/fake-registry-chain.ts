import { createHash } from 'node:crypto';
import { TransientError } from '../../../shared';
import { ChainRevertError } from '../errors';
import type {
  BroadcastResult,
  ChainCall,
  Fees,
  RegistryChain,
  RegistryEventSource,
  SignedClaim,
  SignedTransaction,
  StoredClaim,
  TransactionReceipt,
  WalletState,
} from '../ports';

export const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';
const AGENT_ROLE = 'AgentRole: caller does not have the Agent role';
/** A node takes a transaction in place of a pending one with its nonce only at 10% higher fees (geth's price bump). */
const REPLACEMENT_BUMP_PERCENT = 10n;

export interface FakeRegistryChainOptions {
  readonly chainId?: number;
  readonly identityRegistry?: string;
  readonly signer?: string;
  readonly confirmations?: number;
  readonly maxBatchSize?: number;
  readonly stuckAfterMs?: number;
  readonly bumpPercent?: number;
  readonly pollIntervalMs?: number;
  /** Mine every transaction as it arrives (Hardhat's automine); off: only mine() mines. */
  readonly automine?: boolean;
  readonly fees?: Fees;
  /** The signer's clock (signedAt). */
  readonly now?: () => Date;
  /** A ClaimIssuer of ours is trusted for the required KYC topic: a wallet is verified only while its identity holds our unrevoked claim. */
  readonly claims?: boolean;
  /** The token requires the claim (default: when claims are issued); false models the time before the topic is required. */
  readonly claimsRequired?: boolean;
}

export const FAKE_CLAIM_ISSUER = '0xc1a1c1a1c1a1c1a1c1a1c1a1c1a1c1a1c1a1c1a1';

/** A signed transaction as the node sees it, decoded from its raw bytes. */
export interface FakeTransaction {
  readonly hash: string;
  readonly from: string;
  readonly nonce: number;
  readonly gasLimit: string;
  readonly fees: Fees;
  readonly call: ChainCall;
}

interface Registration {
  readonly identity: string;
  readonly country: number;
  /** Verified = registered with every required claim; false models an identity that lacks one. */
  readonly verified: boolean;
}

type Contract = 'registry' | 'token';

/**
 * One chain's ERC-3643 identity registry, token and ONCHAINID factory, with a node's mempool and
 * a miner, in memory. Calls run against the state as the contracts would: a batch reverts whole
 * if one entry fails (a wallet stored twice, a zero address, a missing agent role, a wallet the
 * test told to revert), a simulation runs against the latest block, a mined transaction changes
 * the state (or reverts, using its nonce all the same), and the signer's nonces, replacements
 * and receipts behave as a node's. Blocks are mined on each transaction (automine) or on mine().
 */
export class FakeRegistryChain implements RegistryChain, RegistryEventSource {
  readonly chainId: number;
  readonly identityRegistry: string;
  readonly confirmations: number;
  readonly maxBatchSize: number;
  readonly stuckAfterMs: number;
  readonly bumpPercent: number;
  readonly pollIntervalMs: number;
  readonly issuesClaims: boolean;
  automine: boolean;
  fees: Fees;

  private readonly signer: string;
  private readonly now: () => Date;
  private readonly registrations = new Map<string, Registration>();
  private readonly frozen = new Set<string>();
  private readonly factory = new Map<string, string>();
  private readonly usedSalts = new Set<string>();
  private readonly investorIdentity = new Map<string, string>();
  private readonly claimsHeld = new Map<string, { data: string; signature: string }>();
  private readonly revokedSignatures = new Set<string>();
  private readonly claimsRequired: boolean;
  private readonly refusals = new Map<string, string>();
  private readonly agentless = new Set<Contract>();
  private readonly events: { wallet: string; registered: boolean; blockNumber: number }[] = [];
  /** The node's pending transactions of the signer, by nonce. */
  private readonly pool = new Map<number, FakeTransaction>();
  private readonly receipts = new Map<string, TransactionReceipt>();
  private readonly minedTransactions: FakeTransaction[] = [];
  private minedNonce = 0;
  private head = 1;
  private outage: string | undefined;
  private tokenPaused = false;

  constructor(options: FakeRegistryChainOptions = {}) {
    this.chainId = options.chainId ?? 31337;
    this.identityRegistry = (options.identityRegistry ?? '0x5fbdb2315678afecb367f032d93f642f64180aa3').toLowerCase();
    this.signer = options.signer ?? '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
    this.confirmations = options.confirmations ?? 1;
    this.maxBatchSize = options.maxBatchSize ?? 100;
    this.stuckAfterMs = options.stuckAfterMs ?? 60_000;
    this.bumpPercent = options.bumpPercent ?? 20;
    this.pollIntervalMs = options.pollIntervalMs ?? 10;
    this.automine = options.automine ?? true;
    this.fees = options.fees ?? { maxFeePerGas: '2000000000', maxPriorityFeePerGas: '1000000000' };
    this.now = options.now ?? (() => new Date());
    this.issuesClaims = options.claims ?? false;
    this.claimsRequired = options.claimsRequired ?? this.issuesClaims;
  }

  // ---- the RegistryChain port ----------------------------------------------------------------

  async signerAddress(): Promise<string> {
    return this.signer;
  }

  async walletStates(wallets: readonly string[]): Promise<ReadonlyMap<string, WalletState>> {
    this.rpc();
    return new Map(wallets.map((wallet) => [wallet, this.stateOf(wallet)]));
  }

  async identities(wallets: readonly string[]): Promise<ReadonlyMap<string, string | undefined>> {
    this.rpc();
    return new Map(wallets.map((wallet) => [wallet, this.factory.get(wallet)]));
  }

  async investorIdentities(investorIds: readonly string[]): Promise<ReadonlyMap<string, string | undefined>> {
    this.rpc();
    return new Map(investorIds.map((id) => [id, this.investorIdentity.get(id)]));
  }

  async registeredIdentities(wallets: readonly string[]): Promise<ReadonlyMap<string, string | undefined>> {
    this.rpc();
    return new Map(wallets.map((wallet) => [wallet, this.registrations.get(wallet)?.identity]));
  }

  async kycClaim(identity: string): Promise<StoredClaim | undefined> {
    this.rpc();
    const held = this.claimsHeld.get(identity);
    return held && { ...held, revoked: this.revokedSignatures.has(held.signature) };
  }

  /** Signing is local (the claim signer's key or KMS): it works while the node is down. */
  async signClaim(identity: string, data: string): Promise<SignedClaim> {
    return { topic: 1, issuer: FAKE_CLAIM_ISSUER, signature: hashOf(`claim|${identity}|${data}`), data };
  }

  async estimateGas(call: ChainCall): Promise<bigint> {
    this.rpc();
    this.check(call);
    return gasOf(call);
  }

  async simulate(call: ChainCall): Promise<void> {
    this.rpc();
    this.check(call);
  }

  async currentFees(): Promise<Fees> {
    this.rpc();
    return this.fees;
  }

  /** Signing is local (a key or KMS), not the node's: it works while the node is down. */
  async sign(call: ChainCall, options: { nonce: number; gasLimit: string; fees: Fees }): Promise<SignedTransaction> {
    const body = { from: this.signer.toLowerCase(), nonce: options.nonce, gasLimit: options.gasLimit, fees: options.fees, call };
    const raw = `0x${Buffer.from(JSON.stringify(body)).toString('hex')}`;
    return { hash: hashOf(raw), raw, fees: options.fees, signedAt: this.now().toISOString() };
  }

  async broadcast(raw: string): Promise<BroadcastResult> {
    this.rpc();
    const transaction = decode(raw);
    if (this.receipts.has(transaction.hash) || transaction.nonce < this.minedNonce) return 'nonce-used';
    const waiting = this.pool.get(transaction.nonce);
    if (waiting?.hash === transaction.hash) return 'known';
    if (waiting && !outbids(transaction.fees, waiting.fees)) {
      throw new TransientError(`chain ${this.chainId} did not take the transaction: replacement transaction underpriced`);
    }
    this.pool.set(transaction.nonce, transaction);
    if (this.automine) this.mine();
    return 'accepted';
  }

  async receipt(hash: string): Promise<TransactionReceipt | undefined> {
    this.rpc();
    return this.receipts.get(hash);
  }

  async blockNumber(): Promise<number> {
    this.rpc();
    return this.head;
  }

  async transactionCount(address: string, block: 'latest' | 'pending'): Promise<number> {
    this.rpc();
    if (address.toLowerCase() !== this.signer.toLowerCase()) return 0;
    if (block === 'latest') return this.minedNonce;
    let next = this.minedNonce;
    while (this.pool.has(next)) next++;
    return next;
  }

  async registryEvents(fromBlock: number, toBlock: number): Promise<{ wallet: string; registered: boolean; blockNumber: number }[]> {
    this.rpc();
    return this.events.filter((event) => event.blockNumber >= fromBlock && event.blockNumber <= toBlock).map((event) => ({ ...event }));
  }

  // ---- the world around the worker -----------------------------------------------------------

  /** Mines one block with every pending transaction whose nonce is next, in nonce order. */
  mine(): FakeTransaction[] {
    this.head++;
    const included: FakeTransaction[] = [];
    for (let transaction = this.pool.get(this.minedNonce); transaction; transaction = this.pool.get(this.minedNonce)) {
      this.pool.delete(transaction.nonce);
      this.minedNonce++;
      let status: TransactionReceipt['status'] = 'success';
      try {
        if (BigInt(transaction.gasLimit) < gasOf(transaction.call)) throw new ChainRevertError('out of gas');
        this.check(transaction.call);
        this.apply(transaction.call);
      } catch (error) {
        if (!(error instanceof ChainRevertError)) throw error;
        status = 'reverted';
      }
      this.receipts.set(transaction.hash, { hash: transaction.hash, blockNumber: this.head, gasUsed: gasOf(transaction.call).toString(), status });
      this.minedTransactions.push(transaction);
      included.push(transaction);
    }
    return included;
  }

  /** Every RPC call fails as it does while the node is unreachable, until `restore()`. */
  goDown(reason = 'connect ECONNREFUSED'): void {
    this.outage = reason;
  }

  restore(): void {
    this.outage = undefined;
  }

  /** Every call that touches the wallet reverts with the reason (a sanctioned-address check, a bad argument). */
  refuse(wallet: string, reason: string): void {
    this.refusals.set(wallet, reason);
  }

  /** The signer loses (or gets back) the agent role on the identity registry or the token. */
  removeAgent(contract: Contract): void {
    this.agentless.add(contract);
  }

  addAgent(contract: Contract): void {
    this.agentless.delete(contract);
  }

  /** Registers a wallet as an agent would by hand, outside the worker (its own identity, its own block). */
  registerByHand(wallet: string, options: { verified?: boolean; country?: number; identity?: string } = {}): void {
    this.head++;
    const identity = options.identity ?? this.factory.get(wallet) ?? identityFor(`by-hand:${wallet}`);
    this.factory.set(wallet, identity);
    this.registrations.set(wallet, { identity, country: options.country ?? 840, verified: options.verified ?? true });
    this.events.push({ wallet, registered: true, blockNumber: this.head });
  }

  removeByHand(wallet: string): void {
    this.head++;
    this.registrations.delete(wallet);
    this.events.push({ wallet, registered: false, blockNumber: this.head });
  }

  freezeByHand(wallet: string, frozen = true): void {
    if (frozen) this.frozen.add(wallet);
    else this.frozen.delete(wallet);
  }

  /** Someone else sends with the signer's key: the transaction takes the next nonce outside any journal. */
  async sendOutsideTheJournal(call: ChainCall): Promise<FakeTransaction> {
    const nonce = await this.transactionCount(this.signer, 'pending');
    const signed = await this.sign(call, { nonce, gasLimit: gasOf(call).toString(), fees: this.fees });
    await this.broadcast(signed.raw);
    return decode(signed.raw);
  }

  /** A wallet's state as the contracts report it. */
  stateOf(wallet: string): WalletState {
    const registration = this.registrations.get(wallet);
    const claimed = registration !== undefined && (!this.claimsRequired || this.hasValidClaim(registration.identity));
    return { contains: registration !== undefined, verified: (registration?.verified ?? false) && claimed, frozen: this.frozen.has(wallet) };
  }

  /** The investor's one identity, if it was created. */
  identityOfInvestor(investorId: string): string | undefined {
    return this.investorIdentity.get(investorId);
  }

  /** The identity holds our claim and our issuer has not revoked it. */
  hasValidClaim(identity: string): boolean {
    const held = this.claimsHeld.get(identity);
    return held !== undefined && !this.revokedSignatures.has(held.signature);
  }

  /** Registered with this country (the registry's investorCountry), if registered. */
  countryOf(wallet: string): number | undefined {
    return this.registrations.get(wallet)?.country;
  }

  /** Transactions mined so far, in order (reverted ones included). */
  mined(): readonly FakeTransaction[] {
    return this.minedTransactions;
  }

  /** The node's pending transactions, in nonce order. */
  pending(): FakeTransaction[] {
    return [...this.pool.values()].sort((a, b) => a.nonce - b.nonce);
  }

  // ---- the contracts -------------------------------------------------------------------------

  /** Throws ChainRevertError as the call would revert against the current state. */
  private check(call: ChainCall): void {
    for (const wallet of walletsOf(call)) {
      const refusal = this.refusals.get(wallet);
      if (refusal) throw new ChainRevertError(refusal);
    }
    switch (call.kind) {
      case 'createIdentity':
        if (this.factory.has(call.wallet)) throw new ChainRevertError('wallet already linked to an identity');
        if (this.usedSalts.has(call.salt)) throw new ChainRevertError('salt already taken');
        return;
      case 'register': {
        if (this.agentless.has('registry')) throw new ChainRevertError(AGENT_ROLE);
        const seen = new Set<string>();
        for (const { wallet, identity } of call.entries) {
          if (wallet === ZERO_ADDRESS || identity === ZERO_ADDRESS) throw new ChainRevertError('invalid argument - zero address');
          if (this.registrations.has(wallet) || seen.has(wallet)) throw new ChainRevertError('address stored already');
          seen.add(wallet);
        }
        return;
      }
      case 'delete':
        if (this.agentless.has('registry')) throw new ChainRevertError(AGENT_ROLE);
        if (!this.registrations.has(call.wallet)) throw new ChainRevertError('address not stored yet');
        return;
      case 'setFrozen':
        if (this.agentless.has('token')) throw new ChainRevertError(AGENT_ROLE);
        return;
      case 'createInvestorIdentity':
        if (this.usedSalts.has(`investor:${call.investorId}`)) throw new ChainRevertError('salt already taken');
        return;
      case 'addClaim':
        if (![...this.investorIdentity.values()].includes(call.identity)) throw new ChainRevertError('Permissions: Sender does not have claim key');
        if (this.revokedSignatures.has(call.claim.signature)) throw new ChainRevertError('invalid claim');
        return;
      case 'revokeClaim':
        if (this.revokedSignatures.has(call.signature)) throw new ChainRevertError('Conflict: Claim already revoked');
        return;
      case 'updateIdentity':
        if (this.agentless.has('registry')) throw new ChainRevertError(AGENT_ROLE);
        if (!this.registrations.has(call.wallet)) throw new ChainRevertError('address not stored yet');
        return;
      case 'token':
        if (this.agentless.has('token')) throw new ChainRevertError(AGENT_ROLE);
        if (call.method === 'pause' && this.tokenPaused) throw new ChainRevertError('Pausable: paused');
        if (call.method === 'unpause' && !this.tokenPaused) throw new ChainRevertError('Pausable: not paused');
        return;
    }
  }

  private apply(call: ChainCall): void {
    switch (call.kind) {
      case 'createIdentity':
        this.usedSalts.add(call.salt);
        this.factory.set(call.wallet, identityFor(call.salt));
        return;
      case 'register':
        for (const { wallet, identity, country } of call.entries) {
          this.registrations.set(wallet, { identity, country, verified: true });
          this.events.push({ wallet, registered: true, blockNumber: this.head });
        }
        return;
      case 'delete':
        this.registrations.delete(call.wallet);
        this.events.push({ wallet: call.wallet, registered: false, blockNumber: this.head });
        return;
      case 'setFrozen':
        for (const wallet of call.wallets) {
          if (call.frozen) this.frozen.add(wallet);
          else this.frozen.delete(wallet);
        }
        return;
      case 'createInvestorIdentity':
        this.usedSalts.add(`investor:${call.investorId}`);
        this.investorIdentity.set(call.investorId, identityFor(`investor:${call.investorId}`));
        return;
      case 'addClaim':
        this.claimsHeld.set(call.identity, { data: call.claim.data, signature: call.claim.signature });
        return;
      case 'revokeClaim':
        this.revokedSignatures.add(call.signature);
        return;
      case 'updateIdentity': {
        const registration = this.registrations.get(call.wallet)!;
        // The new identity's claims decide from now on.
        this.registrations.set(call.wallet, { ...registration, identity: call.identity, verified: true });
        return;
      }
      case 'token':
        if (call.method === 'pause' || call.method === 'unpause') this.tokenPaused = call.method === 'pause';
        return;
    }
  }

  /** The token's `paused()`. */
  async paused(): Promise<boolean> {
    this.rpc();
    return this.tokenPaused;
  }

  private rpc(): void {
    if (this.outage) throw new TransientError(`chain ${this.chainId} RPC failed: ${this.outage}`);
  }
}

function walletsOf(call: ChainCall): string[] {
  switch (call.kind) {
    case 'createIdentity':
    case 'delete':
      return [call.wallet];
    case 'register':
      return call.entries.map((entry) => entry.wallet);
    case 'setFrozen':
      return [...call.wallets];
    case 'updateIdentity':
      return [call.wallet];
    case 'createInvestorIdentity':
    case 'addClaim':
    case 'revokeClaim':
    case 'token':
      return [];
  }
}

/** Gas a call uses: a base cost and a cost per wallet it touches (identity and claim calls: a fixed cost). */
function gasOf(call: ChainCall): bigint {
  if (call.kind === 'token') return 50_000n;
  const perWallet = { createIdentity: 250_000n, register: 90_000n, delete: 40_000n, setFrozen: 30_000n, updateIdentity: 30_000n }[call.kind as string];
  const fixed = { createInvestorIdentity: 300_000n, addClaim: 120_000n, revokeClaim: 50_000n }[call.kind as string] ?? 0n;
  return 21_000n + fixed + (perWallet ?? 0n) * BigInt(walletsOf(call).length);
}

function outbids(next: Fees, waiting: Fees): boolean {
  const enough = (value: string, previous: string) => BigInt(value) * 100n >= BigInt(previous) * (100n + REPLACEMENT_BUMP_PERCENT);
  return enough(next.maxFeePerGas, waiting.maxFeePerGas) && enough(next.maxPriorityFeePerGas, waiting.maxPriorityFeePerGas);
}

function hashOf(raw: string): string {
  return `0x${createHash('sha256').update(raw).digest('hex')}`;
}

function identityFor(salt: string): string {
  return `0x${createHash('sha256').update(`identity|${salt}`).digest('hex').slice(0, 40)}`;
}

function decode(raw: string): FakeTransaction {
  const body = JSON.parse(Buffer.from(raw.slice(2), 'hex').toString()) as Omit<FakeTransaction, 'hash'>;
  return { ...body, hash: hashOf(raw) };
}
