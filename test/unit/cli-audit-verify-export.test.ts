import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildExport, type VerifyReport } from '../../lambda/modules/audit';
import { at, fakeTrail } from '../helpers/audit-fixtures';
import { runCli } from '../helpers/cli';

const dir = mkdtempSync(path.join(tmpdir(), 'audit-verify-export-'));
const file = (name: string, content: string) => {
  const target = path.join(dir, name);
  writeFileSync(target, content);
  return target;
};

/** An export of two streams: checkpoint 1 seals seq 1..2 of each, seq 3 of investor#a (at 4 s) is not sealed yet. */
async function exportFiles() {
  const trail = fakeTrail();
  for (const seconds of [1, 2]) for (const stream of ['investor#a', 'case#c1']) await trail.append(stream, seconds);
  expect((await trail.checkpoint(3)).status).toBe('checkpointed');
  await trail.append('investor#a', 4);
  const { jsonl, manifest } = await buildExport(
    { queries: trail.records, records: trail.records, coverage: trail.coverage, bodies: trail.bodies, signer: trail.signer },
    { from: at(0).toISOString() },
  );
  return { jsonl, manifest: file('trail.manifest.json', JSON.stringify(manifest)), key: file('audit-key.pem', await trail.signer.publicKeyPem()) };
}

describe('cli audit verify-export', () => {
  it('says what is not yet anchored, in words and in JSON, and exits 0 on an untouched export', async () => {
    const { jsonl, manifest, key } = await exportFiles();
    const exported = file('trail.jsonl', jsonl);
    const human = runCli(['audit', 'verify-export', exported, '--manifest', manifest, '--public-key', key]);
    expect(human.status).toBe(0);
    expect(human.stdout.split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(
        new RegExp(`^export ${exported}: OK: 5 records in 2 streams, 1 checkpoints, last #1 at ${at(3).toISOString()}, root [0-9a-f]{16}…$`),
      ),
      `  not yet anchored: 1 record in 1 stream since ${at(4).toISOString()} (after checkpoint #1)`,
    ]);
    const json = runCli(['audit', 'verify-export', exported, '--manifest', manifest, '--public-key', key, '--json']);
    const report = JSON.parse(json.stdout) as VerifyReport;
    expect(report).toMatchObject({ ok: true, records: 5, lastCheckpoint: { number: 1 }, unanchored: { records: 1, streams: 1, since: at(4).toISOString() } });
  });

  it('lists each break and exits 1 on an edited export', async () => {
    const { jsonl, manifest, key } = await exportFiles();
    const edited = file('edited.jsonl', jsonl.replace('"seconds":2', '"seconds":9'));
    const result = runCli(['audit', 'verify-export', edited, '--manifest', manifest, '--public-key', key]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/: BROKEN \(\d+ breaks\)/);
    expect(result.stdout).toMatch(/ {2}break {4}hash_mismatch: line \d \(\S+\/2\) does not match its hash/);
  });
});
