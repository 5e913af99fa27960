import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { z } from 'zod';
import { ConfigurationError } from '../config/env';
import { SECRETS, type SecretName } from '../config/system';

/** How long a secret value is cached in a warm function: rotation takes effect within this. */
const CACHE_SECONDS = 300;

/**
 * Reads a JSON secret: on AWS from Secrets Manager (the ARN in the spec's variable, cached by
 * Powertools for five minutes so a rotated value is picked up without a deploy); in a local run from
 * the spec's local variable. The value is validated; errors name the secret, never its content.
 */
export async function readJsonSecret<T>(name: SecretName, schema: z.ZodType<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const spec = SECRETS[name];
  let raw: unknown;
  const local = env[spec.localEnvVar];
  if (local !== undefined) {
    try {
      raw = JSON.parse(local);
    } catch (cause) {
      throw new ConfigurationError(`${spec.localEnvVar} is not valid JSON`, { cause });
    }
  } else {
    const arn = env[spec.envVar];
    if (!arn) throw new ConfigurationError(`Missing environment variable: ${spec.envVar} (or ${spec.localEnvVar} in a local run)`);
    raw = await getSecret(arn, { transform: 'json', maxAge: CACHE_SECONDS });
    if (raw === undefined) throw new ConfigurationError(`secret ${name} has no value yet: set it (README, Deploy)`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigurationError(`secret ${name} does not have the expected shape: ${parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ')}`);
  return parsed.data;
}
