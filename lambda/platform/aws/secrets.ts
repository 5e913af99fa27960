import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { z } from 'zod';
import { ConfigurationError } from '../../config/env';
import type { SecretSource } from '../../config/function-config';
import { SECRETS, type SecretName } from '../../config/system';

/** Secrets are re-read after this long, so a rotated value reaches warm functions without a deploy. */
const CACHE_SECONDS = 300;

/**
 * A JSON secret, validated. Locally the runner puts the value itself in the secret's local
 * variable; on AWS the function has the secret's ARN and reads it from Secrets Manager through
 * Powertools Parameters, cached. Errors name the secret and the bad fields, never its value.
 */
export async function readSecretJson<T>(name: SecretName, source: SecretSource, schema: z.ZodType<T>): Promise<T> {
  let raw: unknown;
  if ('localValue' in source) {
    try {
      raw = JSON.parse(source.localValue);
    } catch {
      throw new ConfigurationError(`${SECRETS[name].localEnvVar} is not valid JSON`);
    }
  } else {
    try {
      raw = await getSecret(source.arn, { transform: 'json', maxAge: CACHE_SECONDS });
    } catch (cause) {
      throw new ConfigurationError(`secret ${name} could not be read or is not JSON`, { cause });
    }
    if (raw === undefined) throw new ConfigurationError(`secret ${name} has no value yet: put it (README, Deploy)`);
  }
  const result = schema.safeParse(raw);
  if (!result.success)
    throw new ConfigurationError(
      `secret ${name} is invalid: ${result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`,
    );
  return result.data;
}
