import { ENV, FUNCTION_SPECS, KMS_KEYS, QUEUES, ROLES, ROUTES, SECRETS, SETTINGS, TABLES, environmentFor, queueNames } from '../../lambda/config/system';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

describe('system definition', () => {
  it('points every function at a handler module that exists', () => {
    for (const spec of Object.values(FUNCTION_SPECS)) expect(existsSync(path.join(ROOT, spec.entry))).toBe(true);
  });

  it('routes only to declared functions and known roles', () => {
    for (const route of ROUTES) {
      expect(FUNCTION_SPECS[route.function]).toBeDefined();
      if (route.auth !== 'public') for (const role of route.auth) expect(ROLES).toContain(role);
    }
  });

  it('has exactly one consumer per queue', () => {
    for (const queue of Object.keys(QUEUES)) {
      expect(Object.values(FUNCTION_SPECS).filter((spec) => spec.consumes === queue)).toHaveLength(1);
    }
  });

  it('names FIFO queues and their dead-letter queues with .fifo', () => {
    expect(queueNames('p', 'allowlist')).toEqual({ queue: 'p-allowlist.fifo', deadLetter: 'p-allowlist-dlq.fifo' });
    expect(queueNames('p', 'screening')).toEqual({ queue: 'p-screening', deadLetter: 'p-screening-dlq' });
  });

  it('gives a function the variables of exactly what it uses', () => {
    const names = {
      table: (t: string) => `T:${t}`,
      queue: (q: string) => `Q:${q}`,
      deadLetterQueue: (q: string) => `D:${q}`,
      bucket: (b: string) => `B:${b}`,
      chains: () => '[]',
      kmsKey: (k: string) => `K:${k}`,
      secret: (s: string) => `S:${s}`,
      setting: (v: string) => `V:${v}`,
    };
    const env = environmentFor(FUNCTION_SPECS.investorsApi, names);
    expect(env).toEqual({
      [TABLES.investors.envVar]: 'T:investors',
      [TABLES.audit.envVar]: 'T:audit',
      [TABLES.screenings.envVar]: 'T:screenings',
      [TABLES.cases.envVar]: 'T:cases',
      [QUEUES.screening.envVar]: 'Q:screening',
      [QUEUES.allowlist.envVar]: 'Q:allowlist',
      [ENV.chains]: '[]',
      [SECRETS.chainRpcUrls.envVar]: 'S:chainRpcUrls',
      [SETTINGS.blockedCountries.envVar]: 'V:blockedCountries',
    });
    const worker = environmentFor(FUNCTION_SPECS.allowlistWorker, names);
    expect(worker[ENV.chains]).toBe('[]');
    expect(environmentFor({ ...FUNCTION_SPECS.allowlistWorker, kmsKeys: ['allowlistSigner'], secrets: ['chainRpcUrls'] }, names)).toMatchObject({
      [KMS_KEYS.allowlistSigner.envVar]: 'K:allowlistSigner',
      [SECRETS.chainRpcUrls.envVar]: 'S:chainRpcUrls',
    });
  });
});
