import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { z } from 'zod';
import { ConfigurationError } from '../../config/env';
import { SECRETS, type SecretName } from '../../config/system';

/** Secrets are re-read after this long, so a rotated value reaches warm functions. */
const TTL_MS = 5 * 60 * 1000;

let client: SecretsManagerClient | undefined;
const cache = new Map<string, { value: unknown; expiresAt: number }>();

/**
 * A JSON secret, validated. Locally the runner puts the value itself in the secret's local
 * variable; on AWS the function has the secret's ARN and reads it from Secrets Manager, cached.
 * Errors name the secret, never its value.
 */
export async function readSecretJson<T>(name: SecretName, schema: z.ZodType<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const spec = SECRETS[name];
  const local = env[spec.localEnvVar];
  const arn = env[spec.envVar];
  if (local === undefined && !arn) throw new ConfigurationError(`Missing environment variable: ${spec.envVar} (or ${spec.localEnvVar} for local runs)`);
  const cached = arn ? cache.get(arn) : undefined;
  let raw: string | undefined = local;
  if (local === undefined && arn) {
    if (cached && cached.expiresAt > Date.now()) return cached.value as T;
    client ??= new SecretsManagerClient({});
    raw = (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch {
    throw new ConfigurationError(`secret ${name} is not valid JSON`);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw new ConfigurationError(`secret ${name} is invalid: ${result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`);
  if (local === undefined && arn) cache.set(arn, { value: result.data, expiresAt: Date.now() + TTL_MS });
  return result.data;
}
