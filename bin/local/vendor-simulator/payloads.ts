/**
 * Webhook bodies shaped like each vendor's real ones (from their public docs), for the local vendor
 * simulator and the tests. Only the fields we read are guaranteed; vendors send many more.
 */
export interface PayloadOptions {
  readonly applicantId?: string;
  readonly externalReference?: string;
  readonly at?: Date;
  readonly person?: { firstName: string; lastName: string; dateOfBirth: string; country: string };
}

const DEFAULT_AT = new Date('2026-11-24T11:59:00.123Z');
const DEFAULT_PERSON = { firstName: 'Jane', lastName: 'Doe', dateOfBirth: '1980-01-31', country: 'US' };

/** `2026-11-24 11:59:00.123`: Sumsub's createdAtMs format (UTC, no zone). */
const sumsubTime = (at: Date) => at.toISOString().replace('T', ' ').replace('Z', '');

export const kycPayload = {
  sumsub: (options: PayloadOptions & { reviewResult?: Record<string, unknown>; type?: string }) => ({
    applicantId: options.applicantId ?? 'sumsub-applicant-1',
    inspectionId: 'inspection-1',
    correlationId: 'req-1',
    externalUserId: options.externalReference ?? 'portal-1',
    levelName: 'basic-kyc-level',
    type: options.type ?? 'applicantReviewed',
    reviewResult: options.reviewResult,
    reviewStatus: 'completed',
    createdAtMs: sumsubTime(options.at ?? DEFAULT_AT),
    sandboxMode: false,
  }),
  onfido: (options: PayloadOptions & { status: string; runId?: string }) => ({
    payload: {
      resource_type: 'workflow_run',
      action: 'workflow_run.completed',
      object: {
        id: options.runId ?? 'wfr_1',
        status: options.status,
        completed_at_iso8601: (options.at ?? DEFAULT_AT).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        href: `https://api.eu.onfido.com/v3.6/workflow_runs/${options.runId ?? 'wfr_1'}`,
      },
    },
  }),
  persona: (options: PayloadOptions & { name: string; eventId?: string }) => {
    const person = options.person ?? DEFAULT_PERSON;
    return {
      data: {
        type: 'event',
        id: options.eventId ?? 'evt_persona_1',
        attributes: {
          name: options.name,
          'created-at': (options.at ?? DEFAULT_AT).toISOString(),
          payload: {
            data: {
              type: 'inquiry',
              id: options.applicantId ?? 'inq_1',
              attributes: {
                status: options.name.replace('inquiry.', ''),
                'reference-id': options.externalReference ?? 'portal-1',
                'name-first': person.firstName,
                'name-last': person.lastName,
                birthdate: person.dateOfBirth,
                'address-country-code': person.country,
              },
            },
          },
        },
      },
    };
  },
  veriff: (options: PayloadOptions & { status: string }) => {
    const person = options.person ?? DEFAULT_PERSON;
    return {
      status: 'success',
      verification: {
        id: options.applicantId ?? '12df6045-3846-3e45-946a-14fa6136d78b',
        code: { approved: 9001, declined: 9102, resubmission_requested: 9103, expired: 9104, abandoned: 9104, review: 9121 }[options.status] ?? 9001,
        status: options.status,
        reasonCode: options.status === 'declined' ? 102 : null,
        vendorData: options.externalReference ?? 'portal-1',
        decisionTime: (options.at ?? DEFAULT_AT).toISOString(),
        acceptanceTime: (options.at ?? DEFAULT_AT).toISOString(),
        person: {
          firstName: person.firstName.toUpperCase(),
          lastName: person.lastName.toUpperCase(),
          dateOfBirth: person.dateOfBirth,
          nationality: person.country,
        },
        document: { type: 'PASSPORT', country: person.country },
      },
      technicalData: { ip: '203.0.113.7' },
    };
  },
  'standard-webhooks': (options: PayloadOptions & { status: string }) => ({
    type: 'kyc.verification.completed',
    timestamp: (options.at ?? DEFAULT_AT).toISOString(),
    data: {
      applicantId: options.applicantId ?? 'generic-applicant-1',
      externalUserId: options.externalReference ?? 'portal-1',
      status: options.status,
      person: options.person ?? DEFAULT_PERSON,
    },
  }),
};
