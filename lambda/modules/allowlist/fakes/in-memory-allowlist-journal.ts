import type { AllowlistJournal, PendingIntent, SignedTransaction, TransactionSlot } from '../ports';

/** DynamoDB TransactWriteItems takes at most 100 items; more is a ValidationException. */
const TRANSACTION_LIMIT = 100;

/** DynamoDB orders string sort keys by their UTF-8 bytes. */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Items leave and enter the table as copies, as they do through DynamoDB. */
const copy = <T>(value: T): T => structuredClone(value);

interface Lease {
  readonly holder: string;
  readonly expiresAt: number;
}

/**
 * The allowlist journal's contract in memory, as DynamoAllowlistJournal keeps it: an intent is
 * stored once per key and read back in key order; a failure is counted only on an intent still
 * pending; slots are claimed all or none (a taken nonce fails the whole claim, a claim of more than
 * 100 slots or of one nonce twice is refused as DynamoDB refuses it); a replacement is recorded
 * only on a pending slot whose attempts nobody changed since it was read; the writer lease is free
 * when absent, expired or already the holder's.
 */
export class InMemoryAllowlistJournal implements AllowlistJournal {
  private readonly pending = new Map<string, Map<string, PendingIntent>>();
  private readonly slotsBySigner = new Map<string, Map<number, TransactionSlot>>();
  private readonly leases = new Map<string, Lease>();
  private readonly checkpoints = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async recordIntent(intent: PendingIntent): Promise<boolean> {
    const intents = this.intentsOf(intent.group);
    if (intents.has(intent.key)) return false;
    intents.set(intent.key, copy(intent));
    return true;
  }

  async pendingIntents(group: string, limit: number, after?: string): Promise<PendingIntent[]> {
    return this.ordered(group)
      .filter((intent) => after === undefined || byBytes(intent.key, after) > 0)
      .slice(0, limit)
      .map(copy);
  }

  async pendingSummary(group: string, limit: number): Promise<{ count: number; oldest?: { key: string; attempts: number } }> {
    const intents = this.ordered(group).slice(0, limit);
    const first = intents[0];
    return { count: intents.length, oldest: first ? { key: first.key, attempts: first.attempts } : undefined };
  }

  async completeIntents(group: string, keys: readonly string[]): Promise<void> {
    for (const key of keys) this.pending.get(group)?.delete(key);
  }

  async recordFailure(group: string, keys: readonly string[], reason: string): Promise<PendingIntent[]> {
    const intents = this.intentsOf(group);
    return keys.flatMap((key) => {
      const intent = intents.get(key);
      // Completed meanwhile: nothing to count.
      if (!intent) return [];
      const counted = { ...intent, attempts: intent.attempts + 1, lastError: reason.slice(0, 500) };
      intents.set(key, counted);
      return [copy(counted)];
    });
  }

  async acquireLease(group: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const lease = this.leases.get(group);
    if (lease && lease.expiresAt >= now && lease.holder !== holder) return false;
    this.leases.set(group, { holder, expiresAt: now + ttlMs });
    return true;
  }

  async releaseLease(group: string, holder: string): Promise<void> {
    if (this.leases.get(group)?.holder === holder) this.leases.delete(group);
  }

  async claimSlots(slots: readonly TransactionSlot[]): Promise<boolean> {
    if (slots.length > TRANSACTION_LIMIT) throw new Error(`ValidationException: a transaction takes at most ${TRANSACTION_LIMIT} items, got ${slots.length}`);
    const ids = slots.map((slot) => `${slot.signer}|${slot.nonce}`);
    if (new Set(ids).size !== ids.length) throw new Error('ValidationException: Transaction request cannot include multiple operations on one item');
    if (slots.some((slot) => this.slotsOf(slot.signer).has(slot.nonce))) return false;
    for (const slot of slots) this.slotsOf(slot.signer).set(slot.nonce, copy(slot));
    return true;
  }

  async slotsFrom(signer: string, fromNonce: number): Promise<TransactionSlot[]> {
    return [...this.slotsOf(signer).values()]
      .filter((slot) => slot.nonce >= fromNonce)
      .sort((a, b) => a.nonce - b.nonce)
      .map(copy);
  }

  async highestNonce(signer: string): Promise<number | undefined> {
    const nonces = [...this.slotsOf(signer).keys()];
    return nonces.length === 0 ? undefined : Math.max(...nonces);
  }

  async addAttempt(slot: TransactionSlot, attempt: SignedTransaction): Promise<boolean> {
    const stored = this.slotsOf(slot.signer).get(slot.nonce);
    if (!stored || stored.attempts.length !== slot.attempts.length || stored.status !== 'pending') return false;
    this.slotsOf(slot.signer).set(slot.nonce, { ...stored, attempts: [...stored.attempts, copy(attempt)], updatedAt: attempt.signedAt });
    return true;
  }

  async finishSlots(slots: readonly TransactionSlot[]): Promise<void> {
    for (const slot of slots) this.slotsOf(slot.signer).set(slot.nonce, copy(slot));
  }

  async eventCheckpoint(group: string): Promise<number | undefined> {
    return this.checkpoints.get(group);
  }

  async saveEventCheckpoint(group: string, nextBlock: number): Promise<void> {
    this.checkpoints.set(group, nextBlock);
  }

  /** The holder of a registry's lease, if one holds it now. */
  leaseHolder(group: string): string | undefined {
    const lease = this.leases.get(group);
    return lease && lease.expiresAt >= this.now() ? lease.holder : undefined;
  }

  /** Every slot of every signer, in nonce order per signer. */
  allSlots(): TransactionSlot[] {
    return [...this.slotsBySigner.values()].flatMap((slots) => [...slots.values()].sort((a, b) => a.nonce - b.nonce)).map(copy);
  }

  private ordered(group: string): PendingIntent[] {
    return [...(this.pending.get(group)?.values() ?? [])].sort((a, b) => byBytes(a.key, b.key));
  }

  private intentsOf(group: string): Map<string, PendingIntent> {
    let intents = this.pending.get(group);
    if (!intents) this.pending.set(group, (intents = new Map()));
    return intents;
  }

  private slotsOf(signer: string): Map<number, TransactionSlot> {
    let slots = this.slotsBySigner.get(signer);
    if (!slots) this.slotsBySigner.set(signer, (slots = new Map()));
    return slots;
  }
}
