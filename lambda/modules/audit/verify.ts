import { CHECKPOINT_STREAM, GENESIS_HASH, hashOf, isReservedStream, type AuditRecord } from './record';
import { checkpointEntryOf, headerHash, leavesOf } from './checkpoint';
import type { CheckpointBody, CheckpointEntry } from './checkpoint-body';
import { merkleRoot } from './merkle';
import { canonicalBytes, sha256Hex, verifySignature } from './signing';

/** What a verification found wrong, located as precisely as the evidence allows. Codes are stable. */
export type BreakKind =
  | 'hash_mismatch'
  | 'chain_broken'
  | 'seq_gap'
  | 'truncated'
  | 'duplicate_seq'
  | 'orphan_idempotency_key'
  | 'checkpoint_not_a_checkpoint'
  | 'checkpoint_signature_invalid'
  | 'checkpoint_chain_broken'
  | 'checkpoint_body_missing'
  | 'checkpoint_body_mismatch'
  | 'checkpoint_root_mismatch'
  | 'checkpoint_leaf_mismatch'
  | 'checkpoint_coverage_gap'
  | 'uncovered'
  | 'manifest_signature_invalid'
  | 'export_digest_mismatch'
  | 'export_row_count_mismatch'
  | 'export_not_json'
  | 'out_of_order'
  | 'missing_record'
  | 'unexpected_record'
  | 'inclusion_proof_invalid';

export interface Break {
  readonly kind: BreakKind;
  readonly message: string;
  readonly stream?: string;
  readonly seq?: number;
  /** Last seq of a range (gaps, truncations). */
  readonly toSeq?: number;
  readonly checkpoint?: number;
  /** 1-based line of an export file. */
  readonly line?: number;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly records: number;
  readonly streams: number;
  readonly checkpoints: number;
  readonly lastCheckpoint?: { readonly number: number; readonly cutoff: string; readonly root: string };
  readonly breaks: readonly Break[];
  /** Not tampering, but worth a look: records older than the last checkpoint that no checkpoint covers. */
  readonly warnings: readonly Break[];
}

/** Per stream, what verification keeps of each record: enough to check links and checkpoints. */
interface Entry {
  readonly seq: number;
  readonly hash: string;
  readonly prevHash: string;
  readonly at: string;
}

/**
 * Recomputes hash chains and checkpoints. Records may arrive in any order (a table scan); each is
 * hashed as it arrives and only its hashes are kept, so memory is about 200 bytes a record.
 * `finish` checks each stream's chain, then the checkpoint chain: signatures, links, bodies, Merkle
 * roots, and that the checkpoints cover each stream contiguously from seq 1.
 */
export class AuditVerifier {
  private readonly streams = new Map<string, Entry[]>();
  private readonly checkpointRecords: AuditRecord[] = [];
  private readonly markers: { key: string; stream: string; seq: number }[] = [];
  private readonly breaks: Break[] = [];
  private records = 0;

  constructor(
    private readonly publicKeyPem: string,
    /** Verify one stream (and every checkpoint's part of it) instead of the whole log. */
    private readonly onlyStream?: string,
  ) {}

  addRecord(record: AuditRecord): void {
    if (this.onlyStream && record.stream !== this.onlyStream && record.stream !== CHECKPOINT_STREAM) return;
    if (record.stream !== CHECKPOINT_STREAM) this.records++;
    if (hashOf(record) !== record.hash)
      this.breaks.push({
        kind: 'hash_mismatch',
        stream: record.stream,
        seq: record.seq,
        message: `record ${record.stream}/${record.seq} does not match its hash: its content was changed`,
      });
    let entries = this.streams.get(record.stream);
    if (!entries) this.streams.set(record.stream, (entries = []));
    entries.push({ seq: record.seq, hash: record.hash, prevHash: record.prevHash, at: record.at });
    if (record.stream === CHECKPOINT_STREAM) this.checkpointRecords.push(record);
  }

  /** An idempotency key's marker: the record it names must exist. */
  addMarker(key: string, stream: string, seq: number): void {
    if (!this.onlyStream || stream === this.onlyStream) this.markers.push({ key, stream, seq });
  }

  /** The checkpoint bodies `finish` needs. */
  checkpointBodyKeys(): string[] {
    return this.checkpointRecords.flatMap((record) => {
      try {
        return [checkpointEntryOf(record).bodyKey];
      } catch {
        return [];
      }
    });
  }

  /** `bodies` by key, as fetched from the checkpoint bucket (missing ones absent). */
  finish(bodies: ReadonlyMap<string, CheckpointBody>): VerifyReport {
    const byStream = new Map<string, Map<number, Entry>>();
    for (const [stream, entries] of this.streams) {
      entries.sort((a, b) => a.seq - b.seq);
      this.checkChain(stream, entries);
      byStream.set(stream, new Map(entries.map((entry) => [entry.seq, entry])));
    }
    for (const marker of this.markers) {
      if (!byStream.get(marker.stream)?.has(marker.seq)) {
        this.breaks.push({
          kind: 'orphan_idempotency_key',
          stream: marker.stream,
          seq: marker.seq,
          message: `idempotency key ${marker.key} names record ${marker.stream}/${marker.seq}, which is missing: it was deleted`,
        });
      }
    }
    const covered = this.checkCheckpoints(bodies, byStream);
    const warnings = this.uncovered(covered.lastCutoff, covered.coveredTo);
    const streams = [...this.streams.keys()].filter((stream) => !isReservedStream(stream)).length;
    return {
      ok: this.breaks.length === 0,
      records: this.records,
      streams,
      checkpoints: covered.count,
      lastCheckpoint: covered.last,
      breaks: this.breaks,
      warnings,
    };
  }

  private checkChain(stream: string, entries: readonly Entry[]): void {
    let expected = 1;
    let previous: Entry | undefined;
    for (const entry of entries) {
      if (previous && entry.seq === previous.seq) {
        this.breaks.push({ kind: 'duplicate_seq', stream, seq: entry.seq, message: `${stream} has two records with seq ${entry.seq}` });
        continue;
      }
      if (entry.seq > expected) {
        this.breaks.push({
          kind: 'seq_gap',
          stream,
          seq: expected,
          toSeq: entry.seq - 1,
          message: `${stream} is missing records ${expected}..${entry.seq - 1}: deleted`,
        });
      } else if (entry.prevHash !== (previous?.hash ?? GENESIS_HASH)) {
        this.breaks.push({
          kind: 'chain_broken',
          stream,
          seq: entry.seq,
          message: `${stream}/${entry.seq} does not link to the record before it: a record was replaced or reordered`,
        });
      }
      expected = entry.seq + 1;
      previous = entry;
    }
  }

  private checkCheckpoints(bodies: ReadonlyMap<string, CheckpointBody>, byStream: ReadonlyMap<string, ReadonlyMap<number, Entry>>) {
    const coveredTo = new Map<string, number>();
    const records = [...this.checkpointRecords].sort((a, b) => a.seq - b.seq);
    let previous: CheckpointEntry | undefined;
    let last: VerifyReport['lastCheckpoint'];
    for (const record of records) {
      let entry: CheckpointEntry;
      try {
        entry = checkpointEntryOf(record);
      } catch {
        this.breaks.push({ kind: 'checkpoint_not_a_checkpoint', seq: record.seq, message: `checkpoint chain record ${record.seq} is not a checkpoint` });
        continue;
      }
      const { header, signature } = entry;
      const number = header.number;
      const at = { checkpoint: number };
      if (!verifySignature(this.publicKeyPem, canonicalBytes(header), signature)) {
        this.breaks.push({
          kind: 'checkpoint_signature_invalid',
          ...at,
          message: `checkpoint ${number}'s signature does not verify with the audit public key: forged or altered`,
        });
      }
      const expectedPrevious = previous ? { number: previous.header.number, headerHash: headerHash(previous.header) } : null;
      if (number !== record.seq || JSON.stringify(header.previous) !== JSON.stringify(expectedPrevious)) {
        this.breaks.push({
          kind: 'checkpoint_chain_broken',
          ...at,
          message: `checkpoint ${number} does not link to checkpoint ${previous?.header.number ?? '(none)'}`,
        });
      }
      previous = entry;
      last = { number, cutoff: header.cutoff, root: header.root };
      const body = bodies.get(entry.bodyKey);
      if (!body) {
        this.breaks.push({
          kind: 'checkpoint_body_missing',
          ...at,
          message: `checkpoint ${number}'s body ${entry.bodyKey} is missing from the checkpoint bucket`,
        });
        continue;
      }
      if (headerHash(body.header) !== headerHash(header) || body.signature !== signature || sha256Hex(canonicalBytes(body.ranges)) !== header.rangesSha256) {
        this.breaks.push({ kind: 'checkpoint_body_mismatch', ...at, message: `checkpoint ${number}'s body differs from its signed header` });
        continue;
      }
      const leaves = leavesOf(body.ranges);
      if (leaves.length !== header.leafCount || rootOrUndefined(leaves) !== header.root) {
        this.breaks.push({ kind: 'checkpoint_root_mismatch', ...at, message: `checkpoint ${number}'s Merkle root does not match its records` });
      }
      for (const range of body.ranges) {
        if (this.onlyStream && range.stream !== this.onlyStream) continue;
        this.checkRange(number, range, byStream.get(range.stream), coveredTo);
      }
    }
    return { count: records.length, last, lastCutoff: previous?.header.cutoff, coveredTo };
  }

  private checkRange(
    checkpoint: number,
    range: CheckpointBody['ranges'][number],
    entries: ReadonlyMap<number, Entry> | undefined,
    coveredTo: Map<string, number>,
  ): void {
    const { stream, from } = range;
    const to = from + range.hashes.length - 1;
    const start = (coveredTo.get(stream) ?? 0) + 1;
    if (from !== start) {
      this.breaks.push({
        kind: 'checkpoint_coverage_gap',
        stream,
        seq: Math.min(from, start),
        toSeq: Math.max(from, start) - 1,
        checkpoint,
        message: `checkpoint ${checkpoint} covers ${stream} from ${from}, but the previous checkpoints end at ${start - 1}`,
      });
    }
    coveredTo.set(stream, Math.max(to, start - 1));
    const maxSeq = entries?.size ? this.streams.get(stream)!.at(-1)!.seq : 0;
    if (to > maxSeq) {
      const missingFrom = Math.max(from, maxSeq + 1);
      this.breaks.push({
        kind: 'truncated',
        stream,
        seq: missingFrom,
        toSeq: to,
        checkpoint,
        message: `${stream} ends at ${maxSeq}, but checkpoint ${checkpoint} covers it up to ${to}: records ${missingFrom}..${to} were deleted`,
      });
    }
    range.hashes.forEach((hash, offset) => {
      const entry = entries?.get(from + offset);
      if (entry && entry.hash !== hash) {
        this.breaks.push({
          kind: 'checkpoint_leaf_mismatch',
          stream,
          seq: entry.seq,
          checkpoint,
          message: `${stream}/${entry.seq} differs from the record checkpoint ${checkpoint} signed`,
        });
      }
    });
  }

  private uncovered(lastCutoff: string | undefined, coveredTo: ReadonlyMap<string, number>): Break[] {
    if (!lastCutoff) return [];
    const warnings: Break[] = [];
    for (const [stream, entries] of this.streams) {
      if (isReservedStream(stream)) continue;
      const after = coveredTo.get(stream) ?? 0;
      const old = entries.filter((entry) => entry.seq > after && entry.at <= lastCutoff);
      if (old.length > 0) {
        warnings.push({
          kind: 'uncovered',
          stream,
          seq: old[0]!.seq,
          toSeq: old.at(-1)!.seq,
          message: `${stream} ${old[0]!.seq}..${old.at(-1)!.seq} are older than the last checkpoint but not covered yet (landed late; the next checkpoint covers them)`,
        });
      }
    }
    return warnings;
  }
}

function rootOrUndefined(leaves: readonly string[]): string | undefined {
  try {
    return merkleRoot(leaves);
  } catch {
    return undefined;
  }
}
