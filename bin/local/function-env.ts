import {
  ENV,
  KMS_KEYS,
  OPTIONAL_ENV,
  QUEUES,
  SECRETS,
  SETTINGS,
  TABLES,
  BUCKETS,
  environmentFor,
  type FunctionSpec,
  type QueueSpec,
  type ResourceNames,
} from '../../lambda/config/system';

/** Variables every Lambda function has from its runtime or its construct (region, endpoints, Powertools), not from its spec. */
const PLATFORM_VARIABLES = /^(AWS_|POWERTOOLS_|S3_FORCE_PATH_STYLE$|NODE_OPTIONS$)/;

/**
 * The environment one function gets in a local run: exactly what its spec declares, as the stack
 * gives it on AWS (environmentFor), with the local stand-ins a laptop needs in place of AWS ones:
 * a KMS key's local key material and a secret's value itself instead of their ids and ARNs.
 * `all` is the whole local system's environment; a variable the spec does not declare never
 * reaches the function, so a function that reaches for one fails here as it would on AWS.
 */
export function localEnvironmentFor(spec: FunctionSpec, all: Readonly<Record<string, string>>): Record<string, string> {
  const read = (variable: string) => all[variable] ?? '';
  const names: ResourceNames = {
    table: (table) => read(TABLES[table].envVar),
    queue: (queue) => read(QUEUES[queue].envVar),
    deadLetterQueue: (queue) => read((QUEUES[queue] as QueueSpec).deadLetterEnvVar ?? ''),
    bucket: (bucket) => read(BUCKETS[bucket].envVar),
    chains: () => read(ENV.chains),
    kmsKey: () => '',
    secret: () => '',
    setting: (setting) => read(SETTINGS[setting].envVar),
    optional: (optional) => all[OPTIONAL_ENV[optional]],
  };
  const own = environmentFor(spec, names);
  for (const key of spec.kmsKeys ?? []) {
    delete own[KMS_KEYS[key].envVar];
    own[KMS_KEYS[key].localEnvVar] = read(KMS_KEYS[key].localEnvVar);
  }
  for (const secret of spec.secrets ?? []) {
    delete own[SECRETS[secret].envVar];
    own[SECRETS[secret].localEnvVar] = read(SECRETS[secret].localEnvVar);
  }
  const platform = Object.fromEntries(Object.entries(all).filter(([variable]) => PLATFORM_VARIABLES.test(variable)));
  return { ...platform, ...own };
}
