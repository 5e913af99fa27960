import { sealCheckpoint, verifyAuditLog, type AuditRecord, type VerifyReport } from '../../../lambda/modules/audit';
import { checkpointEntryOf, headerHash } from '../../../lambda/modules/audit/checkpoint';
import { CHECKPOINT_STREAM, hashOf } from '../../../lambda/modules/audit/record';
import { InMemoryAuditSigner } from '../../../lambda/modules/audit/fakes';
import type { AuditLogItems } from '../../../lambda/modules/audit/ports';
import { canonicalBytes, sha256Hex } from '../../../lambda/modules/audit/signing';
import { at, fakeTrail } from '../../helpers/audit-fixtures';

const STREAMS = ['investor#a', 'investor#b', 'investor#c'];

/**
 * Three streams; checkpoint n (1..4) covers seq n of each, sealed at 10n + 1 s; seq 5 of each
 * (at 50 s) is not checkpointed yet.
 */
async function sealedTrail() {
  const trail = fakeTrail();
  for (let n = 1; n <= 4; n++) {
    for (const stream of STREAMS) await trail.append(stream, 10 * n);
    expect((await trail.checkpoint(10 * n + 1)).status).toBe('checkpointed');
  }
  for (const stream of STREAMS) await trail.append(stream, 50);
  return { ...trail, ...tampering(trail.store) };
}

/** What someone who can write the audit table (and not the checkpoint bucket) can do. */
function tampering(store: ReturnType<typeof fakeTrail>['store']) {
  return {
    /** Deletes checkpoint `number`'s chain record, and its idempotency marker too unless told not to. */
    deleteCheckpoint(number: number, options: { keepMarker?: boolean } = {}) {
      store.remove(CHECKPOINT_STREAM, number);
      if (!options.keepMarker) store.removeMarker(`${CHECKPOINT_STREAM}:${number}`);
    },
    /** Changes a record, recomputes its hash and re-chains every record after it. */
    rewrite(stream: string, seq: number) {
      let previous: AuditRecord | undefined;
      for (const record of store.records(stream)) {
        if (record.seq < seq) continue;
        const changed = record.seq === seq ? { ...record, actor: 'officer:mallory' } : { ...record, prevHash: previous!.hash };
        previous = { ...changed, hash: hashOf(changed) };
        store.overwrite(previous);
      }
    },
  };
}

const found = (report: VerifyReport) => report.breaks.map((b) => [b.kind, b.checkpoint ?? `${b.stream}/${b.seq}`]);

describe('verifyAuditLog', () => {
  it('passes an untouched log and states what no checkpoint covers yet: how many records, since when', async () => {
    const { records, bodies, signer } = await sealedTrail();
    const progress: number[] = [];
    const clean = await verifyAuditLog({ items: records, bodies, publicKeyPem: await signer.publicKeyPem() }, { onProgress: (items) => progress.push(items) });
    expect(clean).toMatchObject({ ok: true, records: 15, streams: 3, checkpoints: 4, breaks: [], warnings: [] });
    expect(clean.lastCheckpoint).toMatchObject({ number: 4, cutoff: at(41).toISOString() });
    expect(clean.unanchored).toEqual({ records: 3, streams: 3, since: at(50).toISOString() });
    expect(progress.reduce((sum, items) => sum + items, 0)).toBe(await records.estimateCount());
  });

  // Issue 19: the table's checkpoint chain can be shortened by anyone who can write the table; the bucket's cannot.
  describe('finds checkpoints deleted from the table in the checkpoint bucket, and the records they covered', () => {
    it.each([
      [
        'the newest checkpoint, its marker left',
        [4],
        { keepMarker: true },
        [
          ['orphan_idempotency_key', `${CHECKPOINT_STREAM}/4`],
          ['checkpoint_missing_from_table', 4],
        ],
      ],
      ['the newest checkpoint and its marker', [4], {}, [['checkpoint_missing_from_table', 4]]],
      [
        'the last two checkpoints',
        [3, 4],
        {},
        [
          ['checkpoint_missing_from_table', 3],
          ['checkpoint_missing_from_table', 4],
        ],
      ],
      [
        'one in the middle',
        [2],
        {},
        [
          ['seq_gap', `${CHECKPOINT_STREAM}/2`],
          ['checkpoint_chain_broken', 3],
          ['checkpoint_missing_from_table', 2],
        ],
      ],
    ] as const)('%s', async (_, deleted, options, expected) => {
      const { deleteCheckpoint, verify } = await sealedTrail();
      for (const number of deleted) deleteCheckpoint(number, options);
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(found(report)).toEqual(expected);
      for (const number of deleted) expect(report.breaks.find((b) => b.checkpoint === number)?.message).toMatch(new RegExp(`checkpoint ${number} `));
      // The window is measured from the bucket's newest checkpoint, not the table's.
      expect(report.lastCheckpoint?.number).toBe(4);
      expect(report.unanchored.records).toBe(3);
    });

    it.each([
      ['the newest checkpoint', [4], 4, [['investor#b/4', 4]]],
      [
        'the last two checkpoints',
        [3, 4],
        3,
        [
          ['investor#b/3', 3],
          ['investor#b/4', 4],
        ],
      ],
      [
        'one in the middle',
        [2],
        2,
        [
          ['investor#b/2', 2],
          ['investor#b/3', 3],
          ['investor#b/4', 4],
        ],
      ],
    ] as const)('%s, and a record it covered rewritten and re-chained', async (_, deleted, rewritten, mismatches) => {
      const { deleteCheckpoint, rewrite, verify } = await sealedTrail();
      for (const number of deleted) deleteCheckpoint(number);
      rewrite('investor#b', rewritten);
      const report = await verify();
      const leaves = report.breaks.filter((b) => b.kind === 'checkpoint_leaf_mismatch').map((b) => [`${b.stream}/${b.seq}`, b.checkpoint]);
      expect(leaves).toEqual(mismatches);
      for (const number of deleted) expect(found(report)).toContainEqual(['checkpoint_missing_from_table', number]);
      expect(report.breaks.find((b) => b.kind === 'checkpoint_leaf_mismatch')!.message).toBe(
        `investor#b/${rewritten} differs from the record checkpoint ${rewritten} signed`,
      );
    });

    it('verifying one stream', async () => {
      const { deleteCheckpoint, rewrite, verify } = await sealedTrail();
      deleteCheckpoint(4);
      rewrite('investor#b', 4);
      expect(found(await verify('investor#a'))).toEqual([['checkpoint_missing_from_table', 4]]);
      const report = await verify('investor#b');
      expect(found(report)).toEqual([
        ['checkpoint_missing_from_table', 4],
        ['checkpoint_leaf_mismatch', 4],
      ]);
      expect(report).toMatchObject({ records: 5, streams: 1, unanchored: { records: 1, streams: 1, since: at(50).toISOString() } });
    });
  });

  describe('when the checkpointer has sealed the deleted numbers again', () => {
    it('checks the records of the original body, which the chain no longer leads to', async () => {
      const { deleteCheckpoint, rewrite, coverage, checkpoint, verify } = await sealedTrail();
      deleteCheckpoint(4);
      coverage.forget(4);
      rewrite('investor#b', 4);
      expect((await checkpoint(60)).status).toBe('checkpointed'); // seals the rewritten record as checkpoint 4
      const report = await verify();
      expect(found(report)).toEqual([['checkpoint_leaf_mismatch', 4]]);
      expect(report.breaks[0]!.message).toMatch(/^investor#b\/4 differs from the record checkpoint 4 \(checkpoints\/0000000004-[0-9a-f]{24}\.json\) signed$/);
      expect(report.warnings.map((w) => [w.kind, w.checkpoint])).toEqual([['checkpoint_unreferenced', 4]]);
    });

    it('reports a coverage gap when only the chain records were deleted', async () => {
      const { deleteCheckpoint, checkpoint, verify } = await sealedTrail();
      deleteCheckpoint(4);
      expect((await checkpoint(60)).status).toBe('checkpointed');
      expect(found(await verify())).toEqual(STREAMS.map(() => ['checkpoint_coverage_gap', 4]));
    });

    it('reports a fork when more than the newest was sealed again', async () => {
      const { deleteCheckpoint, coverage, checkpoint, append, verify } = await sealedTrail();
      for (const number of [3, 4]) {
        deleteCheckpoint(number);
        coverage.forget(number);
      }
      expect((await checkpoint(60)).status).toBe('checkpointed');
      await append('investor#a', 70);
      expect((await checkpoint(71)).status).toBe('checkpointed');
      const report = await verify();
      expect(found(report)).toEqual([
        ['checkpoint_fork', 3],
        ['checkpoint_fork', 4],
      ]);
      expect(report.breaks[0]!.message).toMatch(/checkpoints were deleted from the table and sealed again/);
    });
  });

  it("reads the checkpoint chain again when the scan missed a run's record (written behind the scan): no break", async () => {
    const { records, bodies, signer } = await sealedTrail();
    // A scan that passed checkpoint 4's place before its run recorded it; the chain read after it has the record.
    const behindTheScan: AuditLogItems = {
      estimateCount: () => records.estimateCount(),
      async *scan(options) {
        for await (const batch of records.scan(options)) {
          yield options.onlyStream ? batch : { ...batch, records: batch.records.filter((r) => !(r.stream === CHECKPOINT_STREAM && r.seq === 4)) };
        }
      },
    };
    const report = await verifyAuditLog({ items: behindTheScan, bodies, publicKeyPem: await signer.publicKeyPem() });
    expect(report).toMatchObject({ ok: true, checkpoints: 4, breaks: [], warnings: [] });
  });

  it('accepts the body a lost race left behind, as a warning', async () => {
    const trail = fakeTrail();
    await trail.append('investor#a', 1);
    // Two runs a second apart: both read the same head, so both seal number 1, with different headers.
    expect((await Promise.all([trail.checkpoint(2), trail.checkpoint(3)])).map((result) => result.status).sort()).toEqual(['checkpointed', 'superseded']);
    const report = await trail.verify();
    expect(report).toMatchObject({ ok: true, checkpoints: 1, breaks: [] });
    expect(report.warnings.map((w) => [w.kind, w.checkpoint])).toEqual([['checkpoint_unreferenced', 1]]);
  });

  it("reports a table checkpoint whose body the bucket does not hold, and the gap it leaves in the bucket's chain", async () => {
    const { verify, bodies, records, signer, store } = await sealedTrail();
    const hidden = checkpointEntryOf(store.records(CHECKPOINT_STREAM)[1]!).bodyKey;
    const withoutIt = {
      get: async (key: string) => (key === hidden ? undefined : bodies.get(key)),
      keys: async function* () {
        for await (const page of bodies.keys()) yield page.filter((key) => key !== hidden);
      },
    };
    expect(found(await verify())).toEqual([]);
    const report = await verifyAuditLog({ items: records, bodies: withoutIt, publicKeyPem: await signer.publicKeyPem() });
    expect(found(report)).toEqual([['checkpoint_body_missing', 2], ['checkpoint_number_gap', 2], ...STREAMS.map(() => ['checkpoint_coverage_gap', 3])]);
    expect(report.breaks[1]).toMatchObject({
      checkpoint: 2,
      toCheckpoint: 2,
      message: 'checkpoint 2 is not in the checkpoint bucket, but signed checkpoint 3 follows it',
    });
  });

  it('reports objects in the bucket that are not checkpoints, and a newest checkpoint signed by another key', async () => {
    const { verify, bodies, store, records } = await sealedTrail();
    bodies.putObject('checkpoints/9999999999-junk.json', { hello: 'world' });
    const fourth = checkpointEntryOf(store.records(CHECKPOINT_STREAM)[3]!);
    const forged = await sealCheckpoint(new InMemoryAuditSigner(), {
      number: 5,
      cutoff: at(51).toISOString(),
      previous: fourth.header,
      ranges: [
        { stream: 'investor#a', from: 5, prevHash: (await records.recordAt('investor#a', 4))!.hash, hashes: [(await records.recordAt('investor#a', 5))!.hash] },
      ],
      createdAt: at(51).toISOString(),
    });
    await bodies.put(forged);
    const report = await verify();
    expect(found(report)).toEqual([
      ['checkpoint_not_a_checkpoint', 'undefined/undefined'],
      ['checkpoint_missing_from_table', 5],
      ['checkpoint_signature_invalid', 5],
    ]);
    // A body that covers nothing has no Merkle root to match.
    await bodies.put({ ...forged, ranges: [], header: { ...forged.header, rangesSha256: sha256Hex(canonicalBytes([])) } });
    expect(found(await verify())).toContainEqual(['checkpoint_root_mismatch', 5]);
    expect(report.breaks[0]).toMatchObject({ bodyKey: 'checkpoints/9999999999-junk.json' });
    expect(headerHash(forged.header)).not.toBe(headerHash(fourth.header));
  });

  it("reports a table checkpoint that names another of the number's bodies than the chain's, and a body that is not the one named", async () => {
    const trail = fakeTrail();
    await trail.append('investor#a', 1);
    await Promise.all([trail.checkpoint(2), trail.checkpoint(3)]);
    await trail.append('investor#a', 4);
    expect((await trail.checkpoint(5)).status).toBe('checkpointed');
    const [first, second] = trail.store.records(CHECKPOINT_STREAM);
    const named = checkpointEntryOf(first!).bodyKey;
    const lost = (await collect(trail.bodies.keys())).find((key) => key.startsWith('checkpoints/0000000001-') && key !== named)!;
    const lostBody = (await trail.bodies.get(lost))!;
    const swapped = { ...first!, data: { header: lostBody.header, signature: lostBody.signature, bodyKey: lost } };
    trail.store.overwrite({ ...swapped, hash: hashOf(swapped) });
    const rechained = { ...second!, prevHash: hashOf(swapped) };
    trail.store.overwrite({ ...rechained, hash: hashOf(rechained) });
    const report = await trail.verify();
    expect(found(report)).toEqual([
      ['checkpoint_chain_broken', 2],
      ['checkpoint_missing_from_table', 1],
    ]);
    expect(report.breaks[1]!.message).toBe(
      `checkpoint 1 of the checkpoint bucket's signed chain (${named}) is not the table's checkpoint 1 (${lost}): the table's chain record was replaced`,
    );

    trail.bodies.putObject(lost, await trail.bodies.get(named));
    expect(found(await trail.verify())).toContainEqual(['checkpoint_body_mismatch', 1]);
  });

  it('reports a record of the checkpoint chain that is not a checkpoint', async () => {
    const { store, verify } = await sealedTrail();
    const fourth = store.records(CHECKPOINT_STREAM)[3]!;
    const notACheckpoint = { ...fourth, type: 'investor.updated', data: {} };
    store.overwrite({ ...notACheckpoint, hash: hashOf(notACheckpoint) });
    expect(found(await verify())).toEqual([
      ['checkpoint_not_a_checkpoint', `undefined/4`],
      ['checkpoint_missing_from_table', 4],
    ]);
  });
});

async function collect(pages: AsyncIterable<readonly string[]>): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of pages) keys.push(...page);
  return keys;
}
