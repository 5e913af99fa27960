import { chainsConfigSchema, type ChainConfig } from './chains';
import { ConfigurationError, parseSetting, type SettingValues } from './env';
import {
  BUCKETS,
  ENV,
  FUNCTIONS,
  KMS_KEYS,
  OPTIONAL_ENV,
  QUEUES,
  SECRETS,
  SETTINGS,
  TABLES,
  type FunctionName,
  type FunctionSpec,
  type OptionalEnvName,
  type QueueSpec,
} from './system';

type Spec<N extends FunctionName> = (typeof FUNCTIONS)[N];
type KeysOf<T> = T extends Readonly<Record<infer K, unknown>> ? K : never;
type ItemsOf<T> = T extends readonly (infer I)[] ? I : never;

export type TablesOf<N extends FunctionName> = Spec<N> extends { tables: infer T } ? KeysOf<T> : never;
export type QueuesOf<N extends FunctionName> = Spec<N> extends { sendsTo: infer Q } ? ItemsOf<Q> : never;
export type DeadLettersOf<N extends FunctionName> = Spec<N> extends { deadLetters: infer Q } ? ItemsOf<Q> : never;
export type BucketsOf<N extends FunctionName> = Spec<N> extends { buckets: infer B } ? KeysOf<B> : never;
export type KmsKeysOf<N extends FunctionName> = Spec<N> extends { kmsKeys: infer K } ? ItemsOf<K> : never;
export type SecretsOf<N extends FunctionName> = Spec<N> extends { secrets: infer S } ? ItemsOf<S> : never;
export type SettingsOf<N extends FunctionName> = Spec<N> extends { settings: infer S } ? ItemsOf<S> : never;
export type OptionalOf<N extends FunctionName> = Spec<N> extends { optional: infer O } ? ItemsOf<O> : never;

/** Where a secret's value comes from: Secrets Manager on AWS, the value itself in a local run. */
export type SecretSource = { readonly arn: string } | { readonly localValue: string };
/** Where a signing key lives: KMS on AWS, local key material in a local run. */
export type KeySource = { readonly kmsKeyId: string } | { readonly localKey: string };

/**
 * Everything a function's spec in system.ts declares, read from its environment once. Only what
 * the spec names can be asked for: a composition root that reaches for another function's table
 * does not compile.
 */
export interface FunctionConfig<N extends FunctionName> {
  readonly name: N;
  readonly tables: Readonly<Record<TablesOf<N>, string>>;
  readonly queues: Readonly<Record<QueuesOf<N>, string>>;
  readonly deadLetterQueues: Readonly<Record<DeadLettersOf<N>, string>>;
  readonly buckets: Readonly<Record<BucketsOf<N>, string>>;
  readonly kmsKeys: Readonly<Record<KmsKeysOf<N>, KeySource>>;
  readonly secrets: Readonly<Record<SecretsOf<N>, SecretSource>>;
  readonly settings: Readonly<Pick<SettingValues, SettingsOf<N>>>;
  /** The chain configuration, for functions that read or sign on chains; empty otherwise. */
  readonly chains: readonly ChainConfig[];
  /** The optional variables the spec declares (unset or empty: undefined). */
  optional(name: OptionalOf<N>): string | undefined;
}

/**
 * Reads the function's configuration at cold start. Every missing or invalid variable is
 * reported in one ConfigurationError, so a mis-deployed function says everything to fix at once.
 */
export function readFunctionConfig<N extends FunctionName>(name: N, env: NodeJS.ProcessEnv): FunctionConfig<N> {
  const spec: FunctionSpec = FUNCTIONS[name];
  const problems: string[] = [];
  const required = (variable: string): string => {
    const value = env[variable];
    if (!value) problems.push(`missing ${variable}`);
    return value ?? '';
  };
  const entries = <K extends string, V>(keys: readonly K[], read: (key: K) => V) => Object.fromEntries(keys.map((key) => [key, read(key)])) as Record<K, V>;

  const tables = entries(Object.keys(spec.tables ?? {}) as (keyof typeof TABLES)[], (table) => required(TABLES[table].envVar));
  const queues = entries(spec.sendsTo ?? [], (queue) => required(QUEUES[queue].envVar));
  const deadLetterQueues = entries(spec.deadLetters ?? [], (queue) => {
    const variable = (QUEUES[queue] as QueueSpec).deadLetterEnvVar;
    if (!variable) throw new ConfigurationError(`queue ${queue} has no dead-letter variable in system.ts`);
    return required(variable);
  });
  const buckets = entries(Object.keys(spec.buckets ?? {}) as (keyof typeof BUCKETS)[], (bucket) => required(BUCKETS[bucket].envVar));
  const kmsKeys = entries(spec.kmsKeys ?? [], (key): KeySource => {
    const { envVar, localEnvVar } = KMS_KEYS[key];
    if (env[envVar]) return { kmsKeyId: env[envVar] };
    if (env[localEnvVar]) return { localKey: env[localEnvVar] };
    problems.push(`missing ${envVar} (or ${localEnvVar} for local runs)`);
    return { kmsKeyId: '' };
  });
  const secrets = entries(spec.secrets ?? [], (secret): SecretSource => {
    const { envVar, localEnvVar } = SECRETS[secret];
    if (env[localEnvVar] !== undefined) return { localValue: env[localEnvVar] };
    if (env[envVar]) return { arn: env[envVar] };
    problems.push(`missing ${envVar} (or ${localEnvVar} for local runs)`);
    return { arn: '' };
  });
  const settings = entries(spec.settings ?? [], (setting) => {
    try {
      return parseSetting(setting, env[SETTINGS[setting].envVar]);
    } catch (error) {
      problems.push((error as Error).message);
      return undefined;
    }
  });
  const chains = spec.readsChains || spec.signsTransactions ? readChains(required(ENV.chains), problems) : [];

  if (problems.length > 0) throw new ConfigurationError(`function ${name} is not configured: ${problems.join('; ')}`);
  return {
    name,
    tables,
    queues,
    deadLetterQueues,
    buckets,
    kmsKeys,
    secrets,
    settings: settings as unknown as FunctionConfig<N>['settings'],
    chains,
    optional: (variable: OptionalEnvName) => env[OPTIONAL_ENV[variable]] || undefined,
  } as FunctionConfig<N>;
}

function readChains(raw: string, problems: string[]): ChainConfig[] {
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    problems.push(`${ENV.chains} is not valid JSON`);
    return [];
  }
  const result = chainsConfigSchema.safeParse(parsed);
  if (result.success) return result.data;
  problems.push(`${ENV.chains} is invalid: ${result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`);
  return [];
}
