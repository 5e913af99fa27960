import { createHash } from 'node:crypto';
import { signWebhook } from '../../lambda/modules/kyc';
import { KYC_VENDORS, type KycVendor } from '../../lambda/shared';
import { kycPayload } from '../local/vendor-simulator/payloads';

/**
 * What a delivery is and what our webhook must answer to it. `accepted`: a fresh, validly signed event; `duplicate`: the
 * exact bytes of an accepted one again (vendors retry); the others are refused and must change nothing.
 */
export const DELIVERY_KINDS = ['accepted', 'duplicate', 'forged', 'stale', 'malformed', 'oversize'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

export const EXPECTED_STATUS: Readonly<Record<DeliveryKind, number>> = {
  accepted: 200,
  duplicate: 200,
  forged: 401,
  stale: 401,
  malformed: 400,
  oversize: 413,
};

/** Only these vendors sign a timestamp: the others' replays are duplicates, caught by the event key. */
const TIMESTAMPED: readonly KycVendor[] = ['persona', 'standard-webhooks'];

export interface Person {
  readonly firstName: string;
  readonly lastName: string;
  readonly dateOfBirth: string;
  readonly country: string;
}

export interface Delivery {
  readonly kind: DeliveryKind;
  readonly vendor: KycVendor;
  readonly body: Buffer;
  readonly headers: Record<string, string>;
  readonly bodySha256: string;
}

/** An applicant the vendor knows: for Sumsub and Onfido the simulator's API must answer for it (and Onfido's run). */
export interface Applicant {
  readonly vendor: KycVendor;
  readonly applicantId: string;
  readonly externalReference?: string;
  readonly person: Person;
  readonly runs?: readonly string[];
}

const SYLLABLES = ['bel', 'dor', 'fin', 'gar', 'hol', 'jun', 'kes', 'lom', 'mar', 'nev', 'pim', 'rus', 'tav', 'wen', 'zul', 'quo'];

/** A made-up name no sanctions list is near: three syllables per token from a number. */
export function syntheticName(index: number, salt: number): string {
  const word = (n: number) =>
    [0, 1, 2]
      .map((i) => SYLLABLES[Math.floor(n / SYLLABLES.length ** i) % SYLLABLES.length]!)
      .join('')
      .replace(/^./, (c) => c.toUpperCase());
  return `${word(index)} ${word(index * 7 + salt + 1)}`;
}

export function personNamed(legalName: string): Person {
  const [firstName, ...rest] = legalName.split(' ');
  return { firstName: firstName!, lastName: rest.join(' '), dateOfBirth: '1985-06-15', country: 'US' };
}

const vendorAt = (index: number) => KYC_VENDORS[index % KYC_VENDORS.length]!;

/** The vendor's webhook body for a verdict about `applicant`, unique per `eventId`. */
function payload(applicant: Applicant, verdict: 'approved' | 'rejected', eventId: string, at: Date): unknown {
  const common = { applicantId: applicant.applicantId, externalReference: applicant.externalReference, at, person: applicant.person };
  switch (applicant.vendor) {
    case 'sumsub':
      return { ...kycPayload.sumsub({ ...common, reviewResult: { reviewAnswer: verdict === 'approved' ? 'GREEN' : 'RED' } }), correlationId: eventId };
    case 'onfido':
      return kycPayload.onfido({ ...common, status: verdict, runId: applicant.runs?.[0] ?? eventId });
    case 'persona':
      return kycPayload.persona({ ...common, name: verdict === 'approved' ? 'inquiry.approved' : 'inquiry.declined', eventId });
    case 'veriff':
      return kycPayload.veriff({ ...common, status: verdict === 'approved' ? 'approved' : 'declined' });
    case 'standard-webhooks':
      return kycPayload['standard-webhooks']({ ...common, status: verdict });
  }
}

export class Traffic {
  private sequence = 0;
  private badOnes = 0;
  private readonly accepted: Delivery[] = [];

  constructor(
    private readonly secrets: Readonly<Record<KycVendor, string>>,
    /** Distinguishes this run's ids from an earlier run's in the same tables. */
    private readonly runId: string,
  ) {}

  /** A fresh approval for a new applicant no investor has (stored, then ignored by the worker): the bulk of the load. */
  background(index: number): { delivery: Delivery; applicant: Applicant } {
    const vendor = vendorAt(index);
    const id = `${this.runId}-bg-${index}`;
    const applicant: Applicant = {
      vendor,
      applicantId: applicantIdFor(vendor, id),
      person: personNamed(syntheticName(index, 3)),
      ...(vendor === 'onfido' ? { runs: [onfidoRunFor(id)] } : {}),
    };
    return { delivery: this.verdict(applicant, 'approved'), applicant };
  }

  /** A validly signed verdict about `applicant`, as the vendor sends it. */
  verdict(applicant: Applicant, verdict: 'approved' | 'rejected'): Delivery {
    const eventId = `evt_${hexFrom(`${this.runId}-${++this.sequence}`, 24)}`;
    const body = Buffer.from(JSON.stringify(payload(applicant, verdict, eventId, new Date())));
    const delivery = this.signed('accepted', applicant.vendor, body, eventId);
    this.accepted.push(delivery);
    if (this.accepted.length > 1000) this.accepted.shift();
    return delivery;
  }

  /**
   * One of the refused kinds (or a duplicate), each about `target`: a forged or stale rejection of an approved investor
   * must leave them as they are. The kind rotates so each gets its share.
   */
  bad(index: number, target: Applicant): Delivery {
    const kinds: DeliveryKind[] = ['duplicate', 'forged', 'stale', 'malformed', 'oversize'];
    const kind = kinds[this.badOnes++ % kinds.length]!;
    const eventId = `evt_${hexFrom(`${this.runId}-bad-${index}`, 24)}`;
    const rejection = () => Buffer.from(JSON.stringify(payload(target, 'rejected', eventId, new Date())));
    switch (kind) {
      case 'duplicate': {
        const earlier = this.accepted[index % Math.max(1, this.accepted.length)];
        return earlier ? { ...earlier, kind: 'duplicate' } : this.bad(index + 1, target);
      }
      case 'forged':
        return { ...this.signed('forged', target.vendor, rejection(), eventId, 'not-the-vendors-secret'), kind };
      case 'stale': {
        const vendor = TIMESTAMPED[Math.floor(this.badOnes / kinds.length) % TIMESTAMPED.length]!;
        const stale = { ...target, vendor };
        const body = Buffer.from(JSON.stringify(payload(stale, 'rejected', eventId, new Date())));
        return this.signed('stale', vendor, body, eventId, undefined, new Date(Date.now() - 60 * 60_000));
      }
      case 'malformed':
        return this.signed('malformed', target.vendor, Buffer.from(JSON.stringify({ unexpected: eventId })), eventId);
      case 'oversize':
        return this.signed('oversize', target.vendor, Buffer.from(JSON.stringify({ padding: 'x'.repeat(300 * 1024), eventId })), eventId);
      default:
        throw new Error(`unhandled delivery kind ${kind as string}`);
    }
  }

  private signed(kind: DeliveryKind, vendor: KycVendor, body: Buffer, id: string, secret = this.secrets[vendor], now = new Date()): Delivery {
    const headers = { ...signWebhook(vendor, body, secret, { now, id: `msg_${id.replace(/^evt_/, '')}` }), 'content-type': 'application/json' };
    return { kind, vendor, body, headers, bodySha256: createHash('sha256').update(body).digest('hex') };
  }
}

const hexFrom = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);

function uuidFrom(text: string): string {
  const hex = hexFrom(text, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An applicant id shaped as the vendor's own are (Sumsub: 24 hex digits; Onfido, Veriff: UUIDs; Persona: inq_...), from `seed`. */
export function applicantIdFor(vendor: KycVendor, seed: string): string {
  switch (vendor) {
    case 'sumsub':
      return hexFrom(seed, 24);
    case 'onfido':
    case 'veriff':
      return uuidFrom(seed);
    case 'persona':
      return `inq_${hexFrom(seed, 24)}`;
    case 'standard-webhooks':
      return `app_${hexFrom(seed, 24)}`;
  }
}

/** The Onfido workflow run of an applicant's verdict (the simulator maps it back to the applicant). */
export const onfidoRunFor = (seed: string) => uuidFrom(`run-${seed}`);
