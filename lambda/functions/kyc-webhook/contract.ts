import { z } from 'zod';
import { VENDOR_PAYLOAD_SCHEMAS } from '../../modules/kyc';
import type { FunctionContract } from '../../platform/api-contract';

export const kycWebhookContract: FunctionContract = {
  'POST /webhooks/kyc/{vendor}': {
    summary: "A KYC vendor's verification result",
    description:
      "`{vendor}` is one of sumsub, onfido, persona, veriff, standard-webhooks. The signature is checked on the raw body with the vendor's scheme and secret (docs/vendors/), then the body against the vendor's schema (below, one per vendor; unknown fields are kept). The event is stored once by the vendor's event id and answered within the vendor's 5 s budget.",
    body: z.union(Object.values(VENDOR_PAYLOAD_SCHEMAS) as [z.ZodType, z.ZodType, ...z.ZodType[]]),
    success: { status: 200, description: '`{"received": true, "duplicate": false|true}`: stored (or stored before).' },
    errors: [413],
  },
};
