import { AuditVerifier, sealCheckpoint, type AuditRecord, type CheckpointBody } from '../../../lambda/modules/audit';
import { hashOf } from '../../../lambda/modules/audit/record';
import { chains, checkpointsFor, testSigner } from '../../helpers/audit-fixtures';

const signer = testSigner();
let publicKey: string;
beforeAll(async () => {
  publicKey = await signer.publicKeyPem();
});

/** Three streams of 6 records; checkpoint 1 covers seq 1..3 of each, checkpoint 2 seq 4..5; seq 6 is not yet checkpointed. */
async function log() {
  const records = chains(3, 6);
  const { chain, bodies } = await checkpointsFor(signer, [records.filter((r) => r.seq <= 3), records.filter((r) => r.seq === 4 || r.seq === 5)]);
  return { records, chain, bodies };
}

function verify(records: readonly AuditRecord[], chain: readonly AuditRecord[], bodies: Map<string, CheckpointBody>, key = publicKey) {
  const verifier = new AuditVerifier(key);
  for (const record of [...records, ...chain].reverse()) verifier.addRecord(record);
  return verifier.finish(bodies);
}

const rehash = (record: AuditRecord): AuditRecord => ({ ...record, hash: hashOf(record) });
const at = (records: AuditRecord[], stream: string, seq: number) => records.findIndex((r) => r.stream === stream && r.seq === seq);

describe('AuditVerifier', () => {
  it('passes an untouched log, whatever order the records arrive in', async () => {
    const { records, chain, bodies } = await log();
    const report = verify(records, chain, bodies);
    expect(report).toMatchObject({ ok: true, records: 18, streams: 3, checkpoints: 2, breaks: [], warnings: [] });
    expect(report.lastCheckpoint?.number).toBe(2);
  });

  it('locates a modified record by its hash', async () => {
    const { records, chain, bodies } = await log();
    const index = at(records, 'investor#i1', 2);
    records[index] = { ...records[index]!, data: { wallets: ['0x0000000000000000000000000000000000000bad'] } };
    expect(verify(records, chain, bodies).breaks).toEqual([expect.objectContaining({ kind: 'hash_mismatch', stream: 'investor#i1', seq: 2 })]);
  });

  it('locates a modified record whose hash was recomputed: the next link and the checkpoint both disagree', async () => {
    const { records, chain, bodies } = await log();
    const index = at(records, 'investor#i1', 2);
    records[index] = rehash({ ...records[index]!, actor: 'someone-else' });
    const kinds = verify(records, chain, bodies).breaks.map(({ kind, stream, seq, checkpoint }) => ({ kind, stream, seq, checkpoint }));
    expect(kinds).toEqual([
      { kind: 'chain_broken', stream: 'investor#i1', seq: 3, checkpoint: undefined },
      { kind: 'checkpoint_leaf_mismatch', stream: 'investor#i1', seq: 2, checkpoint: 1 },
    ]);
  });

  it('locates a deleted record as a gap', async () => {
    const { records, chain, bodies } = await log();
    records.splice(at(records, 'investor#i0', 4), 1);
    expect(verify(records, chain, bodies).breaks).toEqual([expect.objectContaining({ kind: 'seq_gap', stream: 'investor#i0', seq: 4, toSeq: 4 })]);
  });

  it('detects reordered records: two records swapped between seq slots', async () => {
    const { records, chain, bodies } = await log();
    const [i, j] = [at(records, 'investor#i2', 2), at(records, 'investor#i2', 3)];
    const [second, third] = [records[i]!, records[j]!];
    records[i] = rehash({ ...third, seq: 2, prevHash: second.prevHash });
    records[j] = rehash({ ...second, seq: 3, prevHash: records[i]!.hash });
    const breaks = verify(records, chain, bodies).breaks;
    expect(breaks.map((b) => [b.kind, b.stream, b.seq])).toEqual([
      ['chain_broken', 'investor#i2', 4],
      ['checkpoint_leaf_mismatch', 'investor#i2', 2],
      ['checkpoint_leaf_mismatch', 'investor#i2', 3],
    ]);
  });

  it('detects a truncated tail that a checkpoint covered', async () => {
    const { records, chain, bodies } = await log();
    const kept = records.filter((r) => !(r.stream === 'investor#i1' && r.seq >= 4));
    expect(verify(kept, chain, bodies).breaks).toEqual([
      expect.objectContaining({ kind: 'truncated', stream: 'investor#i1', seq: 4, toSeq: 5, checkpoint: 2 }),
    ]);
  });

  it('detects a truncated tail not yet checkpointed through its idempotency marker', async () => {
    const { records, chain, bodies } = await log();
    const verifier = new AuditVerifier(publicKey);
    for (const record of [...records, ...chain]) if (!(record.stream === 'investor#i0' && record.seq === 6)) verifier.addRecord(record);
    verifier.addMarker('investor#i0:v6', 'investor#i0', 6);
    expect(verifier.finish(bodies).breaks).toEqual([expect.objectContaining({ kind: 'orphan_idempotency_key', stream: 'investor#i0', seq: 6 })]);
  });

  it('rejects a forged checkpoint signed with another key', async () => {
    const { records, chain, bodies } = await log();
    const forger = testSigner();
    const genuine = bodies.get('checkpoints/2.json')!;
    const forged = await sealCheckpoint(forger, {
      number: 2,
      cutoff: genuine.header.cutoff,
      previous: bodies.get('checkpoints/1.json')!.header,
      ranges: genuine.ranges.slice(1),
      createdAt: genuine.header.createdAt,
    });
    bodies.set('checkpoints/2.json', forged);
    chain[1] = rehash({ ...chain[1]!, data: { header: forged.header, signature: forged.signature, bodyKey: 'checkpoints/2.json' } });
    const breaks = verify(records, chain, bodies).breaks;
    expect(breaks.map((b) => [b.kind, b.checkpoint])).toEqual([['checkpoint_signature_invalid', 2]]);
  });

  it('detects a checkpoint body that differs from its signed header', async () => {
    const { records, chain, bodies } = await log();
    const body = bodies.get('checkpoints/1.json')!;
    bodies.set('checkpoints/1.json', { ...body, ranges: body.ranges.slice(1) });
    expect(verify(records, chain, bodies).breaks.map((b) => [b.kind, b.checkpoint])).toContainEqual(['checkpoint_body_mismatch', 1]);
  });

  it('warns about records older than the last checkpoint that no checkpoint covers, without calling it tampering', async () => {
    const records = chains(2, 3);
    const { chain, bodies } = await checkpointsFor(signer, [records.filter((r) => r.stream === 'investor#i0')]);
    const report = verify(records, chain, bodies);
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual([expect.objectContaining({ kind: 'uncovered', stream: 'investor#i1', seq: 1, toSeq: 2 })]);
  });

  it('reports a record that arrives twice, as a scan that read one slot twice would deliver it', async () => {
    const { records, chain, bodies } = await log();
    const verifier = new AuditVerifier(publicKey);
    for (const record of [...records, records[0]!, ...chain]) verifier.addRecord(record);
    expect(verifier.finish(bodies).breaks).toEqual([expect.objectContaining({ kind: 'duplicate_seq', stream: records[0]!.stream, seq: 1 })]);
  });
});
