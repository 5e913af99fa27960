import { AuditLog, runCheckpoint, sealCheckpoint, type AuditRecord } from '../../../lambda/modules/audit';
import { checkpointEntryOf, headerHash } from '../../../lambda/modules/audit/checkpoint';
import { CHECKPOINT_STREAM, hashOf } from '../../../lambda/modules/audit/record';
import { canonicalBytes, verifySignature } from '../../../lambda/modules/audit/signing';
import { merkleRoot } from '../../../lambda/modules/audit/merkle';
import type { CoverageIndex } from '../../../lambda/modules/audit/ports';
import { InvariantError } from '../../../lambda/shared';
import { at, fakeTrail } from '../../helpers/audit-fixtures';

const SETTLE_MS = 60_000;
const trail = () => fakeTrail(SETTLE_MS);

const sealed = (result: Awaited<ReturnType<typeof runCheckpoint>>) => {
  if (result.status !== 'checkpointed') throw new Error(`expected a checkpoint, got ${result.status}`);
  return result;
};

describe('runCheckpoint', () => {
  it('seals every record up to the cutoff, stream by stream, signs the header and stores body, chain record and coverage', async () => {
    const { append, checkpoint, bodies, coverage, store, signer } = trail();
    const a = [await append('investor#a', 1), await append('investor#a', 2)];
    const b = [await append('investor#b', 3)];
    await append('investor#a', 101); // after the cutoff (160 s - settle): not yet due

    const result = sealed(await checkpoint(160));
    expect(result.header).toMatchObject({ version: 1, number: 1, previous: null, leafCount: 3, streamCount: 2, cutoff: at(100).toISOString() });
    expect(result.header.root).toBe(merkleRoot([...a, ...b].map((record) => record.hash)));
    expect(result.breaks).toEqual([]);
    expect(verifySignature(await signer.publicKeyPem(), canonicalBytes(result.header), (await bodies.get(result.bodyKey))!.signature)).toBe(true);

    const body = (await bodies.get(result.bodyKey))!;
    expect(body.ranges).toEqual([
      { stream: 'investor#a', from: 1, prevHash: a[0]!.prevHash, hashes: a.map((record) => record.hash) },
      { stream: 'investor#b', from: 1, prevHash: b[0]!.prevHash, hashes: [b[0]!.hash] },
    ]);
    const entry = checkpointEntryOf(store.records(CHECKPOINT_STREAM)[0]!);
    expect(entry).toEqual({ header: result.header, signature: body.signature, bodyKey: result.bodyKey });
    expect(store.records(CHECKPOINT_STREAM)[0]).toMatchObject({ seq: 1, idempotencyKey: `${CHECKPOINT_STREAM}:1`, actor: 'system:audit-checkpoint' });
    expect(await coverage.all('investor#a')).toEqual([{ stream: 'investor#a', checkpoint: 1, from: 1, to: 2, toHash: a[1]!.hash }]);
    expect(await coverage.isComplete(1)).toBe(true);
  });

  it('links each checkpoint to the previous header and covers each record once, a late one by the next checkpoint', async () => {
    const { append, checkpoint, bodies, coverage, store, checkpointDeps } = trail();
    await append('investor#a', 1);
    const first = sealed(await checkpoint(70));
    expect(await checkpoint(70)).toEqual({ status: 'nothing_new', breaks: [] });
    expect(await checkpoint(75)).toEqual({ status: 'nothing_new', breaks: [] });

    await append('investor#a', 20);
    // A writer that stalled: its record carries a time before the first cutoff but lands after it.
    const late = (await new AuditLog(store, () => at(5)).append({ stream: 'investor#late', type: 'investor.registered', actor: 'system:slow', data: {} }))!;
    const second = sealed(await checkpoint(200));
    expect(second.header.previous).toEqual({ number: 1, headerHash: headerHash(first.header) });
    expect((await bodies.get(second.bodyKey))!.ranges.map((range) => [range.stream, range.from, range.hashes.length])).toEqual([
      ['investor#a', 2, 1],
      ['investor#late', 1, 1],
    ]);
    expect((await coverage.all('investor#late')).map((item) => item.toHash)).toEqual([late.hash]);
    // The checkpoint chain is not a stream checkpoints cover.
    expect((await bodies.get(second.bodyKey))!.ranges.some((range) => range.stream === CHECKPOINT_STREAM)).toBe(false);
    expect(await runCheckpoint({ ...checkpointDeps, now: () => at(300) })).toEqual({ status: 'nothing_new', breaks: [] });
  });

  it('covers a stream up to where its chain stops and names the stop: a gap, a broken link, a changed record', async () => {
    const { append, checkpoint, bodies, store } = trail();
    for (const stream of ['investor#gap', 'investor#link', 'investor#hash']) for (let i = 1; i <= 3; i++) await append(stream, i);
    store.remove('investor#gap', 2);
    const link = store.records('investor#link')[1]!;
    store.overwrite(rehash({ ...link, prevHash: 'f'.repeat(64) }));
    store.overwrite({ ...store.records('investor#hash')[2]!, actor: 'officer:mallory' });

    const result = sealed(await checkpoint(100));
    expect(result.breaks).toEqual([
      { stream: 'investor#gap', seq: 2, problem: 'seq_gap' },
      { stream: 'investor#hash', seq: 3, problem: 'hash_mismatch' },
      { stream: 'investor#link', seq: 2, problem: 'chain_broken' },
    ]);
    expect((await bodies.get(result.bodyKey))!.ranges.map((range) => [range.stream, range.hashes.length])).toEqual([
      ['investor#gap', 1],
      ['investor#hash', 2],
      ['investor#link', 1],
    ]);
  });

  it('seals nothing when every due stream is broken from its first record, and says where', async () => {
    const { append, checkpoint, store, bodies } = trail();
    await append('investor#a', 1);
    store.overwrite({ ...store.records('investor#a')[0]!, data: { seconds: 99 } });
    expect(await checkpoint(100)).toEqual({ status: 'nothing_new', breaks: [{ stream: 'investor#a', seq: 1, problem: 'hash_mismatch' }] });
    expect(bodies.size).toBe(0);
  });

  it('lets one of two concurrent runs win; the other leaves only an unreferenced body', async () => {
    const { append, checkpoint, bodies, store } = trail();
    await append('investor#a', 1);
    const results = await Promise.all([checkpoint(100), checkpoint(100)]);
    expect(results.map((result) => result.status).sort()).toEqual(['checkpointed', 'superseded']);
    expect(store.records(CHECKPOINT_STREAM)).toHaveLength(1);
    expect(bodies.size).toBe(2);
  });

  it("completes the coverage index of a run that stopped after claiming its number, from the checkpoint's body", async () => {
    const { append, checkpoint, checkpointDeps, coverage } = trail();
    await append('investor#a', 1);
    const stopped = await runCheckpoint({ ...checkpointDeps, coverage: neverRecording(coverage), now: () => at(100) });
    expect(stopped.status).toBe('checkpointed');
    expect(await coverage.isComplete(1)).toBe(false);

    await append('investor#a', 50);
    expect(sealed(await checkpoint(200)).header).toMatchObject({ number: 2, leafCount: 1 });
    expect((await coverage.all('investor#a')).map((item) => [item.checkpoint, item.from, item.to])).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
  });

  it('stops, naming the command to run, when the body of a checkpoint to complete is missing', async () => {
    const { append, checkpointDeps, coverage } = trail();
    await append('investor#a', 1);
    await runCheckpoint({ ...checkpointDeps, coverage: neverRecording(coverage), now: () => at(100) });
    const run = runCheckpoint({
      ...checkpointDeps,
      bodies: { put: (body) => checkpointDeps.bodies.put(body), get: async () => undefined },
      now: () => at(200),
    });
    await expect(run).rejects.toThrow(InvariantError);
    await expect(run).rejects.toThrow(/checkpoint 1's body .* is missing; run `cli audit verify`/);
  });

  it('refuses a checkpoint chain whose head is not a checkpoint', async () => {
    const { store, checkpoint } = trail();
    await store.insert(nextRecordOf({ stream: CHECKPOINT_STREAM, type: 'investor.updated', actor: 'mallory', data: {} }));
    await expect(checkpoint(100)).rejects.toThrow(`record ${CHECKPOINT_STREAM}/1 is not a checkpoint`);
  });

  it('seals with a header that names the previous checkpoint by number and header hash', async () => {
    const { signer } = trail();
    const ranges = [{ stream: 'investor#a', from: 1, prevHash: '0'.repeat(64), hashes: ['a'.repeat(64)] }];
    const first = await sealCheckpoint(signer, { number: 1, cutoff: at(0).toISOString(), previous: undefined, ranges, createdAt: at(1).toISOString() });
    const second = await sealCheckpoint(signer, { number: 2, cutoff: at(10).toISOString(), previous: first.header, ranges, createdAt: at(11).toISOString() });
    expect(second.header.previous).toEqual({ number: 1, headerHash: headerHash(first.header) });
    expect(second.header.keyId).toBe(await signer.keyId());
    expect(verifySignature(await signer.publicKeyPem(), canonicalBytes(second.header), second.signature)).toBe(true);
  });
});

/** The coverage index of a run that stops right after claiming its number: nothing is recorded. */
function neverRecording(coverage: CoverageIndex): CoverageIndex {
  return {
    last: (stream) => coverage.last(stream),
    all: (stream) => coverage.all(stream),
    isComplete: (number) => coverage.isComplete(number),
    record: async () => undefined,
  };
}

function rehash(record: AuditRecord): AuditRecord {
  return { ...record, hash: hashOf(record) };
}

function nextRecordOf(event: Pick<AuditRecord, 'stream' | 'type' | 'actor' | 'data'>): AuditRecord {
  return rehash({ ...event, seq: 1, at: at(0).toISOString(), prevHash: '0'.repeat(64), hash: '' });
}
