import fc from 'fast-check';
import { ValidationError, KYC_VENDORS, type KycVendor } from '../../../lambda/shared';
import { normaliseKycEvent } from '../../../lambda/modules/kyc/events';
import { kycPayload } from '../../../bin/local/vendor-simulator/payloads';

const normalise = (vendor: KycVendor, body: unknown, headers: Record<string, string> = {}) =>
  normaliseKycEvent({ vendor, rawBody: Buffer.from(JSON.stringify(body)), headers });

describe('Sumsub applicantReviewed', () => {
  it.each([
    [{ reviewAnswer: 'GREEN' }, 'approved'],
    [{ reviewAnswer: 'RED', reviewRejectType: 'FINAL', rejectLabels: ['FORGERY'] }, 'rejected'],
    [{ reviewAnswer: 'RED', reviewRejectType: 'RETRY', rejectLabels: ['BAD_PROOF_OF_ADDRESS'] }, 'retry'],
  ])('maps reviewResult %j to %s', (reviewResult, verdict) => {
    const event = normalise('sumsub', kycPayload.sumsub({ reviewResult }));
    expect(event).toMatchObject({
      verdict,
      eventType: 'applicantReviewed',
      applicantId: 'sumsub-applicant-1',
      occurredAt: '2026-11-24T11:59:00.123Z',
      enrichment: { resource: 'applicant', id: 'sumsub-applicant-1' },
    });
  });

  it('uses the body hash as event id (Sumsub sends none), so a redelivery dedupes and another event does not', () => {
    const body = kycPayload.sumsub({ reviewResult: { reviewAnswer: 'GREEN' } });
    expect(normalise('sumsub', body).eventId).toBe(normalise('sumsub', body).eventId);
    expect(normalise('sumsub', { ...body, createdAtMs: '2026-11-24 11:59:01.000' }).eventId).not.toBe(normalise('sumsub', body).eventId);
  });

  it('carries no verdict for events without a decision', () => {
    expect(normalise('sumsub', { ...kycPayload.sumsub({}), type: 'applicantCreated', reviewResult: undefined }).verdict).toBeUndefined();
    expect(normalise('sumsub', { ...kycPayload.sumsub({}), type: 'applicantPending', reviewResult: undefined }).verdict).toBe('pending');
  });
});

describe('Onfido', () => {
  it.each([
    ['approved', 'approved'],
    ['declined', 'rejected'],
    ['review', 'review'],
    ['abandoned', 'abandoned'],
    ['error', 'error'],
  ])('maps workflow_run.completed status %s to %s and asks for the run to be fetched', (status, verdict) => {
    expect(normalise('onfido', kycPayload.onfido({ status }))).toMatchObject({
      verdict,
      eventType: 'workflow_run.completed',
      enrichment: { resource: 'workflow_run', id: 'wfr_1' },
    });
  });

  it('leaves check.completed without a verdict until the check result is fetched', () => {
    const body = {
      payload: {
        resource_type: 'check',
        action: 'check.completed',
        object: { id: 'check-123', status: 'complete', completed_at_iso8601: '2020-01-01T00:00:00Z', href: 'https://api.onfido.com/v3/checks/check-123' },
      },
    };
    expect(normalise('onfido', body)).toMatchObject({
      verdict: undefined,
      enrichment: { resource: 'check', id: 'check-123' },
      occurredAt: '2020-01-01T00:00:00.000Z',
    });
  });
});

describe('Persona', () => {
  it.each([
    ['inquiry.approved', 'approved'],
    ['inquiry.declined', 'rejected'],
    ['inquiry.marked-for-review', 'review'],
  ])('maps %s to %s with its event id, reference and person', (name, verdict) => {
    expect(normalise('persona', kycPayload.persona({ name }))).toMatchObject({
      verdict,
      eventId: 'evt_persona_1',
      applicantId: 'inq_1',
      externalReference: 'portal-1',
      person: { firstName: 'Jane', lastName: 'Doe', dateOfBirth: '1980-01-31', country: 'US' },
    });
  });
});

describe('Veriff', () => {
  it('reads the decision from verification.status, not the top-level delivery status', () => {
    const event = normalise('veriff', kycPayload.veriff({ status: 'declined' }));
    expect(event.verdict).toBe('rejected');
    expect(kycPayload.veriff({ status: 'declined' }).status).toBe('success');
  });

  it.each([
    ['approved', 'approved'],
    ['resubmission_requested', 'retry'],
    ['expired', 'expired'],
    ['abandoned', 'abandoned'],
    ['review', 'review'],
  ])('maps %s to %s', (status, verdict) => {
    expect(normalise('veriff', kycPayload.veriff({ status })).verdict).toBe(verdict);
  });
});

describe('Standard Webhooks', () => {
  it('takes the event id and time from the signed headers', () => {
    const event = normalise(
      'standard-webhooks',
      { ...kycPayload['standard-webhooks']({ status: 'approved' }), timestamp: undefined },
      { 'webhook-id': 'msg_42', 'webhook-timestamp': '1795000000' },
    );
    expect(event).toMatchObject({
      eventId: 'msg_42',
      verdict: 'approved',
      occurredAt: new Date(1_795_000_000_000).toISOString(),
      applicantId: 'generic-applicant-1',
    });
  });
});

describe('bad payloads', () => {
  it('names the invalid fields without echoing their values', () => {
    const marker = 'PII-MARKER-7f3a';
    const body = kycPayload.veriff({ status: 'approved' }) as { verification: Record<string, unknown> };
    body.verification.decisionTime = marker;
    body.verification.status = marker;
    try {
      normalise('veriff', body);
      throw new Error('expected a ValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.field).sort()).toEqual(['verification.decisionTime', 'verification.status']);
      expect(JSON.stringify((error as ValidationError).issues) + (error as Error).message).not.toContain(marker);
    }
  });

  it('tolerates fields the vendor adds', () => {
    expect(normalise('persona', { ...kycPayload.persona({ name: 'inquiry.approved' }), included: [{ anything: true }], meta: { v: 2 } }).verdict).toBe(
      'approved',
    );
  });

  it.each(KYC_VENDORS.map((vendor) => [vendor]))('%s: any bytes either parse or fail with a ValidationError, never anything else', (vendor) => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
          fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value))),
        ),
        (rawBody) => {
          try {
            normaliseKycEvent({ vendor, rawBody, headers: {} });
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** The fields a normalisation refused, or `accepted`. */
const refusedFields = (vendor: KycVendor, body: unknown, headers: Record<string, string> = {}, now = new Date('2026-11-24T12:00:00Z')) => {
  try {
    normaliseKycEvent({ vendor, rawBody: Buffer.from(JSON.stringify(body)), headers, now });
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((issue) => issue.field).join(',');
  }
};

describe('bounds on ids (they end up in DynamoDB keys)', () => {
  const long = 'a'.repeat(3_000);
  const standardHeaders = { 'webhook-id': 'msg_1', 'webhook-timestamp': '1795000000' };
  const persona = kycPayload.persona({ name: 'inquiry.approved' });
  const personaWithInquiry = (id: string) => {
    const body = structuredClone(persona);
    body.data.attributes.payload.data.id = id;
    return body;
  };

  it.each([
    ['persona', { ...persona, data: { ...persona.data, id: long } }, {}, 'data.id'],
    ['persona', personaWithInquiry(long), {}, 'data.attributes.payload.data.id'],
    ['persona', { ...persona, data: { ...persona.data, id: 'a'.repeat(200_000) } }, {}, 'data.id'],
    ['veriff', kycPayload.veriff({ status: 'approved', applicantId: long }), {}, 'verification.id'],
    ['onfido', kycPayload.onfido({ status: 'approved', runId: long }), {}, 'payload.object.id'],
    ['sumsub', kycPayload.sumsub({ applicantId: long }), {}, 'applicantId'],
    ['standard-webhooks', kycPayload['standard-webhooks']({ status: 'approved', applicantId: long }), standardHeaders, 'data.applicantId'],
    ['standard-webhooks', kycPayload['standard-webhooks']({ status: 'approved' }), { ...standardHeaders, 'webhook-id': `msg_${long}` }, 'webhook-id (header)'],
    ['standard-webhooks', kycPayload['standard-webhooks']({ status: 'approved' }), { ...standardHeaders, 'webhook-id': 'msg_ä' }, 'webhook-id (header)'],
    ['veriff', kycPayload.veriff({ status: 'approved', applicantId: 'séance-1' }), {}, 'verification.id'],
    ['veriff', kycPayload.veriff({ status: 'approved', applicantId: '' }), {}, 'verification.id'],
    ['veriff', kycPayload.veriff({ status: 'approved', externalReference: 'r'.repeat(129) }), {}, 'verification.vendorData'],
  ] as const)('%s: refuses an oversize, non-ASCII or empty id, naming %#', (vendor, body, headers, field) => {
    expect(refusedFields(vendor, body, headers)).toBe(field);
  });

  it('accepts the ids of the vendors’ documented formats, and any of up to 128 allowed characters', () => {
    expect(refusedFields('sumsub', kycPayload.sumsub({ applicantId: '5cb56e8e0a975a35f333cb83' }))).toBe('accepted');
    expect(refusedFields('veriff', kycPayload.veriff({ status: 'approved', applicantId: '12df6045-3846-3e45-946a-14fa6136d78b' }))).toBe('accepted');
    expect(refusedFields('persona', personaWithInquiry('inq_2Xd4nP7tV1cJmQwR8sYzLk3h'))).toBe('accepted');
    expect(refusedFields('veriff', kycPayload.veriff({ status: 'approved', applicantId: 'A_b-c.d:'.repeat(16) }))).toBe('accepted');
    const svix = { ...standardHeaders, 'webhook-id': 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W' };
    expect(refusedFields('standard-webhooks', kycPayload['standard-webhooks']({ status: 'approved' }), svix)).toBe('accepted');
  });

  it('bounds every id of every vendor whatever the payload: no accepted event has an event key over 300 bytes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KYC_VENDORS), fc.string({ unit: 'binary', maxLength: 400 }), (vendor, id) => {
        const body =
          vendor === 'onfido'
            ? kycPayload.onfido({ status: 'approved', runId: id })
            : vendor === 'persona'
              ? { ...persona, data: { ...persona.data, id } }
              : (kycPayload[vendor] as (options: object) => unknown)({ status: 'approved', applicantId: id });
        try {
          const event = normaliseKycEvent({
            vendor,
            rawBody: Buffer.from(JSON.stringify(body)),
            headers: { ...standardHeaders, 'webhook-id': id },
            now: new Date('2026-11-24T12:00:00Z'),
          });
          expect(Buffer.byteLength(`${vendor}#${event.eventId}`)).toBeLessThan(300);
          expect(Buffer.byteLength(event.applicantId ?? '')).toBeLessThanOrEqual(128);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('event times are real calendar dates and times in a sane range', () => {
  const sumsubAt = (createdAtMs: string) => ({ ...kycPayload.sumsub({}), createdAtMs });

  it.each(['2024-02-30 10:00:00', '2024-02-30 25:61:61', '2024-13-01 00:00:00', '2023-02-29 12:00:00', '2024-04-31 00:00:00', '2024-01-01 24:00:00'])(
    'Sumsub: refuses %s rather than rolling it over',
    (createdAtMs) => {
      expect(refusedFields('sumsub', sumsubAt(createdAtMs))).toBe('createdAtMs');
    },
  );

  it('Sumsub: accepts a leap day and the last second of a day', () => {
    expect(normalise('sumsub', sumsubAt('2024-02-29 23:59:59.999')).occurredAt).toBe('2024-02-29T23:59:59.999Z');
  });

  it.each([
    [
      'veriff',
      (at: string) => ({
        ...kycPayload.veriff({ status: 'approved' }),
        verification: { ...kycPayload.veriff({ status: 'approved' }).verification, decisionTime: at },
      }),
      'verification.decisionTime',
    ],
    [
      'persona',
      (at: string) => ({ data: { ...persona().data, attributes: { ...persona().data.attributes, 'created-at': at } } }),
      'data.attributes.created-at',
    ],
    [
      'onfido',
      (at: string) => {
        const body = kycPayload.onfido({ status: 'approved' });
        body.payload.object.completed_at_iso8601 = at;
        return body;
      },
      'payload.object.completed_at_iso8601',
    ],
    ['standard-webhooks', (at: string) => ({ ...kycPayload['standard-webhooks']({ status: 'approved' }), timestamp: at }), 'timestamp'],
  ] as const)('%s: refuses impossible, ancient and far-future times, naming the field', (vendor, bodyAt, field) => {
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': '1795000000' };
    for (const at of [
      '2024-02-30T10:00:00Z',
      '2024-13-01T00:00:00Z',
      '2024-01-01T25:00:00Z',
      '1999-12-31T23:59:59Z',
      '2026-11-25T12:00:01Z',
      '9999-12-31T23:59:59Z',
    ]) {
      expect([at, refusedFields(vendor, bodyAt(at), headers)]).toEqual([at, field]);
    }
    expect(refusedFields(vendor, bodyAt('2026-11-25T11:59:59Z'), headers)).toBe('accepted');
    expect(refusedFields(vendor, bodyAt('2000-01-01T00:00:00Z'), headers)).toBe('accepted');
  });
});

function persona() {
  return kycPayload.persona({ name: 'inquiry.approved' });
}
