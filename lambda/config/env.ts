import { z } from 'zod';
import { BUCKETS, QUEUES, SETTINGS, TABLES, type BucketName, type QueueName, type SettingName, type TableName } from './system';
// The list vocabulary alone (a plain-data file), not the engine: every function reads its settings here.
import { LIST_IDS, isListId, outcomeProblems, type ListId, type ListOutcomes } from '../modules/screening/lists';

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

function listIds(name: SettingName, raw: string): readonly ListId[] {
  const ids = raw
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (!ids.every(isListId) || !ids.includes('ofac-sdn'))
    throw new ConfigurationError(`${SETTINGS[name].envVar} must list sanctions lists among ${LIST_IDS.join(', ')}, comma-separated, ofac-sdn included`);
  return LIST_IDS.filter((id) => ids.includes(id));
}

/** `ofac-sdn:name=review,wallet=block;ofac-cons:name=review,wallet=review`: every list, both kinds of hit. */
function listOutcomes(name: SettingName, raw: string): ListOutcomes {
  const { envVar } = SETTINGS[name];
  const outcomes: Partial<Record<ListId, { name?: string; wallet?: string }>> = {};
  for (const part of raw.split(';').filter((text) => text.trim())) {
    const [list, rules] = part.split(':').map((text) => text.trim());
    if (!list || !isListId(list) || rules === undefined) throw new ConfigurationError(`${envVar}: "${part}" is not <list>:name=...,wallet=...`);
    const entry: { name?: string; wallet?: string } = {};
    for (const rule of rules.split(',')) {
      const [kind, value] = rule.split('=').map((text) => text.trim());
      if ((kind !== 'name' && kind !== 'wallet') || (value !== 'review' && value !== 'block'))
        throw new ConfigurationError(`${envVar}: "${rule}" must be name=<review|block> or wallet=<review|block>`);
      entry[kind] = value;
    }
    outcomes[list] = entry;
  }
  const missing = LIST_IDS.filter((list) => !outcomes[list]?.name || !outcomes[list]?.wallet);
  if (missing.length > 0) throw new ConfigurationError(`${envVar} must give name= and wallet= for every list (missing: ${missing.join(', ')})`);
  const parsed = outcomes as unknown as ListOutcomes;
  const problems = outcomeProblems(parsed);
  if (problems.length > 0) throw new ConfigurationError(`${envVar}: ${problems.join('; ')}`);
  return parsed;
}

/** How each setting is read; a setting's type follows from its parser. */
const SETTING_PARSERS = {
  blockedCountries: countrySet,
  kycValidityDays: positiveInt,
  caseSlaHours: positiveInt,
  screenedLists: listIds,
  listOutcomes,
} as const satisfies Record<SettingName, (name: SettingName, raw: string) => unknown>;

export type SettingValues = { readonly [S in SettingName]: ReturnType<(typeof SETTING_PARSERS)[S]> };

/** A setting's value from its variable (unset or empty: the default); throws ConfigurationError naming the variable. */
export function parseSetting<S extends SettingName>(name: S, raw: string | undefined): SettingValues[S] {
  return SETTING_PARSERS[name](name, raw || SETTINGS[name].default) as SettingValues[S];
}
