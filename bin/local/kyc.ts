import { SECRETS } from '../../lambda/config/system';
import { KYC_VENDORS, type KycVendor } from '../../lambda/shared';
import { VendorSimulator, type SimulatorCredentials } from './vendor-simulator/server';

/**
 * The simulated vendors' credentials for local runs and tests: fixed, so a developer can sign a
 * webhook by hand (`cli webhook verify` checks it), and worthless anywhere else.
 */
export const LOCAL_KYC_CREDENTIALS: SimulatorCredentials = {
  webhookSecrets: Object.fromEntries(
    KYC_VENDORS.map((vendor) => [
      vendor,
      vendor === 'standard-webhooks' ? `whsec_${Buffer.from('local-standard-webhooks-secret!!').toString('base64')}` : `local-${vendor}-webhook-secret`,
    ]),
  ) as Record<KycVendor, string>,
  sumsub: { appToken: 'local-sumsub-app-token', secretKey: 'local-sumsub-api-secret' },
  onfido: { apiToken: 'local-onfido-api-token' },
};

/** Starts the vendor simulator; webhooks go to the local API once its URL is known. */
export async function startVendorSimulator(port: number | undefined): Promise<VendorSimulator> {
  const simulator = new VendorSimulator(LOCAL_KYC_CREDENTIALS, '');
  await simulator.start(port ?? 0);
  return simulator;
}

/** The KYC secrets as the functions read them locally: webhook secrets and the vendor APIs (the simulator's). */
export function kycLocalEnv(apis: ReturnType<VendorSimulator['apiBaseUrls']>): Record<string, string> {
  return {
    [SECRETS.kycWebhookSecrets.localEnvVar]: JSON.stringify(
      Object.fromEntries(KYC_VENDORS.map((vendor) => [vendor, [LOCAL_KYC_CREDENTIALS.webhookSecrets[vendor]]])),
    ),
    [SECRETS.kycVendorApi.localEnvVar]: JSON.stringify({
      sumsub: { ...LOCAL_KYC_CREDENTIALS.sumsub, baseUrl: apis.sumsub },
      onfido: { ...LOCAL_KYC_CREDENTIALS.onfido, baseUrl: apis.onfido },
    }),
  };
}
