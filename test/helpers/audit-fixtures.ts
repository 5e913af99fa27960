import { LocalKeySigner } from '../../lambda/modules/audit/adapters';
import { inMemoryAuditTrail } from '../../lambda/modules/audit/fakes';
import { GENESIS_HASH, nextRecord, sealCheckpoint, type AuditRecord, type CheckpointBody, type CheckpointRange } from '../../lambda/modules/audit';

/** Hash-chained records for `streams` streams, `perStream` each, times one second apart. */
export function chains(streams: number, perStream: number, start = Date.parse('2026-01-01T00:00:00.000Z')): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let s = 0; s < streams; s++) {
    let previous: AuditRecord | undefined;
    for (let i = 0; i < perStream; i++) {
      const wallet = `0x${(s + 1).toString(16).padStart(40, '0')}`;
      previous = nextRecord(
        {
          stream: `investor#i${s}`,
          type: i === 0 ? 'investor.registered' : 'screening.completed',
          actor: 'system:test',
          investorId: `i${s}`,
          data: { wallets: [wallet], index: i },
        },
        previous,
        new Date(start + (i * streams + s) * 1000).toISOString(),
      );
      records.push(previous);
    }
  }
  return records;
}

/** Checkpoint ranges covering `records` (grouped by stream, in stream order), after `coveredTo` per stream. */
export function rangesOf(records: readonly AuditRecord[], coveredTo: Map<string, AuditRecord> = new Map()): CheckpointRange[] {
  const byStream = new Map<string, AuditRecord[]>();
  for (const record of records) byStream.set(record.stream, [...(byStream.get(record.stream) ?? []), record]);
  return [...byStream.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([stream, own]) => {
      own.sort((a, b) => a.seq - b.seq);
      const range = { stream, from: own[0]!.seq, prevHash: coveredTo.get(stream)?.hash ?? GENESIS_HASH, hashes: own.map((record) => record.hash) };
      coveredTo.set(stream, own.at(-1)!);
      return range;
    });
}

export const testSigner = () => new LocalKeySigner(LocalKeySigner.generatePem());

/** Seals consecutive checkpoints, one per batch of records; returns their chain records and bodies. */
export async function checkpointsFor(
  signer: LocalKeySigner,
  batches: readonly (readonly AuditRecord[])[],
): Promise<{ chain: AuditRecord[]; bodies: Map<string, CheckpointBody> }> {
  const coveredTo = new Map<string, AuditRecord>();
  const chain: AuditRecord[] = [];
  const bodies = new Map<string, CheckpointBody>();
  let previous: CheckpointBody | undefined;
  for (const [index, batch] of batches.entries()) {
    const cutoff = batch.reduce((max, record) => (record.at > max ? record.at : max), '');
    const body = await sealCheckpoint(signer, { number: index + 1, cutoff, previous: previous?.header, ranges: rangesOf(batch, coveredTo), createdAt: cutoff });
    const bodyKey = `checkpoints/${index + 1}.json`;
    bodies.set(bodyKey, body);
    chain.push(
      nextRecord(
        { stream: 'audit#checkpoints', type: 'audit.checkpointed', actor: 'system:test', data: { header: body.header, signature: body.signature, bodyKey } },
        chain.at(-1),
        cutoff,
      ),
    );
    previous = body;
  }
  return { chain, bodies };
}

const T0 = Date.parse('2026-03-02T10:00:00.000Z');
/** A time `seconds` after a fixed start. */
export const at = (seconds: number) => new Date(T0 + seconds * 1000);

/** An in-memory audit trail whose writers' clock the test sets: `append` at a time, `checkpoint` run at a time (cutoff one settle delay earlier). */
export function fakeTrail(settleMs = 0) {
  let clock = at(0);
  const fakes = inMemoryAuditTrail({ settleMs, now: () => clock });
  const append = async (stream: string, seconds: number, type = 'investor.updated') => {
    clock = at(seconds);
    const record = await fakes.audit.append({ stream, type, actor: 'system:test', data: { seconds }, idempotencyKey: `${stream}:${seconds}` });
    if (!record) throw new Error(`${stream} at ${seconds} s was appended before`);
    return record;
  };
  const checkpoint = (seconds: number) => fakes.checkpoint(at(seconds));
  return { ...fakes, append, checkpoint };
}
