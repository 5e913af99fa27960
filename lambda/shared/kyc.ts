/**
 * The KYC vocabulary several modules share: the investor's KYC facts name a vendor and a verdict,
 * the KYC module receives and normalises them.
 */
export const KYC_VENDORS = ['sumsub', 'onfido', 'persona', 'veriff', 'standard-webhooks'] as const;
export type KycVendor = (typeof KYC_VENDORS)[number];

export function isKycVendor(value: string): value is KycVendor {
  return (KYC_VENDORS as readonly string[]).includes(value);
}

/** What a vendor decided, in our terms (each vendor's own statuses map onto these). */
export const KYC_VERDICTS = ['approved', 'rejected', 'retry', 'review', 'pending', 'expired', 'abandoned', 'error'] as const;
export type KycVerdict = (typeof KYC_VERDICTS)[number];
