/** What the KYC module needs from the outside: the event store, the hand-off queue, the vendors' applicant APIs. */

import type { AuditRecord } from '../audit';
import type { KycVendor } from '../../shared';
import type { StoredKycEvent, KycEvent } from './events';
import type { ApplicantDetails } from './vendor-api';

export interface KycEventStore {
  /** Stores the event unless its key exists; returns the stored one either way. */
  storeOnce(event: StoredKycEvent): Promise<{ stored: boolean; event: StoredKycEvent }>;
  get(eventKey: string): Promise<StoredKycEvent | undefined>;
  markState(eventKey: string, state: StoredKycEvent['state']): Promise<void>;
}

/** Hands a stored event to the asynchronous worker; delivery at least once. */
export interface KycEventQueue {
  enqueue(eventKey: string): Promise<void>;
}

/** A vendor's applicant API (Sumsub, Onfido); the local vendor simulator serves the same API. */
export interface KycVendorApi {
  details(pointer: NonNullable<KycEvent['enrichment']>): Promise<ApplicantDetails>;
}

/** An investor's audit records, a page at a time (the audit trail's index by investor). */
export interface InvestorRecords {
  page(query: { readonly investorId: string }, limit: number, cursor?: string): Promise<{ readonly records: readonly AuditRecord[]; readonly cursor?: string }>;
}

/** Counters of refused webhooks, per vendor, reason and hour (an atomic add each). */
export interface WebhookRefusalCounts {
  add(refusal: WebhookRefusal): Promise<void>;
  /** Every counter of the hours `fromHour`..`toHour` (`YYYY-MM-DDTHH`), inclusive. */
  list(fromHour: string, toHour: string): Promise<readonly RefusalCount[]>;
}

export interface WebhookRefusal {
  /** `unknown` for a path naming no configured vendor (the path is the caller's to choose). */
  readonly vendor: KycVendor | 'unknown';
  /** `signature:<failure>`, `malformed:<first field>`, `unknown_vendor` or `too_large`. */
  readonly reason: string;
  readonly at: Date;
}

export interface RefusalCount {
  /** The hour the refusals fell in, `YYYY-MM-DDTHH` (UTC). */
  readonly hour: string;
  readonly vendor: string;
  readonly reason: string;
  readonly count: number;
  readonly lastAt: string;
}
