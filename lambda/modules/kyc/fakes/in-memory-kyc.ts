import { InvariantError, NotFoundError, TransientError, type KycVerdict } from '../../../shared';
import type { KycEvent, KycPerson, StoredKycEvent } from '../events';
import type { KycEventQueue, KycEventStore, KycVendorApi, WebhookRefusalCounts } from '../ports';
import { hourOf, type RefusalCount, type WebhookRefusal } from '../refusals';
import type { ApplicantDetails } from '../vendor-api';

/**
 * The KYC event store's contract in memory, as the DynamoDB adapter keeps it: an event key is
 * stored once (a second store returns the first event untouched), reads see the latest write, and
 * a state can be marked only on an event that exists. Items are copied in and out, as a table would.
 */
export class InMemoryKycEventStore implements KycEventStore {
  private readonly events = new Map<string, StoredKycEvent>();

  constructor(seed: readonly StoredKycEvent[] = []) {
    for (const event of seed) this.put(event);
  }

  /** Stores an event as it stands, overwriting (test setup: an event left behind by an earlier run). */
  put(event: StoredKycEvent): StoredKycEvent {
    this.events.set(event.eventKey, structuredClone(event));
    return event;
  }

  async storeOnce(event: StoredKycEvent): Promise<{ stored: boolean; event: StoredKycEvent }> {
    const existing = this.events.get(event.eventKey);
    if (existing) return { stored: false, event: structuredClone(existing) };
    this.put(event);
    return { stored: true, event };
  }

  async get(eventKey: string): Promise<StoredKycEvent | undefined> {
    const event = this.events.get(eventKey);
    return event && structuredClone(event);
  }

  async markState(eventKey: string, state: StoredKycEvent['state']): Promise<void> {
    const event = this.events.get(eventKey);
    // DynamoDB's `attribute_exists(eventKey)` condition: marking a missing event fails, never creates it.
    if (!event) throw new InvariantError(`KYC event ${eventKey} does not exist`);
    this.events.set(eventKey, { ...event, state });
  }

  /** Every stored event, in the order first stored. */
  all(): StoredKycEvent[] {
    return [...this.events.values()].map((event) => structuredClone(event));
  }
}

/** The KYC queue as the webhook edge sees it: every hand-over kept in order; standard SQS, so repeats are kept too. */
export class RecordingKycEventQueue implements KycEventQueue {
  readonly enqueued: string[] = [];

  async enqueue(eventKey: string): Promise<void> {
    this.enqueued.push(eventKey);
  }
}

/** One applicant as the vendor's API knows it. */
export interface VendorApplicant {
  readonly externalReference?: string;
  readonly person?: KycPerson;
}

/** What a vendor's API holds: applicants by id, and (Onfido) the workflow runs and checks that name them. */
export interface VendorApplicantTable {
  readonly applicants: Readonly<Record<string, VendorApplicant>>;
  readonly workflowRuns?: Readonly<Record<string, string>>;
  readonly checks?: Readonly<Record<string, { readonly applicantId: string; readonly verdict?: KycVerdict }>>;
}

/**
 * A vendor's applicant API answering from a table, resolved as the Sumsub and Onfido adapters do: an
 * `applicant` pointer names the applicant, a `workflow_run` or `check` names it through the run or the
 * check (a check also carries its verdict). An id the vendor does not know is a NotFoundError (the
 * adapters' 404); `unavailable()` makes every call a TransientError (unreachable, 5xx) until `available()`.
 */
export class TableKycVendorApi implements KycVendorApi {
  /** Every pointer asked for, in order. */
  readonly requests: NonNullable<KycEvent['enrichment']>[] = [];
  private down = false;

  constructor(private readonly table: VendorApplicantTable) {}

  unavailable(): this {
    this.down = true;
    return this;
  }

  available(): this {
    this.down = false;
    return this;
  }

  async details(pointer: NonNullable<KycEvent['enrichment']>): Promise<ApplicantDetails> {
    this.requests.push(pointer);
    if (this.down) throw new TransientError('vendor API unreachable');
    let applicantId = pointer.id;
    let verdict: KycVerdict | undefined;
    if (pointer.resource === 'workflow_run') {
      applicantId = this.known(this.table.workflowRuns?.[pointer.id], 'workflow run');
    } else if (pointer.resource === 'check') {
      const check = this.known(this.table.checks?.[pointer.id], 'check');
      applicantId = check.applicantId;
      verdict = check.verdict;
    }
    const applicant = this.known(this.table.applicants[applicantId], 'applicant');
    return { applicantId, externalReference: applicant.externalReference, person: applicant.person, verdict };
  }

  private known<T>(value: T | undefined, what: string): T {
    if (value === undefined) throw new NotFoundError(`vendor API has no such ${what}`);
    return value;
  }
}

/** The refusal counters in memory: one per hour, vendor and reason, as the table keeps them. */
export class InMemoryWebhookRefusals implements WebhookRefusalCounts {
  private readonly counters = new Map<string, RefusalCount>();

  async add({ vendor, reason, at }: WebhookRefusal): Promise<void> {
    const hour = hourOf(at);
    const key = `${hour}#${vendor}#${reason}`;
    const count = (this.counters.get(key)?.count ?? 0) + 1;
    this.counters.set(key, { hour, vendor, reason, count, lastAt: at.toISOString() });
  }

  async list(fromHour: string, toHour: string): Promise<readonly RefusalCount[]> {
    return [...this.counters.values()].filter((count) => count.hour >= fromHour && count.hour <= toHour);
  }

  /** Every counter, as `hour vendor reason` → count. */
  totals(): Record<string, number> {
    return Object.fromEntries([...this.counters.values()].map((count) => [`${count.hour} ${count.vendor} ${count.reason}`, count.count]));
  }
}
