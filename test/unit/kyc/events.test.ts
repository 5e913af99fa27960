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
