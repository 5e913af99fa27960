import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { toAlpha2 } from '../../../shared';
import type { ApplicantDetails } from '../vendor-api';
import type { KycVendorApi } from '../ports';
import { getVendorJson } from './vendor-http';

export const sumsubCredentialsSchema = z.object({
  baseUrl: z.string().url().default('https://api.sumsub.com'),
  appToken: z.string().min(1),
  secretKey: z.string().min(1),
});
export type SumsubCredentials = z.output<typeof sumsubCredentialsSchema>;

const applicantSchema = z.looseObject({
  id: z.string(),
  externalUserId: z.string().optional().nullable(),
  info: z
    .looseObject({ firstName: z.string().optional(), lastName: z.string().optional(), dob: z.string().optional(), country: z.string().optional() })
    .optional(),
  fixedInfo: z
    .looseObject({ firstName: z.string().optional(), lastName: z.string().optional(), dob: z.string().optional(), country: z.string().optional() })
    .optional(),
});

/** Sumsub signs API requests: hex HMAC-SHA256 of `ts + METHOD + path + body` with the app's secret key. */
export function sumsubRequestHeaders(
  credentials: Pick<SumsubCredentials, 'appToken' | 'secretKey'>,
  method: string,
  path: string,
  body = '',
  now = new Date(),
): Record<string, string> {
  const ts = String(Math.floor(now.getTime() / 1000));
  const signature = createHmac('sha256', credentials.secretKey)
    .update(ts + method.toUpperCase() + path + body)
    .digest('hex');
  return { 'x-app-token': credentials.appToken, 'x-app-access-ts': ts, 'x-app-access-sig': signature };
}

/** Sumsub's applicant API: `GET /resources/applicants/{id}/one`. */
export class SumsubApi implements KycVendorApi {
  constructor(private readonly credentials: SumsubCredentials) {}

  async details(pointer: { resource: string; id: string }): Promise<ApplicantDetails> {
    const path = `/resources/applicants/${encodeURIComponent(pointer.id)}/one`;
    const applicant = applicantSchema.parse(
      await getVendorJson('Sumsub', `${this.credentials.baseUrl}${path}`, sumsubRequestHeaders(this.credentials, 'GET', path)),
    );
    const info = { ...applicant.fixedInfo, ...applicant.info };
    return {
      applicantId: applicant.id,
      externalReference: applicant.externalUserId ?? undefined,
      person: { firstName: info.firstName, lastName: info.lastName, dateOfBirth: info.dob, country: toAlpha2(info.country) },
    };
  }
}
