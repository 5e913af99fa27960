import { CHECKPOINT_STREAM, GENESIS_HASH, hashOf, isReservedStream, type AuditRecord } from './record';
import { checkpointEntryOf, headerHash, leavesOf } from './checkpoint';
import type { CheckpointBody, CheckpointEntry, CheckpointHeader, CheckpointRange } from './checkpoint-body';
import { merkleRoot } from './merkle';
import type { Break, Unanchored, VerifyReport } from './report';
import { isCheckpointBody, signedChain, storedCheckpoint, type StoredCheckpoint } from './signed-chain';
import { canonicalBytes, sha256Hex, verifySignature } from './signing';

export type { Break, BreakKind, Unanchored, VerifyReport } from './report';

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
 * `finish` checks each stream's chain, then the checkpoints. Which checkpoints exist is taken from
 * the checkpoint bucket, not from the table: its signed chain (each header names the previous one)
 * is walked from the newest body down to #1, and every checkpoint on it must be in the table's
 * checkpoint chain and every one of the table's in the bucket. Each body's records are checked
 * against the stored ones (Merkle root, each covered hash), and the chain's bodies must cover each
 * stream contiguously from seq 1.
 */
export class AuditVerifier {
  private readonly streams = new Map<string, Entry[]>();
  private readonly checkpointRecords: AuditRecord[] = [];
  private readonly markers: { key: string; stream: string; seq: number }[] = [];
  private readonly breaks: Break[] = [];
  private readonly warnings: Break[] = [];
  private readonly signatures = new Map<string, boolean>();
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

  /**
   * A checkpoint chain record read again after the scan: a run stores its body, then this record, and a scan is no
   * snapshot, so the record of a run that was between the two may have landed where the scan had passed. Kept only
   * when the scan did not see it.
   */
  addLateCheckpoint(record: AuditRecord): void {
    if (record.stream !== CHECKPOINT_STREAM || this.checkpointRecords.some((seen) => seen.seq === record.seq)) return;
    this.addRecord(record);
  }

  /** An idempotency key's marker: the record it names must exist. */
  addMarker(key: string, stream: string, seq: number): void {
    if (!this.onlyStream || stream === this.onlyStream) this.markers.push({ key, stream, seq });
  }

  /** The checkpoint bodies the table's checkpoint chain names. */
  checkpointBodyKeys(): string[] {
    return this.checkpointRecords.flatMap((record) => {
      try {
        return [checkpointEntryOf(record).bodyKey];
      } catch {
        return [];
      }
    });
  }

  /** `bodies`: every object of the checkpoint bucket, by key, and any other body the table names (missing ones absent). */
  finish(bodies: ReadonlyMap<string, CheckpointBody>): VerifyReport {
    const byStream = new Map<string, Map<number, Entry>>();
    for (const [stream, entries] of this.streams) {
      entries.sort((a, b) => a.seq - b.seq);
      this.checkChain(stream, entries);
      byStream.set(stream, new Map(entries.map((entry) => [entry.seq, entry])));
    }
    this.checkMarkers(byStream);
    const table = this.tableCheckpoints(bodies);
    const signed = signedChain(this.storedCheckpoints(bodies), new Set([...table.values()].map((entry) => entry.bodyKey)));
    this.breaks.push(...signed.breaks);
    this.checkTableAgainstChain(table, signed.chain);
    const coveredTo = new Map<string, number>();
    for (const checkpoint of signed.chain) this.checkBody(checkpoint, byStream, coveredTo);
    for (const checkpoint of signed.offChain) this.checkOffChain(checkpoint, byStream);

    const last = newest(signed.chain.at(-1)?.body.header, [...table.values()].at(-1)?.header);
    const numbers = new Set([...signed.chain.map((checkpoint) => checkpoint.body.header.number), ...table.keys()]);
    return {
      ok: this.breaks.length === 0,
      records: this.records,
      streams: [...this.streams.keys()].filter((stream) => !isReservedStream(stream)).length,
      checkpoints: numbers.size,
      lastCheckpoint: last && { number: last.number, cutoff: last.cutoff, root: last.root },
      unanchored: this.unanchored(coveredTo),
      breaks: this.breaks,
      warnings: [...this.warnings, ...this.uncovered(last?.cutoff, coveredTo)],
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

  private checkMarkers(byStream: ReadonlyMap<string, ReadonlyMap<number, Entry>>): void {
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
  }

  /** The table's checkpoint chain by number: each record a signed checkpoint linked to the one before, naming a body the bucket holds. */
  private tableCheckpoints(bodies: ReadonlyMap<string, CheckpointBody>): Map<number, CheckpointEntry> {
    const table = new Map<number, CheckpointEntry>();
    let previous: CheckpointEntry | undefined;
    for (const record of [...this.checkpointRecords].sort((a, b) => a.seq - b.seq)) {
      let entry: CheckpointEntry;
      try {
        entry = checkpointEntryOf(record);
      } catch {
        this.breaks.push({ kind: 'checkpoint_not_a_checkpoint', seq: record.seq, message: `checkpoint chain record ${record.seq} is not a checkpoint` });
        continue;
      }
      const { header, signature } = entry;
      const number = header.number;
      this.checkSignature(header, signature);
      const expectedPrevious = previous ? { number: previous.header.number, headerHash: headerHash(previous.header) } : null;
      if (number !== record.seq || JSON.stringify(header.previous) !== JSON.stringify(expectedPrevious)) {
        this.breaks.push({
          kind: 'checkpoint_chain_broken',
          checkpoint: number,
          message: `checkpoint ${number} does not link to checkpoint ${previous?.header.number ?? '(none)'}`,
        });
      }
      previous = entry;
      table.set(number, entry);
      const body = bodies.get(entry.bodyKey);
      if (!body) {
        this.breaks.push({
          kind: 'checkpoint_body_missing',
          checkpoint: number,
          bodyKey: entry.bodyKey,
          message: `checkpoint ${number}'s body ${entry.bodyKey} is missing from the checkpoint bucket`,
        });
      } else if (!isCheckpointBody(body) || headerHash(body.header) !== headerHash(header) || body.signature !== signature) {
        this.breaks.push({ kind: 'checkpoint_body_mismatch', checkpoint: number, message: `checkpoint ${number}'s body differs from its signed header` });
      }
    }
    return table;
  }

  private storedCheckpoints(bodies: ReadonlyMap<string, CheckpointBody>): StoredCheckpoint[] {
    return [...bodies].flatMap(([key, body]) => {
      if (isCheckpointBody(body)) return [storedCheckpoint(key, body)];
      this.breaks.push({ kind: 'checkpoint_not_a_checkpoint', bodyKey: key, message: `object ${key} in the checkpoint bucket is not a checkpoint body` });
      return [];
    });
  }

  /** Every checkpoint of the bucket's chain must be the table's checkpoint of that number. */
  private checkTableAgainstChain(table: ReadonlyMap<number, CheckpointEntry>, chain: readonly StoredCheckpoint[]): void {
    for (const { key, body, headerHash: hash } of chain) {
      const number = body.header.number;
      const entry = table.get(number);
      if (entry && headerHash(entry.header) === hash) continue;
      this.breaks.push({
        kind: 'checkpoint_missing_from_table',
        checkpoint: number,
        bodyKey: key,
        message: entry
          ? `checkpoint ${number} of the checkpoint bucket's signed chain (${key}) is not the table's checkpoint ${number} (${entry.bodyKey}): the table's chain record was replaced`
          : `checkpoint ${number} is in the checkpoint bucket (${key}, signed, in the chain) but missing from the audit table: its chain record was deleted`,
      });
    }
  }

  /** A body of the signed chain: its signature, its records, and that it continues each stream where the chain's previous bodies left it. */
  private checkBody(checkpoint: StoredCheckpoint, byStream: ReadonlyMap<string, ReadonlyMap<number, Entry>>, coveredTo: Map<string, number>): void {
    if (!this.checkContents(checkpoint)) return;
    const number = checkpoint.body.header.number;
    for (const range of this.rangesToCheck(checkpoint.body)) {
      this.checkCoverage(number, range, coveredTo);
      this.checkLeaves(number, range, byStream.get(range.stream));
    }
  }

  /**
   * A body the signed chain does not lead to. A lost race is expected now and then; a fork means
   * checkpoints were deleted from the table and sealed again. Either way its records must be the stored ones.
   */
  private checkOffChain(checkpoint: StoredCheckpoint & { lostRace: boolean }, byStream: ReadonlyMap<string, ReadonlyMap<number, Entry>>): void {
    const number = checkpoint.body.header.number;
    const at = { checkpoint: number, bodyKey: checkpoint.key };
    if (checkpoint.lostRace) {
      this.warnings.push({
        kind: 'checkpoint_unreferenced',
        ...at,
        message: `checkpoint ${number} has a second signed body ${checkpoint.key} that nothing refers to: a run that lost the race for number ${number}, or that stopped before recording it; its records still match`,
      });
    } else {
      this.breaks.push({
        kind: 'checkpoint_fork',
        ...at,
        message: `checkpoint ${number} (${checkpoint.key}) is signed but not on the chain the newest checkpoint leads to, which holds another checkpoint ${number}: checkpoints were deleted from the table and sealed again`,
      });
    }
    if (!this.checkContents(checkpoint)) return;
    for (const range of this.rangesToCheck(checkpoint.body)) this.checkLeaves(number, range, byStream.get(range.stream), checkpoint.key);
  }

  /** Signature, ranges digest and Merkle root of a body; false when its ranges are not the signed ones. */
  private checkContents({ body }: StoredCheckpoint): boolean {
    const { header } = body;
    const at = { checkpoint: header.number };
    this.checkSignature(header, body.signature);
    if (sha256Hex(canonicalBytes(body.ranges)) !== header.rangesSha256) {
      this.breaks.push({ kind: 'checkpoint_body_mismatch', ...at, message: `checkpoint ${header.number}'s body differs from its signed header` });
      return false;
    }
    const leaves = leavesOf(body.ranges);
    if (leaves.length !== header.leafCount || rootOrUndefined(leaves) !== header.root) {
      this.breaks.push({ kind: 'checkpoint_root_mismatch', ...at, message: `checkpoint ${header.number}'s Merkle root does not match its records` });
    }
    return true;
  }

  /** Reports a bad signature once, however many places (table, bucket) carry the header. */
  private checkSignature(header: CheckpointHeader, signature: string): void {
    const id = `${headerHash(header)}:${signature}`;
    if (this.signatures.has(id)) return;
    const valid = verifySignature(this.publicKeyPem, canonicalBytes(header), signature);
    this.signatures.set(id, valid);
    if (!valid) {
      this.breaks.push({
        kind: 'checkpoint_signature_invalid',
        checkpoint: header.number,
        message: `checkpoint ${header.number}'s signature does not verify with the audit public key: forged or altered`,
      });
    }
  }

  private rangesToCheck(body: CheckpointBody): readonly CheckpointRange[] {
    return this.onlyStream ? body.ranges.filter((range) => range.stream === this.onlyStream) : body.ranges;
  }

  private checkCoverage(checkpoint: number, range: CheckpointRange, coveredTo: Map<string, number>): void {
    const { stream, from } = range;
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
    coveredTo.set(stream, Math.max(from + range.hashes.length - 1, start - 1));
  }

  /** Each hash the checkpoint signed must be the stored record's, and every record it covered must still be there. */
  private checkLeaves(checkpoint: number, range: CheckpointRange, entries: ReadonlyMap<number, Entry> | undefined, bodyKey?: string): void {
    const { stream, from } = range;
    const to = from + range.hashes.length - 1;
    const of = bodyKey ? ` (${bodyKey})` : '';
    const at = bodyKey ? { checkpoint, bodyKey } : { checkpoint };
    const maxSeq = entries?.size ? this.streams.get(stream)!.at(-1)!.seq : 0;
    if (to > maxSeq) {
      const missingFrom = Math.max(from, maxSeq + 1);
      this.breaks.push({
        kind: 'truncated',
        stream,
        seq: missingFrom,
        toSeq: to,
        ...at,
        message: `${stream} ends at ${maxSeq}, but checkpoint ${checkpoint}${of} covers it up to ${to}: records ${missingFrom}..${to} were deleted`,
      });
    }
    range.hashes.forEach((hash, offset) => {
      const entry = entries?.get(from + offset);
      if (entry && entry.hash !== hash) {
        this.breaks.push({
          kind: 'checkpoint_leaf_mismatch',
          stream,
          seq: entry.seq,
          ...at,
          message: `${stream}/${entry.seq} differs from the record checkpoint ${checkpoint}${of} signed`,
        });
      }
    });
  }

  /** The records after what the signed chain covers, in every stream. */
  private unanchored(coveredTo: ReadonlyMap<string, number>): Unanchored {
    let records = 0;
    let streams = 0;
    let since: string | undefined;
    for (const [stream, entries] of this.streams) {
      if (isReservedStream(stream)) continue;
      const after = coveredTo.get(stream) ?? 0;
      const open = entries.filter((entry) => entry.seq > after);
      if (open.length === 0) continue;
      records += open.length;
      streams++;
      for (const entry of open) if (since === undefined || entry.at < since) since = entry.at;
    }
    return since === undefined ? { records, streams } : { records, streams, since };
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

function newest(a: CheckpointHeader | undefined, b: CheckpointHeader | undefined): CheckpointHeader | undefined {
  return !a || (b && b.number > a.number) ? b : a;
}

function rootOrUndefined(leaves: readonly string[]): string | undefined {
  try {
    return merkleRoot(leaves);
  } catch {
    return undefined;
  }
}
