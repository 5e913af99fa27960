import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { banner } from '../../bin/local/banner';
import { allStarted } from '../../bin/local/services';
import { readmeWalkthrough, walkthroughOf } from '../../bin/local/walkthrough';
import type { LocalSystem } from '../../bin/local/system';

const chain = (chainId: number, name: string, port: number) =>
  ({
    chainId,
    name,
    rpcUrl: `http://127.0.0.1:${port}`,
    identityRegistry: '0xregistry',
    identityFactory: '0xfactory',
    token: '0xtoken',
    agent: '0xagent',
  }) as LocalSystem['chains'][number];

const service = (name: string, port: number, chainId?: number) => ({ name, endpoint: `http://127.0.0.1:${port}`, chainId, stop: async () => undefined });

const system: Pick<LocalSystem, 'apiUrl' | 'consoleUrl' | 'services' | 'chains' | 'tokens'> = {
  apiUrl: 'http://127.0.0.1:3000',
  consoleUrl: 'http://127.0.0.1:3001',
  services: [
    service('Console', 3001),
    service('DynamoDB Local', 8000),
    service('fauxqs (SQS + S3)', 4566),
    service('Hardhat node (chain 31337)', 8545, 31337),
    service('Hardhat node (chain 31338)', 8546, 31338),
    service('KYC vendor simulator', 8700),
  ],
  chains: [chain(31337, 'local-ethereum', 8545), chain(31338, 'local-polygon', 8546)],
  tokens: [{ subject: 'portal-app', role: 'portal', token: 'jwt-1' }],
};

describe('the npm start banner', () => {
  const walkthrough = ['# first', 'npm run --silent cli -- investors show "$JANE"', '', '# → status kyc_pending'];
  const lines = banner(system, { readyMs: 1234, workDir: '.local', pid: 4242, walkthrough });

  it('lists the API and the services in their order, then each chain once with its node, registry and token', () => {
    const urls = lines.filter((line) => /http:\/\/127\.0\.0\.1:\d+/.test(line)).map((line) => line.trim().split(/\s{2,}/)[0]);
    expect(urls).toEqual([
      'HTTP API',
      'Console',
      'DynamoDB Local',
      'fauxqs (SQS + S3)',
      'KYC vendor simulator',
      'local-ethereum (31337)',
      'local-polygon (31338)',
    ]);
    expect(lines.filter((line) => line.includes(':3001'))).toHaveLength(1);
    for (const port of [8545, 8546]) expect(lines.filter((line) => line.includes(`:${port}`))).toHaveLength(1);
    expect(lines.find((line) => line.includes(':8545'))).toContain('registry 0xregistry  token 0xtoken');
  });

  it('prints the walk-through it is given, and the pid a signal stops', () => {
    const start = lines.findIndex((line) => line.startsWith('Walk-through'));
    expect(lines.slice(start + 1, start + 1 + walkthrough.length)).toEqual(walkthrough.map((line) => (line ? `  ${line}` : '')));
    expect(lines.at(-1)).toMatch(/SIGTERM or SIGHUP to pid 4242/);
    expect(lines.join('\n')).not.toContain('TC_WORK_DIR');
  });

  it('points the CLI at another work directory', () => {
    const other = banner(system, { readyMs: 1, workDir: '/tmp/run-2', pid: 1, walkthrough });
    expect(other).toContain(`  export TC_WORK_DIR=${path.resolve('/tmp/run-2')}`);
  });
});

describe("the README's walk-through", () => {
  it('is the shell block between the walkthrough markers', () => {
    const markdown = [
      '# T',
      '<!-- walkthrough:begin -->',
      'Text.',
      '```sh',
      'one',
      '',
      '# two',
      '```',
      '<!-- walkthrough:end -->',
      '```sh',
      'other',
      '```',
    ].join('\n');
    expect(walkthroughOf(markdown)).toEqual(['one', '', '# two']);
    expect(() => walkthroughOf('# no markers')).toThrow(/no <!-- walkthrough:begin -->/);
  });

  it('is in README.md, and the banner prints exactly it', () => {
    const lines = readmeWalkthrough();
    expect(lines.some((line) => line.startsWith('npm run --silent cli -- kyc decide'))).toBe(true);
    expect(banner(system, { readyMs: 1, workDir: '.local', pid: 1, walkthrough: lines }).join('\n')).toContain(
      lines.map((line) => (line ? `  ${line}` : '')).join('\n'),
    );
  });
});

describe('npm start -- --help', () => {
  it("says it runs the fund's seven chains by default, and how to stop it", () => {
    const root = path.resolve(__dirname, '..', '..');
    const { status, stdout } = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['bin/local.ts', '--help'], { cwd: root, encoding: 'utf8' });
    expect(status).toBe(0);
    const help = stdout.replace(/\s+/g, ' ');
    expect(help).toContain("the fund's seven chains as Hardhat nodes");
    expect(help).toMatch(/--chains <count> how many of the fund's seven chains to run, 1 to 7 \(default: 7\)/);
    expect(help).toContain('SIGINT (Ctrl-C), SIGTERM or SIGHUP to this process or to the npm that started it stops everything');
  });
});

describe('starting services in parallel', () => {
  it('fails with the first error only once every start has finished, so a service that came up late is there to stop', async () => {
    const events: string[] = [];
    const late = new Promise<string>((resolve) => setTimeout(() => (events.push('late service up'), resolve('late')), 20));
    const failed = Promise.reject(new Error('Java is missing'));
    await expect(allStarted([failed, late] as const).finally(() => events.push('start failed'))).rejects.toThrow('Java is missing');
    expect(events).toEqual(['late service up', 'start failed']);
    await expect(allStarted([Promise.resolve(1), late] as const)).resolves.toEqual([1, 'late']);
  });
});
