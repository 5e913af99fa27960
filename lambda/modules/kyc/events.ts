import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError, fieldIssuesFrom, KYC_VERDICTS, type KycVendor, type KycVerdict } from '../../shared';

/** Person data some vendors put in the payload; compared with the registration, never logged. */
export interface KycPerson {
  readonly firstName?: string;
  readonly lastName?: string;
  readonly dateOfBirth?: string;
  readonly country?: string;
}

/** One vendor webhook, normalised. */
export interface KycEvent {
  readonly vendor: KycVendor;
  /** The vendor's event id, or the sha256 of the raw body where the vendor sends none. */
  readonly eventId: string;
  readonly eventType: string;
  /** When the vendor says the event happened: orders verdicts that arrive out of order. */
  readonly occurredAt: string;
  /** The vendor's id for the applicant (or session, inquiry, workflow run) the event is about. */
  readonly applicantId?: string;
  /** Our reference the vendor echoes back (externalUserId, reference-id, vendorData). */
  readonly externalReference?: string;
  /** Undefined for events that carry no decision (e.g. applicantCreated) or need enrichment. */
  readonly verdict?: KycVerdict;
  /** The vendor resource to fetch when the payload lacks the verdict or the person (Onfido, Sumsub). */
  readonly enrichment?: { readonly resource: 'applicant' | 'workflow_run' | 'check'; readonly id: string };
  readonly person?: KycPerson;
  /** Vendor reasons for a non-approval (labels or codes, never free text from the applicant). */
  readonly reasons?: readonly string[];
}

/**
 * Bounds on what a signed payload may carry. Ids end up in DynamoDB keys (the event key, the audit
 * stream, the applicant claim), whose limits are 2,048 bytes for a partition key and 1,024 for a
 * sort key: every id is bounded well below them, so no payload can make a write fail.
 *
 * Vendors' documented id formats: Sumsub applicant ids are 24 hex digits, Onfido and Veriff ids are
 * UUIDs, Persona ids are a prefix and 24+ base58 characters (`inq_...`, `evt_...`), Svix (behind
 * Standard Webhooks) message ids are `msg_` and a 27-character KSUID. The bound allows all of them
 * and the ids the portal registers (up to 128 of letters, digits and `_ - . :`), nothing else.
 */
export const ID_MAX_LENGTH = 128;
/** Our reference echoed back (the portal's externalId, up to 128 characters of any kind). */
export const REFERENCE_MAX_LENGTH = 128;
/** Event types, statuses and labels: vendors' vocabularies are short words. */
export const LABEL_MAX_LENGTH = 128;
/** The earliest event time we accept, and how far ahead of our clock an event time may be. */
export const EARLIEST_EVENT_AT = '2000-01-01T00:00:00.000Z';
export const MAX_CLOCK_SKEW_MS = 24 * 3_600_000;

const ID_PATTERN = new RegExp(`^[A-Za-z0-9_.:-]{1,${ID_MAX_LENGTH}}$`);
const ID_PROBLEM = `must be a vendor id: 1 to ${ID_MAX_LENGTH} letters, digits, "_", "-", "." or ":"`;

export const vendorId = z.string().regex(ID_PATTERN, ID_PROBLEM);

const label = z.string().min(1).max(LABEL_MAX_LENGTH);

const boundedText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .optional()
    .nullable()
    .transform((value) => value ?? undefined);
const optionalText = boundedText(300);
const optionalReference = boundedText(REFERENCE_MAX_LENGTH);
const reasons = z.array(z.string().max(LABEL_MAX_LENGTH)).max(50);

const isoTime = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 timestamp of a real date and time' })
  .transform((value) => new Date(value).toISOString());

/**
 * Sumsub's `createdAtMs`: `2020-02-21 13:23:19.321`, UTC. Checked as the ISO timestamp it stands
 * for, so an impossible date (`2024-02-30`) or time (`25:61:61`) is refused, never rolled over.
 */
const sumsubTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z?$/, 'must be a Sumsub timestamp like 2020-02-21 13:23:19.321')
  .transform((value) => `${value.replace(' ', 'T').replace(/Z?$/, 'Z')}`)
  .pipe(isoTime);

const sumsubSchema = z.looseObject({
  type: label,
  applicantId: vendorId,
  externalUserId: optionalReference,
  createdAtMs: sumsubTime,
  reviewResult: z
    .looseObject({
      reviewAnswer: z.enum(['GREEN', 'RED']),
      reviewRejectType: z.enum(['FINAL', 'RETRY', 'EXTERNAL']).optional().nullable(),
      rejectLabels: reasons.optional().nullable(),
    })
    .optional()
    .nullable(),
});

const onfidoSchema = z.looseObject({
  payload: z.looseObject({
    resource_type: label,
    action: label,
    object: z.looseObject({
      id: vendorId,
      status: label,
      completed_at_iso8601: isoTime.optional(),
      started_at_iso8601: isoTime.optional(),
      href: z.string().optional(),
    }),
  }),
});

const personaSchema = z.looseObject({
  data: z.looseObject({
    type: z.literal('event'),
    id: vendorId,
    attributes: z.looseObject({
      name: label,
      'created-at': isoTime,
      payload: z.looseObject({
        data: z.looseObject({
          type: z.string().max(LABEL_MAX_LENGTH),
          id: vendorId,
          attributes: z
            .looseObject({
              status: optionalText,
              'reference-id': optionalReference,
              'name-first': optionalText,
              'name-last': optionalText,
              birthdate: optionalText,
              'address-country-code': optionalText,
            })
            .optional(),
        }),
      }),
    }),
  }),
});

const veriffSchema = z.looseObject({
  // Veriff's top-level `status` reports delivery ("success"), not the decision.
  status: z.string().optional(),
  verification: z.looseObject({
    id: vendorId,
    status: z.enum(['approved', 'declined', 'resubmission_requested', 'expired', 'abandoned', 'review']),
    code: z.number().optional(),
    reasonCode: z.number().int().optional().nullable(),
    vendorData: optionalReference,
    decisionTime: isoTime,
    person: z.looseObject({ firstName: optionalText, lastName: optionalText, dateOfBirth: optionalText, nationality: optionalText }).optional().nullable(),
  }),
});

/** What a Standard Webhooks sender must put in the body (our published contract for generic vendors). */
const standardSchema = z.looseObject({
  type: label,
  timestamp: isoTime.optional(),
  data: z.looseObject({
    applicantId: vendorId,
    externalUserId: optionalReference,
    status: z.enum(KYC_VERDICTS),
    reasons: reasons.optional(),
    person: z.looseObject({ firstName: optionalText, lastName: optionalText, dateOfBirth: optionalText, country: optionalText }).optional(),
  }),
});

/**
 * The Standard Webhooks `webhook-id` header (signed with the body): the spec leaves its format to
 * the sender; Svix sends `msg_` and a KSUID. Bounded like every id: printable ASCII, no spaces.
 */
const webhookIdHeader = z
  .string()
  .min(1)
  .max(ID_MAX_LENGTH, `must be at most ${ID_MAX_LENGTH} characters`)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** Each vendor's webhook body as we validate it (tolerant: vendors add fields), for the API contract. */
export const VENDOR_PAYLOAD_SCHEMAS: Readonly<Record<KycVendor, z.ZodType>> = {
  sumsub: sumsubSchema,
  onfido: onfidoSchema,
  persona: personaSchema,
  veriff: veriffSchema,
  'standard-webhooks': standardSchema,
};

export interface NormaliseInput {
  readonly vendor: KycVendor;
  readonly rawBody: Buffer;
  /** Already-verified headers (Standard Webhooks carries the event id and time there). */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Our clock: an event time more than a day ahead of it is refused. */
  readonly now?: Date;
}

function bodyHash(rawBody: Buffer): string {
  return createHash('sha256').update(rawBody).digest('hex');
}

/**
 * A vendor's event time must be a plausible one: not before 2000, not more than a day ahead of our
 * clock. A far-future time would otherwise make that verdict the newest for ever (verdicts apply in
 * the vendor's order).
 */
function checkedTime(occurredAt: string, field: string, now: Date): string {
  const at = Date.parse(occurredAt);
  if (at < Date.parse(EARLIEST_EVENT_AT)) throw new ValidationError([{ field, problem: `must not be before ${EARLIEST_EVENT_AT}` }]);
  if (at > now.getTime() + MAX_CLOCK_SKEW_MS) throw new ValidationError([{ field, problem: 'must not be more than a day in the future' }]);
  return occurredAt;
}

function parse<T extends z.ZodType>(schema: T, json: unknown): z.output<T> {
  const result = schema.safeParse(json);
  if (!result.success) throw new ValidationError(fieldIssuesFrom(result.error.issues));
  return result.data;
}

const ONFIDO_WORKFLOW_VERDICTS: Readonly<Record<string, KycVerdict>> = {
  approved: 'approved',
  declined: 'rejected',
  review: 'review',
  abandoned: 'abandoned',
  error: 'error',
};
const VERIFF_VERDICTS: Readonly<Record<string, KycVerdict>> = {
  approved: 'approved',
  declined: 'rejected',
  resubmission_requested: 'retry',
  expired: 'expired',
  abandoned: 'abandoned',
  review: 'review',
};
const PERSONA_VERDICTS: Readonly<Record<string, KycVerdict>> = {
  'inquiry.approved': 'approved',
  'inquiry.declined': 'rejected',
  'inquiry.marked-for-review': 'review',
  'inquiry.expired': 'expired',
};

function sumsubVerdict(event: z.output<typeof sumsubSchema>): KycVerdict | undefined {
  if (event.type === 'applicantPending') return 'pending';
  if (event.type === 'applicantOnHold') return 'review';
  if (event.type !== 'applicantReviewed' || !event.reviewResult) return undefined;
  if (event.reviewResult.reviewAnswer === 'GREEN') return 'approved';
  return event.reviewResult.reviewRejectType === 'RETRY' ? 'retry' : 'rejected';
}

/**
 * Parses a verified webhook body into a KycEvent. Throws ValidationError naming the offending fields
 * (never their values) for malformed JSON or a payload the vendor's schema does not allow.
 */
export function normaliseKycEvent({ vendor, rawBody, headers, now = new Date() }: NormaliseInput): KycEvent {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch (cause) {
    throw new ValidationError([{ field: '(body)', problem: 'is not valid JSON' }], { cause });
  }

  switch (vendor) {
    case 'sumsub': {
      const event = parse(sumsubSchema, json);
      return {
        vendor,
        eventId: bodyHash(rawBody),
        eventType: event.type,
        occurredAt: checkedTime(event.createdAtMs, 'createdAtMs', now),
        applicantId: event.applicantId,
        externalReference: event.externalUserId,
        verdict: sumsubVerdict(event),
        // Sumsub's webhook never carries the person; the applicant API does.
        enrichment: { resource: 'applicant', id: event.applicantId },
        reasons: event.reviewResult?.rejectLabels ?? undefined,
      };
    }
    case 'onfido': {
      const { payload } = parse(onfidoSchema, json);
      const timeField = payload.object.completed_at_iso8601 ? 'completed_at_iso8601' : 'started_at_iso8601';
      const time = payload.object[timeField];
      if (!time) throw new ValidationError([{ field: 'payload.object.completed_at_iso8601', problem: 'is required' }]);
      const occurredAt = checkedTime(time, `payload.object.${timeField}`, now);
      const isWorkflowRun = payload.resource_type === 'workflow_run';
      return {
        vendor,
        eventId: bodyHash(rawBody),
        eventType: payload.action,
        occurredAt,
        verdict: isWorkflowRun && payload.action === 'workflow_run.completed' ? ONFIDO_WORKFLOW_VERDICTS[payload.object.status] : undefined,
        // Onfido's payload names the run or check only: the applicant and its data come from the API.
        enrichment: { resource: isWorkflowRun ? 'workflow_run' : payload.resource_type === 'check' ? 'check' : 'applicant', id: payload.object.id },
      };
    }
    case 'persona': {
      const { data } = parse(personaSchema, json);
      const inquiry = data.attributes.payload.data;
      const attributes = inquiry.attributes;
      return {
        vendor,
        eventId: data.id,
        eventType: data.attributes.name,
        occurredAt: checkedTime(data.attributes['created-at'], 'data.attributes.created-at', now),
        applicantId: inquiry.id,
        externalReference: attributes?.['reference-id'],
        verdict: PERSONA_VERDICTS[data.attributes.name],
        person: attributes && {
          firstName: attributes['name-first'],
          lastName: attributes['name-last'],
          dateOfBirth: attributes.birthdate,
          country: attributes['address-country-code'],
        },
      };
    }
    case 'veriff': {
      const { verification } = parse(veriffSchema, json);
      return {
        vendor,
        // Veriff sends no event id; a session's decision at a given time is one event.
        eventId: `${verification.id}:${verification.status}:${verification.decisionTime}`,
        eventType: `decision.${verification.status}`,
        occurredAt: checkedTime(verification.decisionTime, 'verification.decisionTime', now),
        applicantId: verification.id,
        externalReference: verification.vendorData,
        verdict: VERIFF_VERDICTS[verification.status],
        person: verification.person
          ? {
              firstName: verification.person.firstName,
              lastName: verification.person.lastName,
              dateOfBirth: verification.person.dateOfBirth,
              country: verification.person.nationality,
            }
          : undefined,
        reasons: verification.reasonCode == null ? undefined : [String(verification.reasonCode)],
      };
    }
    case 'standard-webhooks': {
      const event = parse(standardSchema, json);
      const signedSeconds = Number(headers['webhook-timestamp']);
      const webhookId = headers['webhook-id'];
      if (webhookId !== undefined) {
        const checked = webhookIdHeader.safeParse(webhookId);
        if (!checked.success) throw new ValidationError(checked.error.issues.map((issue) => ({ field: 'webhook-id (header)', problem: issue.message })));
      }
      return {
        vendor,
        eventId: webhookId ?? bodyHash(rawBody),
        eventType: event.type,
        occurredAt: event.timestamp ? checkedTime(event.timestamp, 'timestamp', now) : new Date(signedSeconds * 1000).toISOString(),
        applicantId: event.data.applicantId,
        externalReference: event.data.externalUserId,
        verdict: event.data.status,
        person: event.data.person,
        reasons: event.data.reasons,
      };
    }
  }
}

export interface StoredKycEvent extends KycEvent {
  /** `<vendor>#<eventId>`: the de-duplication key. */
  readonly eventKey: string;
  readonly bodySha256: string;
  readonly receivedAt: string;
  readonly state: 'received' | 'processed' | 'ignored';
}
