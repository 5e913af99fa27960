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

const optionalText = z
  .string()
  .trim()
  .min(1)
  .optional()
  .nullable()
  .transform((value) => value ?? undefined);

/** Sumsub's `createdAtMs`: `2020-02-21 13:23:19.321`, UTC. */
const sumsubTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z?$/, 'must be a Sumsub timestamp like 2020-02-21 13:23:19.321')
  .transform((value) => new Date(`${value.replace(' ', 'T').replace(/Z?$/, 'Z')}`).toISOString());

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 timestamp' }).transform((value) => new Date(value).toISOString());

const sumsubSchema = z.looseObject({
  type: z.string().min(1),
  applicantId: z.string().min(1),
  externalUserId: optionalText,
  createdAtMs: sumsubTime,
  reviewResult: z
    .looseObject({
      reviewAnswer: z.enum(['GREEN', 'RED']),
      reviewRejectType: z.enum(['FINAL', 'RETRY', 'EXTERNAL']).optional().nullable(),
      rejectLabels: z.array(z.string()).optional().nullable(),
    })
    .optional()
    .nullable(),
});

const onfidoSchema = z.looseObject({
  payload: z.looseObject({
    resource_type: z.string().min(1),
    action: z.string().min(1),
    object: z.looseObject({
      id: z.string().min(1),
      status: z.string().min(1),
      completed_at_iso8601: isoTime.optional(),
      started_at_iso8601: isoTime.optional(),
      href: z.string().optional(),
    }),
  }),
});

const personaSchema = z.looseObject({
  data: z.looseObject({
    type: z.literal('event'),
    id: z.string().min(1),
    attributes: z.looseObject({
      name: z.string().min(1),
      'created-at': isoTime,
      payload: z.looseObject({
        data: z.looseObject({
          type: z.string(),
          id: z.string().min(1),
          attributes: z
            .looseObject({
              status: optionalText,
              'reference-id': optionalText,
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
    id: z.string().min(1),
    status: z.enum(['approved', 'declined', 'resubmission_requested', 'expired', 'abandoned', 'review']),
    code: z.number().optional(),
    reasonCode: z.number().optional().nullable(),
    vendorData: optionalText,
    decisionTime: isoTime,
    person: z.looseObject({ firstName: optionalText, lastName: optionalText, dateOfBirth: optionalText, nationality: optionalText }).optional().nullable(),
  }),
});

/** What a Standard Webhooks sender must put in the body (our published contract for generic vendors). */
const standardSchema = z.looseObject({
  type: z.string().min(1),
  timestamp: isoTime.optional(),
  data: z.looseObject({
    applicantId: z.string().min(1),
    externalUserId: optionalText,
    status: z.enum(KYC_VERDICTS),
    reasons: z.array(z.string()).optional(),
    person: z.looseObject({ firstName: optionalText, lastName: optionalText, dateOfBirth: optionalText, country: optionalText }).optional(),
  }),
});

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
}

function bodyHash(rawBody: Buffer): string {
  return createHash('sha256').update(rawBody).digest('hex');
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
export function normaliseKycEvent({ vendor, rawBody, headers }: NormaliseInput): KycEvent {
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
        occurredAt: event.createdAtMs,
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
      const occurredAt = payload.object.completed_at_iso8601 ?? payload.object.started_at_iso8601;
      if (!occurredAt) throw new ValidationError([{ field: 'payload.object.completed_at_iso8601', problem: 'is required' }]);
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
        occurredAt: data.attributes['created-at'],
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
        occurredAt: verification.decisionTime,
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
      return {
        vendor,
        eventId: headers['webhook-id'] ?? bodyHash(rawBody),
        eventType: event.type,
        occurredAt: event.timestamp ?? new Date(signedSeconds * 1000).toISOString(),
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
