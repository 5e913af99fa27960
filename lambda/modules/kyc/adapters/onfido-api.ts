import { z } from 'zod';
import { toAlpha2, type KycVerdict } from '../../../shared';
import type { ApplicantDetails } from '../vendor-api';
import type { KycVendorApi } from '../ports';
import { getVendorJson } from './vendor-http';

export const onfidoCredentialsSchema = z.object({ baseUrl: z.string().url().default('https://api.eu.onfido.com/v3.6'), apiToken: z.string().min(1) });
export type OnfidoCredentials = z.output<typeof onfidoCredentialsSchema>;

const workflowRunSchema = z.looseObject({ id: z.string(), applicant_id: z.string() });
const checkSchema = z.looseObject({ id: z.string(), applicant_id: z.string(), status: z.string(), result: z.string().optional().nullable() });
const applicantSchema = z.looseObject({
  id: z.string(),
  first_name: z.string().optional().nullable(),
  last_name: z.string().optional().nullable(),
  dob: z.string().optional().nullable(),
  address: z.looseObject({ country: z.string().optional().nullable() }).optional().nullable(),
  location: z.looseObject({ country_of_residence: z.string().optional().nullable() }).optional().nullable(),
});

/** A completed check's result: `clear` passes, `consider` needs a human. */
const CHECK_VERDICTS: Readonly<Record<string, KycVerdict>> = { clear: 'approved', consider: 'review' };

/** Onfido's API (v3.6): workflow runs and checks name their applicant; the applicant has the person. */
export class OnfidoApi implements KycVendorApi {
  constructor(private readonly credentials: OnfidoCredentials) {}

  private get(path: string): Promise<unknown> {
    return getVendorJson('Onfido', `${this.credentials.baseUrl}${path}`, { authorization: `Token token=${this.credentials.apiToken}` });
  }

  async details(pointer: { resource: 'applicant' | 'workflow_run' | 'check'; id: string }): Promise<ApplicantDetails> {
    let applicantId = pointer.id;
    let verdict: KycVerdict | undefined;
    if (pointer.resource === 'workflow_run') {
      applicantId = workflowRunSchema.parse(await this.get(`/workflow_runs/${encodeURIComponent(pointer.id)}`)).applicant_id;
    } else if (pointer.resource === 'check') {
      const check = checkSchema.parse(await this.get(`/checks/${encodeURIComponent(pointer.id)}`));
      applicantId = check.applicant_id;
      verdict = check.status === 'complete' && check.result ? CHECK_VERDICTS[check.result] : undefined;
    }
    const applicant = applicantSchema.parse(await this.get(`/applicants/${encodeURIComponent(applicantId)}`));
    return {
      applicantId,
      verdict,
      person: {
        firstName: applicant.first_name ?? undefined,
        lastName: applicant.last_name ?? undefined,
        dateOfBirth: applicant.dob ?? undefined,
        country: toAlpha2(applicant.location?.country_of_residence ?? applicant.address?.country ?? undefined),
      },
    };
  }
}
