import path from 'node:path';
import { localEnvironmentFor } from '../../bin/local/function-env';
import { readFunctionConfig } from '../../lambda/config/function-config';
import { ConfigurationError } from '../../lambda/config/env';
import { FUNCTION_SPECS, KMS_KEYS, SECRETS, environmentFor, type FunctionName, type ResourceNames } from '../../lambda/config/system';

const ROOT = path.resolve(__dirname, '..', '..');
const ADDRESS = (digit: string) => `0x${digit.repeat(40)}`;

/** Values shaped like the stack's (CDK tokens resolve to names, URLs and ARNs like these). */
const deployed: ResourceNames = {
  table: (table) => `tc-${table}`,
  queue: (queue) => `https://sqs.us-east-1.amazonaws.com/111111111111/tc-${queue}`,
  deadLetterQueue: (queue) => `https://sqs.us-east-1.amazonaws.com/111111111111/tc-${queue}-dlq`,
  bucket: (bucket) => `tc-${bucket.toLowerCase()}`,
  chains: () => JSON.stringify([{ chainId: 1, name: 'ethereum', identityRegistry: ADDRESS('1'), identityFactory: ADDRESS('2'), token: ADDRESS('3') }]),
  kmsKey: (key) => `arn:aws:kms:us-east-1:111111111111:key/${key}`,
  secret: (secret) => `arn:aws:secretsmanager:us-east-1:111111111111:secret:${secret}`,
  setting: () => '',
};

/** What the Lambda runtime and the function's construct add (region, credentials, Powertools); nothing of the system. */
const LAMBDA_RUNTIME = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  // Nothing answers here: a function that calls AWS while loading fails fast instead of waiting.
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
};

const names = Object.keys(FUNCTION_SPECS) as FunctionName[];

describe('each function, loaded with nothing but the environment its spec declares', () => {
  const saved = process.env;
  afterEach(() => {
    process.env = saved;
  });

  it.each(names)('%s loads its Lambda entry point and exports a handler', (name) => {
    process.env = { ...LAMBDA_RUNTIME, ...environmentFor(FUNCTION_SPECS[name], deployed) };
    let module: { handler?: unknown } = {};
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded as Lambda loads it, after the environment is set
      module = require(path.join(ROOT, FUNCTION_SPECS[name].entry)) as { handler?: unknown };
    });
    expect(typeof module.handler).toBe('function');
  });

  it.each(names)('%s, given the local stand-ins of the runner, builds the same way', (name) => {
    const all = {
      ...LAMBDA_RUNTIME,
      ...environmentFor(FUNCTION_SPECS[name], deployed),
      [KMS_KEYS.auditSigner.localEnvVar]: 'unused',
      [KMS_KEYS.allowlistSigner.localEnvVar]: `0x${'1'.repeat(64)}`,
      [KMS_KEYS.claimSigner.localEnvVar]: `0x${'3'.repeat(64)}`,
      [KMS_KEYS.tokenSigner.localEnvVar]: `0x${'2'.repeat(64)}`,
      ...Object.fromEntries(Object.values(SECRETS).map((secret) => [secret.localEnvVar, '{}'])),
    };
    const local = localEnvironmentFor(FUNCTION_SPECS[name], all);
    expect(() => readFunctionConfig(name, local)).not.toThrow();
    // No AWS id of a key or secret reaches a local function: it signs and reads with the stand-ins.
    for (const key of FUNCTION_SPECS[name].kmsKeys ?? []) expect(local[KMS_KEYS[key].envVar]).toBeUndefined();
    for (const secret of FUNCTION_SPECS[name].secrets ?? []) expect(local[SECRETS[secret].envVar]).toBeUndefined();
  });
});

describe('the local runner', () => {
  it("gives a function no variable of another function's resources", () => {
    const everything = Object.assign({}, ...names.map((name) => environmentFor(FUNCTION_SPECS[name], deployed))) as Record<string, string>;
    const local = localEnvironmentFor(FUNCTION_SPECS.kycExpiry, { ...everything, AWS_REGION: 'us-east-1' });
    expect(Object.keys(local).sort()).toEqual([...Object.keys(environmentFor(FUNCTION_SPECS.kycExpiry, deployed)), 'AWS_REGION'].sort());
    expect(local.SCREENING_QUEUE_URL).toBeUndefined();
  });
});

describe('readFunctionConfig', () => {
  it('names every missing variable in one error', () => {
    let error: unknown;
    try {
      readFunctionConfig('investorsApi', {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    for (const variable of ['INVESTORS_TABLE', 'SCREENINGS_TABLE', 'CASES_TABLE', 'AUDIT_TABLE', 'SCREENING_QUEUE_URL', 'ALLOWLIST_QUEUE_URL', 'CHAINS_CONFIG'])
      expect(message).toContain(variable);
  });

  it('rejects an invalid setting and an invalid chain configuration together', () => {
    const env = { ...environmentFor(FUNCTION_SPECS.investorsApi, deployed), BLOCKED_COUNTRIES: 'CU,Iran', CHAINS_CONFIG: '[{"chainId":0}]' };
    expect(() => readFunctionConfig('investorsApi', env)).toThrow(/BLOCKED_COUNTRIES must list ISO 3166-1 alpha-2 codes.*CHAINS_CONFIG is invalid/);
  });

  it('takes a KMS key from its id on AWS and from its local key material locally', () => {
    const aws = readFunctionConfig('auditCheckpoint', environmentFor(FUNCTION_SPECS.auditCheckpoint, deployed));
    expect(aws.kmsKeys.auditSigner).toEqual({ kmsKeyId: deployed.kmsKey('auditSigner') });
    const { AUDIT_SIGNER_KMS_KEY_ID: _aws, ...rest } = environmentFor(FUNCTION_SPECS.auditCheckpoint, deployed);
    expect(readFunctionConfig('auditCheckpoint', { ...rest, AUDIT_SIGNER_PRIVATE_KEY: 'pem' }).kmsKeys.auditSigner).toEqual({ localKey: 'pem' });
  });
});
