import { z } from 'zod';
import { type KycVendor, KYC_VENDORS } from '../../../shared';
import { SUMSUB_ALGORITHMS } from '../signatures';
import type { VendorSecrets } from '../receive';
import type { KycVendorApi } from '../ports';
import type { SecretSource } from '../../../config/function-config';
import { readSecretJson } from '../../../platform/aws/secrets';
import { OnfidoApi, onfidoCredentialsSchema } from './onfido-api';
import { SumsubApi, sumsubCredentialsSchema } from './sumsub-api';

const secretList = z.array(z.string().min(1)).min(1);

/** `{"<vendor>": ["<newest>", "<older>"]}`; Sumsub may name its digest algorithm. */
const webhookSecretsSchema = z.partialRecord(
  z.enum(KYC_VENDORS),
  z.union([secretList, z.object({ secrets: secretList, algorithm: z.enum(Object.keys(SUMSUB_ALGORITHMS) as [keyof typeof SUMSUB_ALGORITHMS]).optional() })]),
);

/** A vendor's active webhook secrets (several during a rotation); none configured means every webhook is refused. */
export function webhookSecrets(source: SecretSource): (vendor: KycVendor) => Promise<VendorSecrets> {
  return async (vendor) => {
    const entry = (await readSecretJson('kycWebhookSecrets', source, webhookSecretsSchema))[vendor];
    if (!entry) return { secrets: [] };
    return Array.isArray(entry) ? { secrets: entry } : { secrets: entry.secrets, sumsubAlgorithm: entry.algorithm };
  };
}

const vendorApiSchema = z.object({ sumsub: sumsubCredentialsSchema.optional(), onfido: onfidoCredentialsSchema.optional() });

/** The applicant APIs of the vendors whose webhooks lack the person (Sumsub, Onfido), as configured. */
export async function vendorApis(source: SecretSource): Promise<(vendor: KycVendor) => KycVendorApi | undefined> {
  const credentials = await readSecretJson('kycVendorApi', source, vendorApiSchema);
  const apis: Partial<Record<KycVendor, KycVendorApi>> = {
    ...(credentials.sumsub ? { sumsub: new SumsubApi(credentials.sumsub) } : {}),
    ...(credentials.onfido ? { onfido: new OnfidoApi(credentials.onfido) } : {}),
  };
  return (vendor) => apis[vendor];
}
