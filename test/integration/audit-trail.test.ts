import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { DynamoAuditRecords, DynamoAuditStore, LocalKeySigner, S3CheckpointBodies, S3ExportDelivery } from '../../lambda/modules/audit/adapters';
import { documentClient } from '../../lambda/platform/aws/dynamo';
import { s3Client } from '../../lambda/platform/aws/s3';
import { BUCKETS, TABLES } from '../../lambda/config/system';
import {
  AuditLog,
  buildExport,
  exportAudit,
  runCheckpoint,
  sealCheckpoint,
  verifyAuditLog,
  verifyExport,
  type AuditRecord,
  type ExportManifest,
  type VerifyReport,
} from '../../lambda/modules/audit';
import { CHECKPOINT_STREAM, hashOf } from '../../lambda/modules/audit/record';
import type { CheckpointEntry } from '../../lambda/modules/audit/checkpoint-body';
import { ValidationError } from '../../lambda/shared';
import { testSigner } from '../helpers/audit-fixtures';
import { runCliAsync } from '../helpers/cli';
import { awsClients, provisionFresh } from '../helpers/local-env';

const SETTLE_MS = 60_000;
const signer = testSigner();

/** A fresh audit table and buckets, the real adapters over them, and the use cases wired as the functions wire them. */
async function freshLog() {
  const env = await provisionFresh();
  const table = env[TABLES.audit.envVar]!;
  const bucket = env[BUCKETS.auditCheckpoints.envVar]!;
  const store = new DynamoAuditStore(documentClient(), table);
  const records = new DynamoAuditRecords(documentClient(), table);
  const bodies = new S3CheckpointBodies(s3Client(), bucket);
  const deps = { store, records, coverage: records, bodies, signer, actor: 'system:test', settleMs: SETTLE_MS };
  /** Runs a checkpoint as if `settle` had passed since now (plus `extraMs`): everything appended so far is due. */
  const checkpoint = (extraMs = 0) => runCheckpoint({ ...deps, now: () => new Date(Date.now() + SETTLE_MS + extraMs) });
  const verify = async (onlyStream?: string) => verifyAuditLog({ items: records, bodies, publicKeyPem: await signer.publicKeyPem() }, { onlyStream });
  const log = new AuditLog(store);
  return {
    env,
    table,
    bucket,
    store,
    records,
    bodies,
    deps,
    checkpoint,
    verify,
    log,
    append: (streams: readonly string[], perStream: number) => appendMany(log, store, streams, perStream),
  };
}

/** Appends `perStream` records to each stream (streams side by side), keyed by the version they record, as the use cases do. */
async function appendMany(log: AuditLog, store: DynamoAuditStore, streams: readonly string[], perStream: number) {
  for (let i = 0; i < perStream; i++) {
    await Promise.all(
      streams.map(async (stream) => {
        const seq = ((await store.head(stream))?.seq ?? 0) + 1;
        await log.append({
          stream,
          type: seq === 1 ? 'investor.registered' : 'screening.completed',
          actor: 'system:test',
          investorId: stream.split('#')[1],
          data: { seq, wallets: [walletOf(stream)] },
          idempotencyKey: `${stream}:v${seq}`,
        });
      }),
    );
  }
}

const walletOf = (stream: string) => `0x${Buffer.from(stream).toString('hex').slice(-40).padStart(40, '0')}`;
const key = (stream: string, seq: number) => ({ stream: { S: stream }, seq: { N: String(seq) } });

beforeAll(() => {
  process.env.S3_FORCE_PATH_STYLE = 'true';
});

describe('checkpoints on DynamoDB Local and fauxqs S3', () => {
  it('seals every record once, in signed checkpoints linked to each other, and a full verify passes', async () => {
    const { checkpoint, verify, append } = await freshLog();
    const streams = [`investor#${ulid()}`, `investor#${ulid()}`, `case#${ulid()}`];
    await append(streams, 3);

    const first = await checkpoint();
    expect(first).toMatchObject({ status: 'checkpointed', header: { number: 1, leafCount: 9, streamCount: 3, previous: null } });
    expect(await checkpoint()).toMatchObject({ status: 'nothing_new' });

    await append(streams.slice(0, 2), 2);
    const second = await checkpoint(1000);
    expect(second).toMatchObject({ status: 'checkpointed', header: { number: 2, leafCount: 4, streamCount: 2, previous: { number: 1 } } });

    const report = await verify();
    expect(report).toMatchObject({ ok: true, records: 13, streams: 3, checkpoints: 2, breaks: [], warnings: [] });
  });

  it('covers a record that lands late (timestamped before the last cutoff) in the next checkpoint, never twice', async () => {
    const { store, log, checkpoint, verify, append } = await freshLog();
    await append([`investor#${ulid()}`], 2);
    const first = await checkpoint();
    if (first.status !== 'checkpointed') throw new Error('expected a checkpoint');
    const cutoff = Date.parse(first.header.cutoff);

    // A writer whose record carries a time before the cutoff but lands after the checkpoint ran.
    const late = `investor#${ulid()}`;
    await new AuditLog(store, () => new Date(cutoff - SETTLE_MS / 2)).append({
      stream: late,
      type: 'investor.registered',
      actor: 'system:slow-writer',
      data: {},
    });
    // One so late that it falls outside the look-back: reported as uncovered until its stream moves on.
    const veryLate = `investor#${ulid()}`;
    await new AuditLog(store, () => new Date(cutoff - 3 * SETTLE_MS)).append({
      stream: veryLate,
      type: 'investor.registered',
      actor: 'system:slow-writer',
      data: {},
    });

    const second = await checkpoint(1000);
    expect(second).toMatchObject({ status: 'checkpointed', header: { number: 2, leafCount: 1, streamCount: 1 } });
    const report = await verify();
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual([expect.objectContaining({ kind: 'uncovered', stream: veryLate, seq: 1, toSeq: 1 })]);

    await log.append({ stream: veryLate, type: 'screening.completed', actor: 'system:test', data: {} });
    expect(await checkpoint(2000)).toMatchObject({ status: 'checkpointed', header: { number: 3, leafCount: 2 } });
    expect(await verify()).toMatchObject({ ok: true, records: 5, warnings: [] });
  });

  it('lets one of two concurrent checkpointers win and the other leave nothing but an unreferenced body', async () => {
    const { checkpoint, verify, append } = await freshLog();
    await append([`investor#${ulid()}`, `investor#${ulid()}`], 2);
    const results = await Promise.all([checkpoint(), checkpoint()]);
    expect(results.map((result) => result.status).sort()).toEqual(['checkpointed', 'superseded']);
    const report = await verify();
    expect(report.breaks).toEqual([]);
    expect(report).toMatchObject({ ok: true, checkpoints: 1 });
  });

  it('finishes the coverage index of a checkpoint whose run stopped after claiming it', async () => {
    const { deps, checkpoint, records, append } = await freshLog();
    const stream = `investor#${ulid()}`;
    await append([stream], 2);
    // A run that stops right after its claim: the coverage index is never written.
    const stopped = await runCheckpoint({
      ...deps,
      coverage: {
        ...records,
        last: records.last.bind(records),
        isComplete: records.isComplete.bind(records),
        all: records.all.bind(records),
        record: async () => undefined,
      },
      now: () => new Date(Date.now() + SETTLE_MS),
    });
    expect(stopped.status).toBe('checkpointed');
    expect(await records.last(stream)).toBeUndefined();

    await append([stream], 1);
    expect(await checkpoint(1000)).toMatchObject({ status: 'checkpointed', header: { number: 2, leafCount: 1 } });
    expect((await records.all(stream)).map((c) => [c.checkpoint, c.from, c.to])).toEqual([
      [1, 1, 2],
      [2, 3, 3],
    ]);
  });
});

describe('tampering with the stored log is detected and located', () => {
  /** Three streams of four records, checkpointed, then a fifth record each that no checkpoint covers yet. */
  async function sealedLog() {
    const fresh = await freshLog();
    const streams = [`investor#${ulid()}`, `investor#${ulid()}`, `investor#${ulid()}`].sort();
    await fresh.append(streams, 4);
    expect((await fresh.checkpoint()).status).toBe('checkpointed');
    for (const stream of streams) await fresh.log.append({ stream, type: 'investor.eligible', actor: 'system:test', data: {}, idempotencyKey: `${stream}:v5` });
    return { ...fresh, streams };
  }

  it('a modified record', async () => {
    const { table, streams, verify } = await sealedLog();
    await awsClients().dynamodb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: key(streams[1]!, 2),
        UpdateExpression: 'SET actor = :a',
        ExpressionAttributeValues: { ':a': { S: 'officer:mallory' } },
      }),
    );
    expect((await verify()).breaks.map((b) => [b.kind, b.stream, b.seq])).toEqual([['hash_mismatch', streams[1], 2]]);
  });

  it('a modified record whose hash was recomputed', async () => {
    const { table, streams, records, verify } = await sealedLog();
    const original = (await records.recordAt(streams[0]!, 3))!;
    const forged = { ...original, data: { ...original.data, seq: 99 } };
    await documentClient().send(new PutCommand({ TableName: table, Item: { ...forged, hash: hashOf(forged) } }));
    expect((await verify()).breaks.map((b) => [b.kind, b.stream, b.seq, b.checkpoint])).toEqual([
      ['chain_broken', streams[0], 4, undefined],
      ['checkpoint_leaf_mismatch', streams[0], 3, 1],
    ]);
  });

  it('a deleted record', async () => {
    const { table, streams, verify } = await sealedLog();
    await awsClients().dynamodb.send(new DeleteItemCommand({ TableName: table, Key: key(streams[2]!, 2) }));
    // Two witnesses: the gap in the chain, and the idempotency key that still names the record.
    expect((await verify()).breaks.map((b) => [b.kind, b.stream, b.seq, b.toSeq])).toEqual([
      ['seq_gap', streams[2], 2, 2],
      ['orphan_idempotency_key', streams[2], 2, undefined],
    ]);
  });

  it('reordered records', async () => {
    const { table, streams, records, verify } = await sealedLog();
    const [second, third] = [(await records.recordAt(streams[0]!, 2))!, (await records.recordAt(streams[0]!, 3))!];
    await documentClient().send(new PutCommand({ TableName: table, Item: { ...third, seq: 2 } }));
    await documentClient().send(new PutCommand({ TableName: table, Item: { ...second, seq: 3 } }));
    const breaks = (await verify()).breaks.map((b) => [b.kind, b.stream, b.seq]);
    expect(breaks).toEqual(
      expect.arrayContaining([
        ['hash_mismatch', streams[0], 2],
        ['hash_mismatch', streams[0], 3],
        ['checkpoint_leaf_mismatch', streams[0], 2],
        ['checkpoint_leaf_mismatch', streams[0], 3],
      ]),
    );
    expect(breaks.every(([, stream]) => stream === streams[0])).toBe(true);
  });

  it('a truncated tail, checkpointed or not', async () => {
    const { table, streams, verify } = await sealedLog();
    for (const seq of [5, 4, 3]) await awsClients().dynamodb.send(new DeleteItemCommand({ TableName: table, Key: key(streams[1]!, seq) }));
    const breaks = (await verify()).breaks.map((b) => [b.kind, b.stream, b.seq, b.toSeq]);
    expect(breaks).toHaveLength(4);
    expect(breaks).toEqual(
      expect.arrayContaining([
        ['truncated', streams[1], 3, 4],
        ['orphan_idempotency_key', streams[1], 3, undefined],
        ['orphan_idempotency_key', streams[1], 4, undefined],
        ['orphan_idempotency_key', streams[1], 5, undefined],
      ]),
    );
  });

  it('a forged checkpoint', async () => {
    const { table, bucket, records, verify } = await sealedLog();
    const chainRecord = (await records.recordAt(CHECKPOINT_STREAM, 1))!;
    const entry = chainRecord.data as unknown as CheckpointEntry;
    const genuine = (await new S3CheckpointBodies(s3Client(), bucket).get(entry.bodyKey))!;
    // Someone drops a stream from the checkpoint and re-signs with a key of their own.
    const forged = await sealCheckpoint(testSigner(), {
      number: 1,
      cutoff: genuine.header.cutoff,
      previous: undefined,
      ranges: genuine.ranges.slice(1),
      createdAt: genuine.header.createdAt,
    });
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: entry.bodyKey, Body: JSON.stringify(forged) }));
    const data = { header: forged.header, signature: forged.signature, bodyKey: entry.bodyKey };
    await documentClient().send(new PutCommand({ TableName: table, Item: { ...chainRecord, data, hash: hashOf({ ...chainRecord, data } as AuditRecord) } }));
    const breaks = (await verify()).breaks;
    expect(breaks.map((b) => [b.kind, b.checkpoint])).toEqual([['checkpoint_signature_invalid', 1]]);
  });
});

describe('checkpoints deleted from the table are found in the checkpoint bucket (issue 19)', () => {
  /** Three streams; checkpoint n (1..4) seals seq n of each; then seq 5 of each, not sealed yet. */
  async function fourCheckpoints() {
    const fresh = await freshLog();
    const streams = [`investor#${ulid()}`, `investor#${ulid()}`, `investor#${ulid()}`].sort();
    for (let n = 1; n <= 4; n++) {
      await fresh.append(streams, 1);
      expect(await fresh.checkpoint(1000 * n)).toMatchObject({ status: 'checkpointed', header: { number: n, leafCount: 3 } });
    }
    await fresh.append(streams, 1);
    const dynamodb = awsClients().dynamodb;
    return {
      ...fresh,
      streams,
      /** Deletes checkpoint `number`'s chain record, and its idempotency marker unless told not to. */
      async deleteCheckpoint(number: number, options: { keepMarker?: boolean } = {}) {
        await dynamodb.send(new DeleteItemCommand({ TableName: fresh.table, Key: key(CHECKPOINT_STREAM, number) }));
        if (!options.keepMarker)
          await dynamodb.send(new DeleteItemCommand({ TableName: fresh.table, Key: key(`idempotency#${CHECKPOINT_STREAM}:${number}`, 0) }));
      },
      /** Deletes checkpoint `number`'s coverage items, so that the checkpointer seals its records again. */
      async deleteCoverage(number: number) {
        for (const stream of [...streams, CHECKPOINT_STREAM])
          await dynamodb.send(new DeleteItemCommand({ TableName: fresh.table, Key: key(`covered#${stream}`, number) }));
      },
      /** Changes record `seq` of a stream, recomputes its hash and re-chains the records after it. */
      async rewrite(stream: string, seq: number) {
        let previous: AuditRecord | undefined;
        for (const record of await fresh.records.recordsAfter(stream, seq - 1)) {
          const changed = record.seq === seq ? { ...record, actor: 'officer:mallory' } : { ...record, prevHash: previous!.hash };
          previous = { ...changed, hash: hashOf(changed) };
          await documentClient().send(new PutCommand({ TableName: fresh.table, Item: previous }));
        }
      },
    };
  }

  const found = (breaks: readonly { kind: string; checkpoint?: number; stream?: string; seq?: number }[]) =>
    breaks.map((b) => [b.kind, b.checkpoint ?? `${b.stream}/${b.seq}`]);

  it('passes the untouched log and states the records no checkpoint covers yet, and since when', async () => {
    const { verify, records, streams } = await fourCheckpoints();
    const report = await verify();
    expect(report).toMatchObject({ ok: true, records: 15, checkpoints: 4, lastCheckpoint: { number: 4 }, breaks: [] });
    const newest = await Promise.all(streams.map((stream) => records.recordAt(stream, 5)));
    expect(report.unanchored).toEqual({ records: 3, streams: 3, since: newest.map((record) => record!.at).sort()[0] });
  });

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
    const { deleteCheckpoint, verify } = await fourCheckpoints();
    for (const number of deleted) await deleteCheckpoint(number, options);
    const report = await verify();
    expect(found(report.breaks)).toEqual(expected);
    for (const number of deleted)
      expect(report.breaks.find((b) => b.kind === 'checkpoint_missing_from_table' && b.checkpoint === number)?.message).toMatch(
        new RegExp(
          `^checkpoint ${number} is in the checkpoint bucket \\(checkpoints/${String(number).padStart(10, '0')}-[0-9a-f]{24}\\.json, signed, in the chain\\) but missing from the audit table`,
        ),
      );
    expect(report.lastCheckpoint?.number).toBe(4);
  });

  it.each([
    ['the newest checkpoint', [4], 4],
    ['the last two checkpoints', [3, 4], 3],
    ['one in the middle', [2], 2],
  ] as const)('%s, with a record only it covered rewritten and re-chained', async (_, deleted, rewritten) => {
    const { deleteCheckpoint, rewrite, verify, streams } = await fourCheckpoints();
    for (const number of deleted) await deleteCheckpoint(number);
    await rewrite(streams[1]!, rewritten);
    const breaks = (await verify()).breaks;
    for (const number of deleted) expect(found(breaks)).toContainEqual(['checkpoint_missing_from_table', number]);
    // Every record re-chained from the rewritten one on differs from what the checkpoints signed, the deleted ones first.
    expect(breaks.filter((b) => b.kind === 'checkpoint_leaf_mismatch').map((b) => [b.stream, b.seq, b.checkpoint, b.message])).toEqual(
      Array.from({ length: 5 - rewritten }, (_, offset) => {
        const seq = rewritten + offset;
        return [streams[1], seq, seq, `${streams[1]}/${seq} differs from the record checkpoint ${seq} signed`];
      }),
    );
  });

  it('`cli audit verify` reports them, with the window not yet anchored, in words and in JSON, and exits 1', async () => {
    const { env, deleteCheckpoint, rewrite, streams } = await fourCheckpoints();
    await deleteCheckpoint(4);
    await rewrite(streams[1]!, 4);
    const dir = mkdtempSync(path.join(tmpdir(), 'audit-verify-'));
    const publicKey = path.join(dir, 'audit-key.pem');
    writeFileSync(publicKey, await signer.publicKeyPem());
    // The operator's path on AWS: the deployment's variables (here the fresh tables'), no --local.
    const cliEnv = { ...env, S3_FORCE_PATH_STYLE: 'true', AUDIT_SIGNER_PRIVATE_KEY: LocalKeySigner.generatePem() };
    const human = await runCliAsync(['audit', 'verify', '--public-key', publicKey], { env: cliEnv });
    expect(human.status).toBe(1);
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^audit log: BROKEN \(2 breaks\): 15 records in 3 streams, 4 checkpoints, last #4 at \S+, root [0-9a-f]{16}… \(\d+ table items read\)$/,
    );
    expect(lines[1]).toMatch(/^ {2}not yet anchored: 3 records in 3 streams since \S+Z \(after checkpoint #4\)$/);
    // (Warnings follow: the fixture's checkpoints run with cutoffs ahead of the clock, so seq 5 looks late.)
    expect(lines.slice(2, 4)).toEqual([
      expect.stringMatching(/^ {2}break {4}checkpoint_missing_from_table: checkpoint 4 is in the checkpoint bucket \(checkpoints\/0000000004-/),
      `  break    checkpoint_leaf_mismatch: ${streams[1]}/4 differs from the record checkpoint 4 signed`,
    ]);
    const json = await runCliAsync(['audit', 'verify', '--public-key', publicKey, '--json'], { env: cliEnv });
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as VerifyReport;
    expect(report).toMatchObject({ ok: false, checkpoints: 4, unanchored: { records: 3, streams: 3, since: expect.any(String) } });
    expect(report.breaks.map((b) => [b.kind, b.checkpoint])).toEqual([
      ['checkpoint_missing_from_table', 4],
      ['checkpoint_leaf_mismatch', 4],
    ]);
  });

  it('after the checkpointer sealed the deleted number again over the rewritten record', async () => {
    const { deleteCheckpoint, deleteCoverage, rewrite, checkpoint, verify, streams } = await fourCheckpoints();
    await deleteCheckpoint(4);
    await deleteCoverage(4);
    await rewrite(streams[1]!, 4);
    expect(await checkpoint(5000)).toMatchObject({ status: 'checkpointed', header: { number: 4 } });
    const report = await verify();
    expect(found(report.breaks)).toEqual([['checkpoint_leaf_mismatch', 4]]);
    expect(report.breaks[0]).toMatchObject({ stream: streams[1], seq: 4, bodyKey: expect.stringMatching(/^checkpoints\/0000000004-/) });
    expect(report.warnings.map((w) => [w.kind, w.checkpoint])).toContainEqual(['checkpoint_unreferenced', 4]);
  });
});

describe('auditor queries and exports on DynamoDB Local', () => {
  it('pages through an investor, a wallet, a type and a time range, and refuses a cursor of another query', async () => {
    const { records, append } = await freshLog();
    const streams = [`investor#${ulid()}`, `investor#${ulid()}`];
    const started = new Date().toISOString();
    await append(streams, 5);
    const all = async (query: Parameters<typeof records.page>[0]) => {
      const found: AuditRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await records.page(query, 3, cursor);
        found.push(...page.records);
        cursor = page.cursor;
      } while (cursor);
      return found.map((r) => `${r.stream}/${r.seq}`).sort();
    };
    const seqs = (stream: string, n: number) => Array.from({ length: n }, (_, i) => `${stream}/${i + 1}`);
    expect(await all({ investorId: streams[0]!.split('#')[1] })).toEqual(seqs(streams[0]!, 5));
    expect(await all({ wallet: walletOf(streams[1]!) })).toEqual(seqs(streams[1]!, 5));
    expect(await all({ wallet: walletOf(streams[1]!), type: 'investor.registered' })).toEqual([`${streams[1]}/1`]);
    expect(await all({ stream: streams[0]!, type: 'screening.completed' })).toEqual(seqs(streams[0]!, 5).slice(1));
    expect(await all({ from: started })).toEqual([...seqs(streams[0]!, 5), ...seqs(streams[1]!, 5)].sort());
    const typed = await all({ type: 'investor.registered', from: started });
    expect(typed).toEqual([`${streams[0]}/1`, `${streams[1]}/1`].sort());

    const page = await records.page({ investorId: streams[0]!.split('#')[1] }, 2);
    await expect(records.page({ investorId: streams[1]!.split('#')[1] }, 2, page.cursor)).rejects.toBeInstanceOf(ValidationError);
    await expect(records.page({ investorId: 'x' }, 2, 'not-a-cursor')).rejects.toBeInstanceOf(ValidationError);
  });

  it('exports a range through a presigned S3 link with a manifest that verifies offline', async () => {
    const { env, records, bodies, checkpoint, append } = await freshLog();
    const streams = [`investor#${ulid()}`, `case#${ulid()}`];
    const started = new Date().toISOString();
    await append(streams, 3);
    expect((await checkpoint()).status).toBe('checkpointed');
    await append(streams, 1);

    const deps = {
      queries: records,
      records,
      coverage: records,
      bodies,
      signer,
      delivery: new S3ExportDelivery(s3Client(), env[BUCKETS.auditExports.envVar]!),
    };
    const result = await exportAudit(deps, { from: started }, { forceLink: true });
    if (result.delivery !== 'link') throw new Error('expected links');
    const [jsonl, manifest] = await Promise.all([
      fetch(result.exportUrl).then((r) => r.text()),
      fetch(result.manifestUrl).then((r) => r.json() as Promise<ExportManifest>),
    ]);
    expect(result.rowCount).toBe(8);

    const report = verifyExport(jsonl, manifest, await signer.publicKeyPem());
    expect(report).toMatchObject({ ok: true, records: 8, streams: 2, checkpoints: 1 });
    expect(manifest.payload.streams.map((s) => s.runs.map((run) => [run.from, run.to, run.proof?.seq]))).toEqual([[[1, 4, 3]], [[1, 4, 3]]]);
    expect(report.warnings.map((w) => [w.stream, w.seq])).toEqual(streams.sort().map((stream) => [stream, 4]));
    const inline = await buildExport(deps, { from: started });
    expect(inline.jsonl).toBe(jsonl);
  });
});
