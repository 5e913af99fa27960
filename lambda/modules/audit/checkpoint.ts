import { CHECKPOINT_STREAM, GENESIS_HASH, hashOf, isReservedStream, nextRecord, type AuditRecord } from './record';
import type { AuditStore, AuditRecords, CheckpointBodies, Coverage, CoverageIndex, AuditSigner } from './ports';
import { merkleRoot } from './merkle';
import { canonicalBytes, sha256Hex } from './signing';
import type { CheckpointBody, CheckpointEntry, CheckpointHeader, CheckpointRange, SignedCheckpoint } from './checkpoint-body';
import { InvariantError } from '../../shared';

export const CHECKPOINT_EVENT_TYPE = 'audit.checkpointed';

export function headerHash(header: CheckpointHeader): string {
  return sha256Hex(canonicalBytes(header));
}

/** Where checkpoint bodies live in the checkpoint bucket. */
export const CHECKPOINT_BODY_PREFIX = 'checkpoints/';

/**
 * A body's key: its number, then the digest of its signed header and signature. ECDSA signatures
 * differ each time, so two runs that race for one number write two keys and overwrite nothing.
 */
export function checkpointBodyKey(checkpoint: SignedCheckpoint): string {
  const digest = sha256Hex(canonicalBytes({ header: checkpoint.header, signature: checkpoint.signature }));
  return `${CHECKPOINT_BODY_PREFIX}${String(checkpoint.header.number).padStart(10, '0')}-${digest.slice(0, 24)}.json`;
}

export function leavesOf(ranges: readonly CheckpointRange[]): string[] {
  return ranges.flatMap((range) => range.hashes);
}

export function coverageOf(number: number, ranges: readonly CheckpointRange[]): Coverage[] {
  return ranges.map((range) => ({
    stream: range.stream,
    checkpoint: number,
    from: range.from,
    to: range.from + range.hashes.length - 1,
    toHash: range.hashes.at(-1)!,
  }));
}

export function checkpointEntryOf(record: AuditRecord): CheckpointEntry {
  const entry = record.data as Partial<CheckpointEntry>;
  if (record.type !== CHECKPOINT_EVENT_TYPE || !entry.header || typeof entry.signature !== 'string' || typeof entry.bodyKey !== 'string') {
    throw new InvariantError(`record ${record.stream}/${record.seq} is not a checkpoint`);
  }
  return entry as CheckpointEntry;
}

export interface CheckpointDeps {
  readonly store: AuditStore;
  readonly records: AuditRecords;
  readonly coverage: CoverageIndex;
  readonly bodies: CheckpointBodies;
  readonly signer: AuditSigner;
  readonly actor: string;
  /** How long after its time a record is assumed to have landed (see docs/ARCHITECTURE.md, Audit). */
  readonly settleMs?: number;
  readonly now?: () => Date;
}

export const DEFAULT_SETTLE_MS = 5 * 60_000;

export type CheckpointResult =
  | { readonly status: 'checkpointed'; readonly header: CheckpointHeader; readonly bodyKey: string; readonly breaks: readonly ChainStop[] }
  | { readonly status: 'nothing_new' | 'superseded'; readonly breaks: readonly ChainStop[] };

/** A stream whose chain does not continue where the last checkpoint left it: covered up to the break. */
export interface ChainStop {
  readonly stream: string;
  readonly seq: number;
  readonly problem: 'seq_gap' | 'chain_broken' | 'hash_mismatch';
}

/**
 * Computes, signs and stores the next checkpoint. Which records it covers is decided by sequence,
 * not by time: for each stream, the records after the last covered seq whose time is at most the
 * cutoff (now minus the settle delay), as far as the chain continues unbroken. Time only picks the
 * candidate streams, with a look-back of one settle delay before the previous cutoff, so a record
 * that lands late is still covered, by the next checkpoint, and never twice.
 *
 * Order of writes: body (write-once, keyed by its header hash), then the chain record (conditional
 * on the checkpoint number: a concurrent run loses and leaves only an unreferenced body), then the
 * coverage index, repaired on the next run if this one stops half way.
 */
export async function runCheckpoint(deps: CheckpointDeps): Promise<CheckpointResult> {
  const now = (deps.now ?? (() => new Date()))();
  const settleMs = deps.settleMs ?? DEFAULT_SETTLE_MS;
  const head = await deps.store.head(CHECKPOINT_STREAM);
  const previous = head ? checkpointEntryOf(head) : undefined;
  if (previous) await completeCoverage(deps, previous);

  const cutoff = new Date(now.getTime() - settleMs).toISOString();
  if (previous && cutoff <= previous.header.cutoff) return { status: 'nothing_new', breaks: [] };
  const lookBack = previous ? new Date(Date.parse(previous.header.cutoff) - settleMs).toISOString() : '';
  const streams = (await deps.records.streamsWithRecordsBetween(lookBack, cutoff)).filter((stream) => !isReservedStream(stream)).sort();

  const ranges: CheckpointRange[] = [];
  const breaks: ChainStop[] = [];
  const pending = streams.map((stream) => () => nextRange(deps, stream, cutoff));
  // A few streams at a time: each needs two reads, and a busy quarter hour touches thousands of streams.
  for (let index = 0; index < pending.length; index += STREAMS_IN_FLIGHT) {
    for (const { range, stop } of await Promise.all(pending.slice(index, index + STREAMS_IN_FLIGHT).map((read) => read()))) {
      if (range) ranges.push(range);
      if (stop) breaks.push(stop);
    }
  }
  if (ranges.length === 0) return { status: 'nothing_new', breaks };

  const signed = await sealCheckpoint(deps.signer, {
    number: (previous?.header.number ?? 0) + 1,
    cutoff,
    previous: previous?.header,
    ranges,
    createdAt: now.toISOString(),
  });
  const { header, signature } = signed;
  const number = header.number;
  const bodyKey = await deps.bodies.put(signed);
  const entry: CheckpointEntry = { header, signature, bodyKey };
  const record = nextRecord(
    { stream: CHECKPOINT_STREAM, type: CHECKPOINT_EVENT_TYPE, actor: deps.actor, data: { ...entry }, idempotencyKey: `${CHECKPOINT_STREAM}:${number}` },
    head,
    now.toISOString(),
  );
  if ((await deps.store.insert(record)) !== 'inserted') return { status: 'superseded', breaks };
  await deps.coverage.record(number, coverageOf(number, ranges));
  return { status: 'checkpointed', header, bodyKey, breaks };
}

const STREAMS_IN_FLIGHT = 16;

/** The stream's records after its last covered seq, up to the cutoff, as far as its chain continues unbroken. */
async function nextRange(deps: CheckpointDeps, stream: string, cutoff: string): Promise<{ range?: CheckpointRange; stop?: ChainStop }> {
  const last = await deps.coverage.last(stream);
  const from = (last?.to ?? 0) + 1;
  const prevHash = last?.toHash ?? GENESIS_HASH;
  const hashes: string[] = [];
  let linked = prevHash;
  let stop: ChainStop | undefined;
  for (const record of await deps.records.recordsAfter(stream, from - 1)) {
    if (record.at > cutoff) break;
    const problem =
      record.seq !== from + hashes.length
        ? 'seq_gap'
        : record.prevHash !== linked
          ? 'chain_broken'
          : hashOf(record) !== record.hash
            ? 'hash_mismatch'
            : undefined;
    if (problem) {
      stop = { stream, seq: from + hashes.length, problem };
      break;
    }
    hashes.push(record.hash);
    linked = record.hash;
  }
  return { range: hashes.length > 0 ? { stream, from, prevHash, hashes } : undefined, stop };
}

/** Builds and signs a checkpoint over `ranges`, linked to the previous checkpoint's header. */
export async function sealCheckpoint(
  signer: AuditSigner,
  input: { number: number; cutoff: string; previous: CheckpointHeader | undefined; ranges: readonly CheckpointRange[]; createdAt: string },
): Promise<CheckpointBody> {
  const leaves = leavesOf(input.ranges);
  const header: CheckpointHeader = {
    version: 1,
    number: input.number,
    cutoff: input.cutoff,
    previous: input.previous ? { number: input.previous.number, headerHash: headerHash(input.previous) } : null,
    root: merkleRoot(leaves),
    leafCount: leaves.length,
    streamCount: input.ranges.length,
    rangesSha256: sha256Hex(canonicalBytes(input.ranges)),
    keyId: await signer.keyId(),
    createdAt: input.createdAt,
  };
  return { header, signature: await signer.sign(canonicalBytes(header)), ranges: input.ranges };
}

async function completeCoverage(deps: CheckpointDeps, entry: CheckpointEntry): Promise<void> {
  if (await deps.coverage.isComplete(entry.header.number)) return;
  const body = await deps.bodies.get(entry.bodyKey);
  if (!body) throw new InvariantError(`checkpoint ${entry.header.number}'s body ${entry.bodyKey} is missing; run \`cli audit verify\``);
  await deps.coverage.record(entry.header.number, coverageOf(entry.header.number, body.ranges));
}
