import { TransientError } from '../../shared';
import type { AllowlistJournal, ChainCall, Fees, RegistryChain, TransactionReceipt, TransactionSlot } from './ports';

/** How far below the chain's mined nonce the journal is searched for slots left open by a crash. */
const RECOVERY_LOOKBACK = 256;
/** DynamoDB transactions take at most 100 items. */
const CLAIM_CHUNK = 100;
const MAX_CLAIM_RACES = 8;

export interface SenderDeps {
  readonly chain: RegistryChain;
  readonly journal: AllowlistJournal;
  readonly group: string;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  /** Epoch ms after which waiting stops; journaled transactions resume on the next flush. */
  readonly deadline: number;
  /** Test seam: runs after a transaction is broadcast and before anything else is recorded. */
  readonly afterBroadcast?: (slot: TransactionSlot) => Promise<void>;
}

export interface CallToSend {
  readonly call: ChainCall;
  readonly gasLimit: bigint;
  readonly intentKeys: readonly string[];
}

/** A slot whose transaction reached its required confirmations (or lost its nonce to another). */
export type SettledSlot = TransactionSlot & { readonly status: 'mined' | 'reverted' | 'superseded' };

/** Fees for a replacement: at least `percent` above the previous attempt, and at least what the chain asks now. */
export function bumpFees(previous: Fees, current: Fees, percent: number): Fees {
  const bump = (value: string) => (BigInt(value) * BigInt(100 + percent) + 99n) / 100n;
  const max = (a: bigint, b: bigint) => (a > b ? a : b);
  const priority = max(bump(previous.maxPriorityFeePerGas), BigInt(current.maxPriorityFeePerGas));
  const maxFee = max(max(bump(previous.maxFeePerGas), BigInt(current.maxFeePerGas)), priority);
  return { maxFeePerGas: maxFee.toString(), maxPriorityFeePerGas: priority.toString() };
}

/**
 * Sends transactions exactly once. Each nonce is claimed in the journal with the signed
 * transaction before it is broadcast: two writers cannot use one nonce (the claim is a conditional
 * write), and a worker that crashed after broadcasting finds the transaction again on its next
 * run, re-broadcasts the same bytes (a no-op if the node has them) and waits for it. A transaction
 * that is not mined in time is replaced with the same nonce and a higher fee, recorded first too.
 */
export class JournaledSender {
  private signerKey: string | undefined;
  private signerAddress = '';

  constructor(private readonly deps: SenderDeps) {}

  private async signer(): Promise<string> {
    if (!this.signerKey) {
      this.signerAddress = (await this.deps.chain.signerAddress()).toLowerCase();
      this.signerKey = `${this.deps.chain.chainId}:${this.signerAddress}`;
    }
    return this.signerKey;
  }

  /** Finishes every transaction a previous run left open, in nonce order. */
  async recover(): Promise<SettledSlot[]> {
    return this.resume(await this.openSlots());
  }

  /** The transactions previous runs journaled and did not see settled, in nonce order. */
  async openSlots(): Promise<TransactionSlot[]> {
    const signer = await this.signer();
    const mined = await this.deps.chain.transactionCount(this.signerAddress, 'latest');
    return (await this.deps.journal.slotsFrom(signer, Math.max(0, mined - RECOVERY_LOOKBACK))).filter((slot) => slot.status === 'pending');
  }

  /** Re-broadcasts open slots (the same bytes: a no-op for a node that has them) and waits until they are settled. */
  async resume(open: readonly TransactionSlot[]): Promise<SettledSlot[]> {
    if (open.length === 0) return [];
    for (const slot of open) await this.broadcast(slot, slot.attempts.at(-1)!.raw);
    return this.settle(open);
  }

  /** Claims nonces for the calls, broadcasts them in nonce order and waits until all are settled. */
  async send(calls: readonly CallToSend[]): Promise<SettledSlot[]> {
    if (calls.length === 0) return [];
    const slots: TransactionSlot[] = [];
    for (let start = 0; start < calls.length; start += CLAIM_CHUNK) {
      const claimed = await this.claim(calls.slice(start, start + CLAIM_CHUNK));
      // Every slot is journaled, so all go out at once, in nonce order (one JSON-RPC batch): a node
      // keeps a transaction whose nonce is ahead until the ones before it arrive. If one broadcast
      // fails, the flush fails and the retry re-broadcasts every open slot in nonce order.
      await Promise.all(claimed.map((slot) => this.broadcast(slot, slot.attempts[0]!.raw)));
      for (const slot of claimed) await this.deps.afterBroadcast?.(slot);
      slots.push(...claimed);
    }
    return this.settle(slots);
  }

  private async claim(calls: readonly CallToSend[]): Promise<TransactionSlot[]> {
    const signer = await this.signer();
    const { chain, journal } = this.deps;
    for (let race = 0; race < MAX_CLAIM_RACES; race++) {
      // The chain knows what was broadcast, the journal what was claimed (maybe not broadcast yet).
      const [pending, highest, fees] = await Promise.all([
        chain.transactionCount(this.signerAddress, 'pending'),
        journal.highestNonce(signer),
        chain.currentFees(),
      ]);
      const first = Math.max(pending, highest === undefined ? 0 : highest + 1);
      const at = this.deps.now().toISOString();
      const slots = await Promise.all(
        calls.map(async ({ call, gasLimit, intentKeys }, index): Promise<TransactionSlot> => {
          const nonce = first + index;
          const signed = await chain.sign(call, { nonce, gasLimit: gasLimit.toString(), fees });
          return {
            signer,
            nonce,
            group: this.deps.group,
            call,
            intentKeys,
            gasLimit: gasLimit.toString(),
            attempts: [signed],
            status: 'pending',
            createdAt: at,
            updatedAt: at,
          };
        }),
      );
      if (await journal.claimSlots(slots)) return slots;
    }
    throw new TransientError(`nonces of ${signer} are contended; gave up after ${MAX_CLAIM_RACES} claims`);
  }

  private async broadcast(slot: TransactionSlot, raw: string): Promise<void> {
    // 'known' and 'nonce-used' are both fine here: settle() finds out which transaction was mined.
    await this.deps.chain.broadcast(raw);
  }

  /** Polls receipts until every slot has its confirmations, replacing transactions that are stuck. */
  private async settle(slots: readonly TransactionSlot[]): Promise<SettledSlot[]> {
    const { chain, journal } = this.deps;
    let open = [...slots];
    const settled: SettledSlot[] = [];
    for (;;) {
      const [head, minedCount] = await Promise.all([chain.blockNumber(), chain.transactionCount(this.signerAddress, 'latest')]);
      const next: TransactionSlot[] = [];
      const done: SettledSlot[] = [];
      await Promise.all(
        open.map(async (slot) => {
          const receipt = await this.findReceipt(slot);
          const at = this.deps.now().toISOString();
          if (receipt) {
            if (head - receipt.blockNumber + 1 >= chain.confirmations)
              done.push({ ...slot, status: receipt.status === 'success' ? 'mined' : 'reverted', receipt, updatedAt: at });
            else next.push(slot);
          } else if (minedCount > slot.nonce) {
            // The nonce was used by a transaction we never signed for this slot.
            done.push({ ...slot, status: 'superseded', updatedAt: at });
          } else {
            next.push(await this.replaceIfStuck(slot));
          }
        }),
      );
      if (done.length > 0) {
        await journal.finishSlots(done);
        settled.push(...done);
      }
      open = next;
      if (open.length === 0) return settled.sort((a, b) => a.nonce - b.nonce);
      if (Date.now() > this.deps.deadline) {
        throw new TransientError(`${open.length} transaction(s) of chain ${chain.chainId} not confirmed yet; they are journaled and resume on retry`);
      }
      await this.deps.sleep(chain.pollIntervalMs);
    }
  }

  private async findReceipt(slot: TransactionSlot): Promise<TransactionReceipt | undefined> {
    const receipts = await Promise.all(slot.attempts.map((attempt) => this.deps.chain.receipt(attempt.hash)));
    return receipts.find((receipt) => receipt !== undefined);
  }

  private async replaceIfStuck(slot: TransactionSlot): Promise<TransactionSlot> {
    const { chain, journal } = this.deps;
    const last = slot.attempts.at(-1)!;
    if (this.deps.now().getTime() - Date.parse(last.signedAt) < chain.stuckAfterMs) return slot;
    const fees = bumpFees(last.fees, await chain.currentFees(), chain.bumpPercent);
    const replacement = await chain.sign(slot.call, { nonce: slot.nonce, gasLimit: slot.gasLimit, fees });
    if (!(await journal.addAttempt(slot, replacement))) return slot;
    await this.broadcast(slot, replacement.raw);
    return { ...slot, attempts: [...slot.attempts, replacement], updatedAt: replacement.signedAt };
  }
}
