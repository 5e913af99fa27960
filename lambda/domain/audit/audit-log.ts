import { TransientError } from '../errors';
import { isReservedStream, nextRecord, type AuditEvent, type AuditRecord } from './record';

/**
 * Storage for hash-chained records. `insert` is atomic: `'taken'` if the (stream, seq) slot is used,
 * `'duplicate'` if the record's idempotency key was used before; in both cases nothing is written.
 */
export interface AuditStore {
  head(stream: string): Promise<AuditRecord | undefined>;
  insert(record: AuditRecord): Promise<'inserted' | 'taken' | 'duplicate'>;
}

const MAX_ATTEMPTS = 40;
const BASE_DELAY_MS = 4;
const MAX_DELAY_MS = 250;

/** Full jitter: losers of a race spread out instead of colliding again on the next seq. */
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt)));

/**
 * Appends to per-stream hash chains. Two writers that read the same head race for the same seq;
 * the store's conditional insert lets exactly one win, the other re-reads the head and chains
 * onto the winner, so a stream never forks and never has a gap.
 */
export class AuditLog {
  constructor(
    private readonly store: AuditStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Appends the event; resolves to undefined when its idempotency key was already appended. */
  async append(event: AuditEvent): Promise<AuditRecord | undefined> {
    if (isReservedStream(event.stream)) throw new TypeError(`audit stream ${event.stream} is reserved for the audit log itself`);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const head = await this.store.head(event.stream);
      const record = nextRecord(event, head, this.now().toISOString());
      const outcome = await this.store.insert(record);
      if (outcome === 'inserted') return record;
      if (outcome === 'duplicate') return undefined;
      await backoff(attempt);
    }
    throw new TransientError(`audit stream ${event.stream} is contended; gave up after ${MAX_ATTEMPTS} attempts`);
  }
}
