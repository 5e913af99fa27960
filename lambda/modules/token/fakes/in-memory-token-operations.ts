import { INITIAL_CONTROL, type ChainOutcome, type TokenControl, type TokenOperation } from '../operation';
import type { TokenOperationRequests, TokenOperationStore } from '../ports';

/** The token operations table in memory, with its conditional writes. */
export class InMemoryTokenOperations implements TokenOperationStore {
  private stored: TokenControl = INITIAL_CONTROL;
  readonly operations = new Map<string, TokenOperation>();

  async control(): Promise<TokenControl> {
    return this.stored;
  }

  async saveControl(next: TokenControl, previousVersion: number): Promise<boolean> {
    if (this.stored.version !== previousVersion) return false;
    this.stored = next;
    return true;
  }

  async createOperation(operation: TokenOperation): Promise<boolean> {
    if (this.operations.has(operation.operationId)) return false;
    this.operations.set(operation.operationId, operation);
    return true;
  }

  async operation(operationId: string): Promise<TokenOperation | undefined> {
    return this.operations.get(operationId);
  }

  async saveOperation(next: TokenOperation, previousVersion: number): Promise<boolean> {
    if (this.operations.get(next.operationId)?.version !== previousVersion) return false;
    this.operations.set(next.operationId, next);
    return true;
  }

  async recordChainOutcome(operationId: string, chainId: number, outcome: ChainOutcome): Promise<void> {
    const operation = this.operations.get(operationId);
    if (!operation) throw new Error(`no operation ${operationId}`);
    this.operations.set(operationId, { ...operation, chains: { ...operation.chains, [String(chainId)]: outcome } });
  }
}

/** Token queue messages as SqsTokenOperationRequests sends them: one per chain, a repeat of the same (operation, chain) dropped as FIFO de-duplication drops it. */
export class RecordingTokenOperationRequests implements TokenOperationRequests {
  readonly messages: { operationId: string; chainId: number }[] = [];
  private readonly seen = new Set<string>();
  /** Every execution asked for, repeats included. */
  readonly asked: { operationId: string; chainId: number }[] = [];

  async execute(operationId: string, chainIds: readonly number[]): Promise<void> {
    for (const chainId of chainIds) {
      this.asked.push({ operationId, chainId });
      if (this.seen.has(`${operationId}:${chainId}`)) continue;
      this.seen.add(`${operationId}:${chainId}`);
      this.messages.push({ operationId, chainId });
    }
  }

  /** Takes the queued messages (what a worker would receive next). */
  drain(): { operationId: string; chainId: number }[] {
    return this.messages.splice(0, this.messages.length);
  }
}
