import type { AuditRecord } from './record';
import type { CheckpointBody } from './checkpoint-body';
import type { AuditQuery } from './query';

/** How far one checkpoint covered one stream. */
export interface Coverage {
  readonly stream: string;
  readonly checkpoint: number;
  readonly from: number;
  readonly to: number;
  readonly toHash: string;
}

/** Reads records for checkpoints, exports and verification. */
export interface AuditRecords {
  /** Streams with a record whose time is in (after, upTo]. */
  streamsWithRecordsBetween(after: string, upTo: string): Promise<string[]>;
  /** A stream's records with seq > afterSeq, in seq order, read consistently. */
  recordsAfter(stream: string, afterSeq: number): Promise<AuditRecord[]>;
  recordAt(stream: string, seq: number): Promise<AuditRecord | undefined>;
}

/** An idempotency key's marker: names the record the key was first appended as. */
export interface IdempotencyMarker {
  readonly key: string;
  readonly stream: string;
  readonly seq: number;
}

/** The whole log, for verification. */
export interface AuditLogItems {
  /** Every record and marker (or one stream's records and the checkpoint chain), in any order, in batches. */
  scan(options: { onlyStream?: string }): AsyncIterable<{
    readonly records: readonly AuditRecord[];
    readonly markers: readonly IdempotencyMarker[];
    /** Items read, including the index items skipped. */ readonly scanned: number;
  }>;
  /** About how many items a scan reads, for progress bars. */
  estimateCount(): Promise<number>;
}

/** Which checkpoint covered which part of each stream; derived from the checkpoint bodies. */
export interface CoverageIndex {
  last(stream: string): Promise<Coverage | undefined>;
  all(stream: string): Promise<Coverage[]>;
  /** Records the coverage of checkpoint `number`; repeating it is harmless. */
  record(number: number, coverage: readonly Coverage[]): Promise<void>;
  /** Whether every coverage item of checkpoint `number` was recorded. */
  isComplete(number: number): Promise<boolean>;
}

/** Signed checkpoint bodies, write-once (S3 Object Lock on AWS). */
export interface CheckpointBodies {
  /** Stores the body under `checkpointBodyKey(body)` and returns the key. */
  put(body: CheckpointBody): Promise<string>;
  get(key: string): Promise<CheckpointBody | undefined>;
}

/**
 * The keys of every body in the checkpoint bucket, a page at a time. Someone who can write the audit
 * table cannot shorten this list (Object Lock), so verification takes the checkpoints from it.
 */
export interface CheckpointBodyListing {
  keys(): AsyncIterable<readonly string[]>;
}

export interface AuditPage {
  readonly records: readonly AuditRecord[];
  /** Opaque; absent on the last page. */
  readonly cursor?: string;
}

export interface AuditQueries {
  page(query: AuditQuery, limit: number, cursor?: string): Promise<AuditPage>;
}

/** Where large exports go, and a time-limited link to fetch them. */
export interface ExportDelivery {
  put(key: string, body: string, contentType: string): Promise<void>;
  link(key: string, expiresInSeconds: number): Promise<string>;
}

/**
 * Storage for hash-chained records. `insert` is atomic: `'taken'` if the (stream, seq) slot is used,
 * `'duplicate'` if the record's idempotency key was used before; in both cases nothing is written.
 */
export interface AuditStore {
  head(stream: string): Promise<AuditRecord | undefined>;
  insert(record: AuditRecord): Promise<'inserted' | 'taken' | 'duplicate'>;
  /**
   * Inserts the records of several streams with few writes. Each stream's records are written
   * together or not at all; returns those not written (slot taken, key used, or a race), which the
   * caller appends one by one. Optional: without it, appendAll appends one by one.
   */
  insertAll?(records: readonly AuditRecord[]): Promise<AuditRecord[]>;
}

/**
 * Signs checkpoints and export manifests: ECDSA P-256 with SHA-256, DER signatures. KMS holds the
 * key on AWS, a local key stands in on a laptop; verifying needs only the public key (PEM).
 */
export interface AuditSigner {
  /** Which key signs: the KMS key id, or `local:<fingerprint>`. */
  keyId(): Promise<string>;
  /** Base64 DER ECDSA signature over sha256(message). */
  sign(message: Buffer): Promise<string>;
  publicKeyPem(): Promise<string>;
}
