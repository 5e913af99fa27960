import type { RegistryChain } from '../allowlist';
import type { RegistryTarget } from '../../shared';
import type { ChainOutcome, TokenControl, TokenOperation } from './operation';

/** The token's control item and its operations. Every change is conditional: losers learn it from `false`. */
export interface TokenOperationStore {
  /** The control item, read consistently; INITIAL_CONTROL before the first operation. */
  control(): Promise<TokenControl>;
  /** Saves `next` if the stored control is still at `previousVersion`. */
  saveControl(next: TokenControl, previousVersion: number): Promise<boolean>;
  /** Stores a new operation unless its id is taken. */
  createOperation(operation: TokenOperation): Promise<boolean>;
  operation(operationId: string): Promise<TokenOperation | undefined>;
  /** Saves `next` if the stored operation is still at `previousVersion`. */
  saveOperation(next: TokenOperation, previousVersion: number): Promise<boolean>;
  /** Records one chain's outcome (chains are executed independently, so this is not versioned). */
  recordChainOutcome(operationId: string, chainId: number, outcome: ChainOutcome): Promise<void>;
}

/** Queues an operation's execution on each chain (one message per chain, de-duplicated per operation and chain). */
export interface TokenOperationRequests {
  execute(operationId: string, chainIds: readonly number[]): Promise<void>;
}

/** A chain's token as the status reads it. */
export interface TokenReader {
  readonly chainId: number;
  readonly name: string;
  /** The token's `paused()`. */
  paused(): Promise<boolean>;
}

/** A chain's token as the worker drives it: the allowlist's chain port (which signs as the token agent) plus reads. */
export interface TokenChain extends TokenReader {
  readonly chain: RegistryChain;
  /** The chain's identity registry: an unpause flushes the adds and unfreezes that waited. */
  readonly registry: RegistryTarget;
}
