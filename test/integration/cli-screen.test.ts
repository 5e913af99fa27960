import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LIST_2024_05_03, NON_SDN_LIST } from '../helpers/ofac-data';

const ROOT = path.resolve(__dirname, '..', '..');
const work = mkdtempSync(path.join(tmpdir(), 'tc-cli-screen-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `npm run --silent cli -- ...` without npm: the same entry point on the same Node. */
function cli(...args: string[]) {
  const result = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['bin/cli.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.join(ROOT, 'node_modules/.bin')}:${process.env.PATH}` },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function input(name: string, lines: readonly string[]): string {
  const file = path.join(work, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('cli screen (the acceptance-check contract)', () => {
  it('writes one result line per query, exactly the contract fields in order, best match first', () => {
    const file = input('queries.jsonl', [
      JSON.stringify({ id: 'maduro', name: 'Nicolás Maduro Moros', type: 'individual' }),
      JSON.stringify({ id: 'wallet', walletAddress: ' bitcoin:12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h' }),
      '',
      JSON.stringify({ id: 'clean', name: 'Jane Doe', type: 'individual', dateOfBirth: '1980-01-31', country: 'US', extra: 'ignored' }),
    ]);
    const { status, stdout, stderr } = cli('screen', '--list-dir', LIST_2024_05_03, '--in', file);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const version = /^ofac-sdn:2024-05-03:[0-9a-f]{16}$/;
    const [maduro, wallet, clean] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(Object.keys(maduro!)).toEqual(['id', 'verdict', 'listVersion', 'matches']);
    expect(maduro).toMatchObject({ id: 'maduro', verdict: 'review', listVersion: expect.stringMatching(version) });
    expect((maduro!.matches as object[])[0]).toEqual({ sdnId: 22790, name: 'MADURO MOROS, Nicolas', score: 1, matchedOn: 'name' });
    expect(wallet).toEqual({
      id: 'wallet',
      verdict: 'block',
      listVersion: maduro!.listVersion,
      matches: [{ sdnId: 25308, name: 'YAN, Xiaobing', score: 1, matchedOn: 'address' }],
    });
    expect(clean).toEqual({ id: 'clean', verdict: 'clear', listVersion: maduro!.listVersion, matches: [] });
  });

  it('writes to --out instead of stdout', () => {
    const file = input('one.jsonl', [JSON.stringify({ id: 'a', name: 'Banco Nacional de Cuba', type: 'entity' })]);
    const out = path.join(work, 'out.jsonl');
    const { status, stdout } = cli('screen', '--list-dir', LIST_2024_05_03, '--in', file, '--out', out);
    expect(status).toBe(0);
    expect(stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ id: 'a', verdict: 'review', matches: [{ sdnId: 306, matchedOn: 'name' }] });
  });

  it('names the malformed line, never echoes its content, writes nothing and exits 2', () => {
    const file = input('bad.jsonl', [JSON.stringify({ id: 'ok', name: 'Jane Doe' }), '{"id": "x", "name": "Secret Person", "type": "alien"}', 'not json']);
    const out = path.join(work, 'never.jsonl');
    const { status, stdout, stderr } = cli('screen', '--list-dir', LIST_2024_05_03, '--in', file, '--out', out);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: .*bad\.jsonl line 2: type: /);
    expect(stderr).not.toMatch(/Secret Person|alien/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(() => readFileSync(out)).toThrow();
    expect(cli('screen', '--list-dir', LIST_2024_05_03, '--in', input('bad2.jsonl', ['not json'])).stderr).toMatch(/line 1: not valid JSON/);
    expect(cli('screen', '--list-dir', LIST_2024_05_03, '--in', input('bad3.jsonl', ['{"id":"only"}'])).stderr).toMatch(
      /line 1: needs a name or a walletAddress/,
    );
  });

  it('exits 2 with a one-line error for a missing list folder, a folder without a list, or a missing input file', () => {
    const file = input('fine.jsonl', [JSON.stringify({ id: 'a', name: 'x' })]);
    for (const args of [
      ['--list-dir', path.join(work, 'nope'), '--in', file],
      ['--list-dir', work, '--in', file],
      ['--list-dir', LIST_2024_05_03, '--in', path.join(work, 'missing.jsonl')],
    ]) {
      const { status, stderr } = cli('screen', ...args);
      expect(status).toBe(2);
      expect(stderr).toMatch(/^error: /);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('screens one name or one wallet readably, exiting 1 when it is not clear', () => {
    const name = cli('screen', '--name', 'Nicolas Maduro Moros');
    expect(name.status).toBe(1);
    expect(name.stdout).toMatch(/verdict\s+review/);
    expect(name.stdout).toMatch(/SDN 22790\s+MADURO MOROS, Nicolas/);
    const wallet = cli('screen', '--wallet', '12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h', '--json');
    expect(JSON.parse(wallet.stdout)).toMatchObject({ verdict: 'block', matches: [{ sdnId: 25308, matchedOn: 'address' }] });
    expect(cli('screen', '--name', 'Jane Doe').status).toBe(0);
  });

  it('screens against the consolidated non-SDN lists too with --non-sdn-dir: each match names its list, names in other scripts are shown transliterated', () => {
    const file = input('cons.jsonl', [JSON.stringify({ id: 'rosneft', name: 'Rosneft Oil Company', type: 'entity' })]);
    const { status, stdout } = cli('screen', '--list-dir', LIST_2024_05_03, '--non-sdn-dir', NON_SDN_LIST, '--in', file);
    expect(status).toBe(0);
    const line = JSON.parse(stdout) as { listVersion: string; matches: object[] };
    expect(line.listVersion).toMatch(/^ofac-sdn:2024-05-03:[0-9a-f]{16}\+ofac-cons:/);
    expect(line.matches[0]).toEqual({ sdnId: 17022, name: 'OPEN JOINT-STOCK COMPANY ROSNEFT OIL COMPANY', score: 1, matchedOn: 'alias', list: 'ofac-cons' });
    const putin = cli('screen', '--name', 'Владимир Владимирович Путин');
    expect(putin.status).toBe(1);
    expect(putin.stdout).toMatch(/compared as Vladimir Vladimirovich Putin/);
    expect(putin.stdout).toMatch(/SDN 35096\s+PUTIN, Vladimir Vladimirovich/);
  });
});
