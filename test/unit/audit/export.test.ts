import { buildExport, exportAudit, verifyExport, type AuditRecord, type Coverage, type ExportManifest } from '../../../lambda/modules/audit';
import { headerHash } from '../../../lambda/modules/audit/checkpoint';
import type { AuditQueries } from '../../../lambda/modules/audit/ports';
import { canonicalBytes } from '../../../lambda/modules/audit/signing';
import { InMemoryExportDelivery } from '../../../lambda/modules/audit/fakes';
import { ValidationError } from '../../../lambda/shared';
import { at, chains, checkpointsFor, fakeTrail, testSigner } from '../../helpers/audit-fixtures';

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

describe('the newest checkpoint an export relies on, and what is not yet anchored', () => {
  /** Re-signs an edited payload with the audit key: what only a holder of the key could make. */
  const resigned = async (manifest: ExportManifest, payload: ExportManifest['payload']): Promise<ExportManifest> => ({
    payload,
    signature: await signer.sign(canonicalBytes(payload)),
  });

  it('names the newest checkpoint in the manifest and reports the records after the proofs, and since when', async () => {
    const { jsonl, manifest, publicKey } = await exported();
    const newest = manifest.payload.checkpoints.at(-1)!.header;
    expect(manifest.payload.newestCheckpoint).toEqual({ number: 2, headerHash: headerHash(newest) });
    const seq5 = lines(jsonl)
      .map((row) => JSON.parse(row) as AuditRecord)
      .filter((record) => record.seq === 5);
    const report = verifyExport(jsonl, manifest, publicKey);
    expect(report.lastCheckpoint).toEqual({ number: 2, cutoff: newest.cutoff, root: newest.root });
    expect(report.unanchored).toEqual({ records: 3, streams: 3, since: seq5.map((record) => record.at).sort()[0] });
  });

  it('names none when no checkpoint covers the export yet: every record is unanchored', async () => {
    const records = chains(2, 2);
    const { jsonl, manifest } = await buildExport(
      {
        queries: { page: async () => ({ records }) },
        records: { recordAt: async () => undefined },
        coverage: { all: async () => [], last: async () => undefined, record: async () => undefined, isComplete: async () => true },
        bodies: { get: async () => undefined, put: async () => '' },
        signer,
      },
      { from: '2026-01-01T00:00:00.000Z' },
    );
    expect(manifest.payload.newestCheckpoint).toBeNull();
    const report = verifyExport(jsonl, manifest, await signer.publicKeyPem());
    expect(report).toMatchObject({ ok: true, checkpoints: 0, lastCheckpoint: undefined, unanchored: { records: 4, streams: 2, since: records[0]!.at } });
  });

  it('rejects a manifest whose named newest checkpoint is not the newest it carries', async () => {
    const { jsonl, manifest, publicKey } = await exported();
    // The proofs all rely on checkpoint 2, the only header the manifest carries.
    expect(manifest.payload.checkpoints.map((c) => c.header.number)).toEqual([2]);
    const older = await resigned(manifest, { ...manifest.payload, newestCheckpoint: { number: 1, headerHash: 'f'.repeat(64) } });
    expect(verifyExport(jsonl, older, publicKey).breaks.map((b) => [b.kind, b.checkpoint, b.message])).toEqual([
      ['manifest_checkpoint_mismatch', 1, 'the manifest names checkpoint 1 as the newest it relies on, but its newest checkpoint header is #2'],
    ]);
    const other = await resigned(manifest, { ...manifest.payload, newestCheckpoint: { number: 2, headerHash: 'f'.repeat(64) } });
    expect(verifyExport(jsonl, other, publicKey).breaks.map((b) => b.message)).toEqual([
      'the manifest names checkpoint 2 as the newest it relies on, but its newest checkpoint header is another',
    ]);
    const none = await resigned(manifest, { ...manifest.payload, newestCheckpoint: null });
    expect(verifyExport(jsonl, none, publicKey).breaks.map((b) => b.message)).toEqual([
      'the manifest names no checkpoint it relies on, but carries checkpoint 2',
    ]);
    const headerless = await resigned(manifest, { ...manifest.payload, checkpoints: [] });
    expect(verifyExport(jsonl, headerless, publicKey).breaks.map((b) => b.kind)).toEqual(expect.arrayContaining(['manifest_checkpoint_mismatch']));
  });

  it('verifies a manifest made before it named its newest checkpoint', async () => {
    const { jsonl, manifest, publicKey } = await exported();
    const { newestCheckpoint, ...before } = manifest.payload;
    expect(newestCheckpoint).toBeDefined();
    expect(verifyExport(jsonl, await resigned(manifest, before), publicKey)).toMatchObject({ ok: true, lastCheckpoint: { number: 2 } });
  });
});

describe('exportAudit over the in-memory trail', () => {
  async function trailWithExport() {
    const trail = fakeTrail();
    for (const seconds of [1, 2]) for (const stream of ['investor#a', 'case#c1']) await trail.append(stream, seconds);
    expect((await trail.checkpoint(3)).status).toBe('checkpointed');
    await trail.append('investor#a', 4);
    const delivery = new InMemoryExportDelivery();
    const deps = {
      queries: trail.records,
      records: trail.records,
      coverage: trail.coverage,
      bodies: trail.bodies,
      signer: trail.signer,
      delivery,
      now: () => at(5),
    };
    return { ...trail, deps, delivery };
  }

  it('answers a small export inline, with a manifest that verifies offline and proves the checkpointed records', async () => {
    const { deps, signer } = await trailWithExport();
    const result = await exportAudit(deps, { from: at(0).toISOString() });
    if (result.delivery !== 'inline') throw new Error('expected an inline export');
    expect(result.rowCount).toBe(5);
    expect(result.manifest.payload).toMatchObject({ createdAt: at(5).toISOString(), newestCheckpoint: { number: 1 }, keyId: await signer.keyId() });
    expect(result.manifest.payload.streams.map((s) => [s.stream, s.runs.map((run) => [run.from, run.to, run.proof?.seq])])).toEqual([
      ['case#c1', [[1, 2, 2]]],
      ['investor#a', [[1, 3, 2]]],
    ]);
    const report = verifyExport(result.jsonl, result.manifest, await signer.publicKeyPem());
    expect(report).toMatchObject({ ok: true, records: 5, unanchored: { records: 1, streams: 1, since: at(4).toISOString() } });
    expect(result.jsonl).not.toContain('"day"');
  });

  it('puts the export and its manifest in the exports bucket behind links when asked to', async () => {
    const { deps, delivery, signer } = await trailWithExport();
    const result = await exportAudit(deps, { stream: 'investor#a' }, { forceLink: true });
    if (result.delivery !== 'link') throw new Error('expected links');
    expect(result).toMatchObject({ rowCount: 3, expiresInSeconds: 3600 });
    expect(result.exportUrl).toMatch(/^memory:\/\/exports\/exports\/[0-9A-Z]{26}\/records\.jsonl\?expires=3600$/);
    expect([...delivery.objects.values()].map((object) => object.contentType)).toEqual(['application/x-ndjson', 'application/json']);
    const manifest = JSON.parse(delivery.fetch(result.manifestUrl)!) as ExportManifest;
    expect(verifyExport(delivery.fetch(result.exportUrl)!, manifest, await signer.publicKeyPem()).ok).toBe(true);
  });

  it('refuses an export larger than one function can build, naming the time range to narrow', async () => {
    const { deps } = await trailWithExport();
    await expect(buildExport(deps, { from: at(0).toISOString() }, 4)).rejects.toThrow(ValidationError);
  });

  it('stops, naming the command to run, when a checkpoint the coverage index names is gone from the table', async () => {
    const { deps, store } = await trailWithExport();
    store.remove('audit#checkpoints', 1);
    await expect(buildExport(deps, { stream: 'investor#a' })).rejects.toThrow(
      'checkpoint 1 is indexed but its chain record is missing; run `cli audit verify`',
    );
  });
});
