import { ConfigurationError } from '../../../config/env';
import { NotFoundError, TransientError } from '../../../shared';

/**
 * GETs a vendor API resource as JSON. Network failures, timeouts, 429 and 5xx are transient (the
 * event is retried); 401/403 mean our credentials are wrong (configuration); 404 is permanent.
 */
export async function getVendorJson(vendor: string, url: string, headers: Record<string, string>, timeoutMs = 3_000): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (cause) {
    throw new TransientError(`${vendor} API unreachable`, { cause });
  }
  if (response.status === 429 || response.status >= 500) throw new TransientError(`${vendor} API answered ${response.status}`);
  if (response.status === 401 || response.status === 403)
    throw new ConfigurationError(`${vendor} API refused our credentials (${response.status}); check the kycVendorApi secret`);
  if (response.status === 404) throw new NotFoundError(`${vendor} API has no such resource`);
  if (!response.ok) throw new TransientError(`${vendor} API answered ${response.status}`);
  try {
    return (await response.json()) as unknown;
  } catch (cause) {
    throw new TransientError(`${vendor} API sent a body that is not JSON`, { cause });
  }
}
