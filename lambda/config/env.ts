import { z } from 'zod';
import { BUCKETS, QUEUES, SETTINGS, TABLES, type BucketName, type QueueName, type SettingName, type TableName } from './system';

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/**
 * Reads the named variables once, at cold start. Fails with one message naming every missing
 * variable, so a mis-deployed function says what to fix instead of failing on first use.
 */
export function readEnv<const K extends string>(names: readonly K[], env: NodeJS.ProcessEnv = process.env): Record<K, string> {
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new ConfigurationError(`Missing environment variable(s): ${missing.join(', ')}`);
  }
  return Object.fromEntries(names.map((name) => [name, env[name] as string])) as Record<K, string>;
}

/** One required variable. */
export function readVar(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new ConfigurationError(`Missing environment variable: ${name}`);
  return value;
}

export function tableName(table: TableName, env: NodeJS.ProcessEnv = process.env): string {
  return readVar(TABLES[table].envVar, env);
}

export function queueUrl(queue: QueueName, env: NodeJS.ProcessEnv = process.env): string {
  return readVar(QUEUES[queue].envVar, env);
}

export function bucketName(bucket: BucketName, env: NodeJS.ProcessEnv = process.env): string {
  return readVar(BUCKETS[bucket].envVar, env);
}

/** An optional whole-number variable; the error names the variable when it is set but not a number. */
export function readOptionalInt(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new ConfigurationError(`${name} must be a whole number of at least 0`);
  return value;
}

/** Parses a JSON-valued variable with a schema; the error names the variable and the bad fields. */
export function readJsonEnv<T>(name: string, schema: z.ZodType<T>, env: NodeJS.ProcessEnv = process.env): T {
  const raw = readVar(name, env);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (cause) {
    throw new ConfigurationError(`${name} is not valid JSON`, { cause });
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const fields = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigurationError(`${name} is invalid: ${fields.join('; ')}`);
  }
  return result.data;
}

/** A non-secret setting: the deployment's value, or the default of SETTINGS in system.ts. */
export function readSetting(name: SettingName, env: NodeJS.ProcessEnv = process.env): string {
  return env[SETTINGS[name].envVar] || SETTINGS[name].default;
}

function countrySet(name: SettingName, raw: string): ReadonlySet<string> {
  const codes = raw
    .split(',')
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);
  const invalid = codes.filter((code) => !/^[A-Z]{2}$/.test(code));
  if (invalid.length > 0) throw new ConfigurationError(`${SETTINGS[name].envVar} must list ISO 3166-1 alpha-2 codes, comma-separated`);
  return new Set(codes);
}

function positiveInt(name: SettingName, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigurationError(`${SETTINGS[name].envVar} must be a positive whole number`);
  return value;
}

/** How each setting is read; a setting's type follows from its parser. */
const SETTING_PARSERS = {
  blockedCountries: countrySet,
  kycValidityDays: positiveInt,
  caseSlaHours: positiveInt,
} as const satisfies Record<SettingName, (name: SettingName, raw: string) => unknown>;

export type SettingValues = { readonly [S in SettingName]: ReturnType<(typeof SETTING_PARSERS)[S]> };

/** A setting's value from its variable (unset or empty: the default); throws ConfigurationError naming the variable. */
export function parseSetting<S extends SettingName>(name: S, raw: string | undefined): SettingValues[S] {
  return SETTING_PARSERS[name](name, raw || SETTINGS[name].default) as SettingValues[S];
}
