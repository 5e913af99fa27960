import type { AuditStore } from './ports';
import { TransientError, InvariantError } from '../../shared';
import { isReservedStream, nextRecord, type AuditEvent, type AuditRecord } from './record';

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
    if (isReservedStream(event.stream)) throw new InvariantError(`audit stream ${event.stream} is reserved for the audit log itself`);
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

  /**
   * Appends many events, in order within each stream, with one head read per stream and few
   * writes: what the store could not write as planned (a concurrent writer took a slot, a key was
   * appended before) is appended one by one, so the outcome is the same as appending each in turn.
   */
  async appendAll(all: readonly AuditEvent[]): Promise<void> {
    for (const event of all) if (isReservedStream(event.stream)) throw new InvariantError(`audit stream ${event.stream} is reserved for the audit log itself`);
    const events = firstOfEachKey(all);
    if (!this.store.insertAll) return this.appendInTurn(events);
    const at = this.now().toISOString();
    const planned = await Promise.all(
      byStream(events).map(async (ofStream) => {
        let previous = await this.store.head(ofStream[0]!.stream);
        return ofStream.map((event) => ({ event, record: (previous = nextRecord(event, previous, at)) }));
      }),
    );
    const unwritten = new Set(await this.store.insertAll(planned.flat().map(({ record }) => record)));
    await this.appendInTurn(planned.flat().flatMap(({ event, record }) => (unwritten.has(record) ? [event] : [])));
  }

  /** Streams in parallel, each stream's events in order. */
  private async appendInTurn(events: readonly AuditEvent[]): Promise<void> {
    await Promise.all(
      byStream(events).map(async (ofStream) => {
        for (const event of ofStream) await this.append(event);
      }),
    );
  }
}

/** A later event with the key of an earlier one is a repeat: appending it would add nothing. */
function firstOfEachKey(events: readonly AuditEvent[]): AuditEvent[] {
  const keys = new Set<string>();
  return events.filter(({ idempotencyKey }) => idempotencyKey === undefined || (!keys.has(idempotencyKey) && keys.add(idempotencyKey)));
}

function byStream(events: readonly AuditEvent[]): AuditEvent[][] {
  const streams = new Map<string, AuditEvent[]>();
  for (const event of events) streams.set(event.stream, [...(streams.get(event.stream) ?? []), event]);
  return [...streams.values()];
}
