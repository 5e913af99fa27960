import type { RegistryTarget, AllowlistChange } from '../../shared';
import type { Investor } from '../investors';

/** A change the worker has accepted and not yet applied; it lives in the journal until it is. */
export interface PendingIntent {
  /** FIFO group: `<chainId>:<registry>`. */
  readonly group: string;
  /** Orders intents as the queue delivered them; the same message always gets the same key. */
  readonly key: string;
  readonly change: AllowlistChange;
  readonly messageId: string;
  readonly receivedAt: string;
  /** Flushes that failed while this intent waited. */
  readonly attempts: number;
  readonly lastError?: string;
}

/** Our KYC claim for one identity, signed by the claim signer: what ONCHAINID's addClaim takes. */
export interface SignedClaim {
  readonly topic: number;
  /** Our ClaimIssuer contract. */
  readonly issuer: string;
  /** EIP-191 signature over keccak256(abi.encode(identity, topic, data)). */
  readonly signature: string;
  /** 0x-hex hash of our KYC record id and its validity; never personal data. */
  readonly data: string;
}

/** Our KYC claim as an identity holds it. */
export interface StoredClaim {
  readonly data: string;
  readonly signature: string;
  /** Revoked by our ClaimIssuer: the identity's wallets are not verified. */
  readonly revoked: boolean;
}

/** What a transaction does, in chain-neutral terms; the chain adapter encodes it. */
export type ChainCall =
  | { readonly kind: 'createIdentity'; readonly wallet: string; readonly salt: string }
  /** The investor's one ONCHAINID on this chain; its salt comes from the investor id, so a second creation reverts. */
  | { readonly kind: 'createInvestorIdentity'; readonly investorId: string }
  | { readonly kind: 'addClaim'; readonly identity: string; readonly claim: SignedClaim }
  /** Revokes our claim by its signature: every wallet registered to the identity is unverified in this one transaction. */
  | { readonly kind: 'revokeClaim'; readonly identity: string; readonly signature: string }
  /** Moves a registered wallet to another identity (a per-wallet identity to the investor's). */
  | { readonly kind: 'updateIdentity'; readonly wallet: string; readonly identity: string }
  | { readonly kind: 'register'; readonly entries: readonly { readonly wallet: string; readonly identity: string; readonly country: number }[] }
  | { readonly kind: 'delete'; readonly wallet: string }
  | { readonly kind: 'setFrozen'; readonly wallets: readonly string[]; readonly frozen: boolean }
  /** A call of the token contract's agent functions (the token module's operations: pause, unpause, ...). */
  | { readonly kind: 'token'; readonly method: TokenAgentMethod; readonly args: readonly string[] };

/** The ERC-3643 token's agent functions the token module calls; arguments as strings (addresses, amounts in base units). */
export type TokenAgentMethod = 'pause' | 'unpause' | 'freezePartialTokens' | 'forcedTransfer' | 'recoveryAddress';

/** EIP-1559 fees in wei, as decimal strings so they store and compare without precision loss. */
export interface Fees {
  readonly maxFeePerGas: string;
  readonly maxPriorityFeePerGas: string;
}

export interface SignedTransaction {
  readonly hash: string;
  readonly raw: string;
  readonly fees: Fees;
  readonly signedAt: string;
}

export interface TransactionReceipt {
  readonly hash: string;
  readonly blockNumber: number;
  readonly gasUsed: string;
  readonly status: 'success' | 'reverted';
}

export interface WalletState {
  readonly contains: boolean;
  readonly verified: boolean;
  readonly frozen: boolean;
}

export type BroadcastResult = 'accepted' | 'known' | 'nonce-used';

/** One chain's ERC-3643 identity registry and token, signing as their agent. */
export interface RegistryChain {
  readonly chainId: number;
  readonly identityRegistry: string;
  /** Blocks a receipt needs before a change counts as done. */
  readonly confirmations: number;
  /** Most wallets per batched transaction. */
  readonly maxBatchSize: number;
  /** A transaction not mined after this long is replaced (same nonce, higher fee). */
  readonly stuckAfterMs: number;
  readonly bumpPercent: number;
  readonly pollIntervalMs: number;
  signerAddress(): Promise<string>;
  walletStates(wallets: readonly string[]): Promise<ReadonlyMap<string, WalletState>>;
  /** Each wallet's ONCHAINID from the identity factory, or undefined when it has none. */
  identities(wallets: readonly string[]): Promise<ReadonlyMap<string, string | undefined>>;
  /** A ClaimIssuer of ours is configured: identities get our KYC claim, and `isVerified` requires it. */
  readonly issuesClaims: boolean;
  /** Each investor's one ONCHAINID on this chain, or undefined when it has none yet. */
  investorIdentities(investorIds: readonly string[]): Promise<ReadonlyMap<string, string | undefined>>;
  /** The identity each wallet is registered with (undefined: not registered). */
  registeredIdentities(wallets: readonly string[]): Promise<ReadonlyMap<string, string | undefined>>;
  /** Our KYC claim as the identity holds it, or undefined when it holds none of ours. */
  kycClaim(identity: string): Promise<StoredClaim | undefined>;
  /** Signs our KYC claim with `data` for the identity (the claim signer: a local key, KMS on AWS). */
  signClaim(identity: string, data: string): Promise<SignedClaim>;
  /** Gas the call needs. Throws ChainRevertError when it would revert, TransientError when the node cannot tell. */
  estimateGas(call: ChainCall): Promise<bigint>;
  /** Executes the call without sending it (cheaper than estimating); throws as estimateGas does. */
  simulate(call: ChainCall): Promise<void>;
  currentFees(): Promise<Fees>;
  sign(call: ChainCall, options: { nonce: number; gasLimit: string; fees: Fees }): Promise<SignedTransaction>;
  broadcast(raw: string): Promise<BroadcastResult>;
  receipt(hash: string): Promise<TransactionReceipt | undefined>;
  blockNumber(): Promise<number>;
  transactionCount(address: string, block: 'latest' | 'pending'): Promise<number>;
}

export type SlotStatus = 'pending' | 'mined' | 'reverted' | 'superseded';

/**
 * One nonce of one signer on one chain, claimed in the journal before anything is broadcast with
 * it. Every signed attempt (the original and its fee-bumped replacements) is recorded first, so a
 * worker that crashes after broadcasting finds the transaction again instead of sending another.
 */
export interface TransactionSlot {
  /** `<chainId>:<signer address>`. */
  readonly signer: string;
  readonly nonce: number;
  readonly group: string;
  readonly call: ChainCall;
  /** The pending intents this transaction applies (none for identity creation). */
  readonly intentKeys: readonly string[];
  readonly gasLimit: string;
  readonly attempts: readonly SignedTransaction[];
  readonly status: SlotStatus;
  readonly receipt?: TransactionReceipt;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The allowlist's durable state: accepted intents, nonce slots and the per-registry writer lease. */
export interface AllowlistJournal {
  /** Stores the intent unless its key is taken (a redelivery); true when it was new. */
  recordIntent(intent: PendingIntent): Promise<boolean>;
  /** Pending intents in queue order, from the oldest or from after the key `after`. */
  pendingIntents(group: string, limit: number, after?: string): Promise<PendingIntent[]>;
  /** How many intents wait (counting up to `limit`) and the oldest one's key and attempts. */
  pendingSummary(group: string, limit: number): Promise<{ count: number; oldest?: { key: string; attempts: number } }>;
  completeIntents(group: string, keys: readonly string[]): Promise<void>;
  /** Counts a failed flush against each intent; returns them with their new attempt counts. */
  recordFailure(group: string, keys: readonly string[], reason: string): Promise<PendingIntent[]>;

  /** One writer per registry: true if `holder` now holds the lease (free, expired or already its own). */
  acquireLease(group: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLease(group: string, holder: string): Promise<void>;

  /** Claims every slot's nonce or none (a slot whose nonce is taken fails the whole claim). */
  claimSlots(slots: readonly TransactionSlot[]): Promise<boolean>;
  /** Slots of a signer from a nonce on, in nonce order. */
  slotsFrom(signer: string, fromNonce: number): Promise<TransactionSlot[]>;
  highestNonce(signer: string): Promise<number | undefined>;
  /** Records a replacement before it is broadcast; false if another writer changed the slot first. */
  addAttempt(slot: TransactionSlot, attempt: SignedTransaction): Promise<boolean>;
  finishSlots(slots: readonly TransactionSlot[]): Promise<void>;

  /** The next block the reconciliation reads registry events from. */
  eventCheckpoint(group: string): Promise<number | undefined>;
  saveEventCheckpoint(group: string, nextBlock: number): Promise<void>;
}

export interface DeadLetterReason {
  /** Stable code: INVALID_MESSAGE, UNKNOWN_REGISTRY, CHAIN_REVERTED, REJECTED, RETRIES_EXHAUSTED. */
  readonly code: string;
  /** What went wrong, without personal data (revert reasons, field names). */
  readonly reason: string;
  readonly attempts: number;
}

/** The allowlist queue's dead-letter queue: failed messages with the reason they failed. */
export interface DeadLetters {
  send(message: { body: string; group?: string; key: string }, reason: DeadLetterReason): Promise<void>;
}

/** Asks the worker to apply what is pending for a registry; `token` de-duplicates repeated requests. */
export interface FlushRequests {
  requestFlush(target: RegistryTarget, token: string): Promise<void>;
}

/** Every investor, for a full comparison; a scan, so it runs on a schedule only. */
export interface InvestorDirectory {
  all(): AsyncIterable<Investor>;
}

/** The registry's own log of registrations and removals. */
export interface RegistryEventSource {
  registryEvents(fromBlock: number, toBlock: number): Promise<{ wallet: string; registered: boolean; blockNumber: number }[]>;
}

/**
 * The pipeline hold (the token module's emergency pause): while it holds, adds and unfreezes wait
 * in the journal (nothing is lost) and removals and freezes still apply.
 */
export interface AllowlistHold {
  /** Whether adds and unfreezes must wait now; read fresh for every page. */
  additionsHeld(): Promise<boolean>;
}
