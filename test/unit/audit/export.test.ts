import { buildExport, verifyExport, type AuditRecord, type Coverage } from '../../../lambda/modules/audit';
import type { AuditQueries } from '../../../lambda/modules/audit/ports';
import { chains, checkpointsFor, testSigner } from '../../helpers/audit-fixtures';

const signer = testSigner();

/**
 * The export is built by the real use case over records held in memory: the ports are answered from
 * plain arrays (the DynamoDB and S3 adapters are exercised in test/integration/audit-trail.test.ts).
 */
async function exported(filter: (record: AuditRecord) => boolean = () => true) {
  const records = chains(3, 5);
  const { chain, bodies } = await checkpointsFor(signer, [records.filter((r) => r.seq <= 2), records.filter((r) => r.seq === 3 || r.seq === 4)]);
  const coverage: Coverage[] = [...bodies.values()].flatMap((body) =>
    body.ranges.map((range) => ({
      stream: range.stream,
      checkpoint: body.header.number,
      from: range.from,
      to: range.from + range.hashes.length - 1,
      toHash: range.hashes.at(-1)!,
    })),
  );
  const queries: AuditQueries = { page: async () => ({ records: records.filter(filter) }) };
  const { jsonl, manifest } = await buildExport(
    {
      queries,
      records: { recordAt: async (_stream, seq) => chain[seq - 1] },
      coverage: {
        all: async (stream) => coverage.filter((item) => item.stream === stream),
        last: async () => undefined,
        record: async () => undefined,
        isComplete: async () => true,
      },
      bodies: { get: async (key) => bodies.get(key), put: async () => '' },
      signer,
    },
    { from: '2026-01-01T00:00:00.000Z' },
  );
  return { jsonl, manifest, publicKey: await signer.publicKeyPem(), bodies };
}

const lines = (jsonl: string) => jsonl.trimEnd().split('\n');

describe('export manifest, verified offline', () => {
  it('verifies an untouched export with only the file, the manifest and the public key', async () => {
    const { jsonl, manifest, publicKey } = await exported();
    const report = verifyExport(jsonl, manifest, publicKey);
    expect(report).toMatchObject({ ok: true, records: 15, streams: 3, checkpoints: 1, breaks: [] });
    expect(report.warnings.map((w) => [w.kind, w.seq, w.toSeq])).toEqual([
      ['uncovered', 5, 5],
      ['uncovered', 5, 5],
      ['uncovered', 5, 5],
    ]);
    // Seq 5 of each stream is not checkpointed yet: the proof stops at seq 4 and says so.
    expect(manifest.payload.streams.map((s) => s.runs.map((run) => [run.from, run.to, run.proof?.seq, run.proof?.checkpoint]))).toEqual([
      [[1, 5, 4, 2]],
      [[1, 5, 4, 2]],
      [[1, 5, 4, 2]],
    ]);
  });

  it('proves runs with gaps between them: a filtered export has one run per stretch of consecutive records', async () => {
    const { jsonl, manifest, publicKey } = await exported((r) => r.seq !== 3);
    expect(manifest.payload.streams[0]!.runs.map((run) => [run.from, run.to, run.proof?.seq])).toEqual([
      [1, 2, 2],
      [4, 5, 4],
    ]);
    expect(verifyExport(jsonl, manifest, publicKey).ok).toBe(true);
  });

  it('locates a modified line', async () => {
    const { jsonl, manifest, publicKey } = await exported();
    const rows = lines(jsonl);
    rows[4] = rows[4]!.replace('"index":1', '"index":7');
    const kinds = verifyExport(`${rows.join('\n')}\n`, manifest, publicKey).breaks.map((b) => [b.kind, b.line]);
    expect(kinds).toEqual([
      ['export_digest_mismatch', undefined],
      ['hash_mismatch', 5],
    ]);
  });

  it('locates a deleted line and a truncated tail', async () => {
    const { jsonl, manifest, publicKey } = await exported();
    const rows = lines(jsonl);
    const removed = JSON.parse(rows[7]!) as AuditRecord;
    const report = verifyExport(`${[...rows.slice(0, 7), ...rows.slice(8, -2)].join('\n')}\n`, manifest, publicKey);
    const last = rows.slice(-2).map((row) => JSON.parse(row) as AuditRecord);
    expect(report.breaks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'export_row_count_mismatch' }),
        expect.objectContaining({ kind: 'missing_record', stream: removed.stream, seq: removed.seq }),
        ...last.map((record) => expect.objectContaining({ kind: 'missing_record', stream: record.stream, seq: record.seq })),
      ]),
    );
  });

  it('locates reordered lines', async () => {
    const { jsonl, manifest, publicKey } = await exported();
    const rows = lines(jsonl);
    [rows[2], rows[3]] = [rows[3]!, rows[2]!];
    expect(verifyExport(`${rows.join('\n')}\n`, manifest, publicKey).breaks.map((b) => [b.kind, b.line])).toEqual([
      ['export_digest_mismatch', undefined],
      ['out_of_order', 4],
    ]);
  });

  it('rejects a manifest that was edited or signed by another key, and a forged checkpoint in it', async () => {
    const { jsonl, manifest, publicKey } = await exported();
    const edited = { ...manifest, payload: { ...manifest.payload, rowCount: 14 } };
    expect(verifyExport(jsonl, edited, publicKey).breaks.map((b) => b.kind)).toEqual(['manifest_signature_invalid', 'export_row_count_mismatch']);
    expect(verifyExport(jsonl, manifest, await testSigner().publicKeyPem()).breaks.map((b) => b.kind)).toEqual([
      'manifest_signature_invalid',
      'checkpoint_signature_invalid',
    ]);
    const forgedRoot = manifest.payload.checkpoints.map((c, i) => (i === 0 ? { ...c, header: { ...c.header, root: '0'.repeat(64) } } : c));
    const forged = { payload: { ...manifest.payload, checkpoints: forgedRoot }, signature: await signer.sign(Buffer.from('x')) };
    const kinds = verifyExport(jsonl, forged, publicKey).breaks.map((b) => [b.kind, b.checkpoint]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['checkpoint_signature_invalid', 2],
        ['inclusion_proof_invalid', 2],
      ]),
    );
  });
});
