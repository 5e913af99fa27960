/** What a checkpoint is made of: the signed header, the ranges it covers, the record that anchors it. */

/** One stream's part of a checkpoint: records `from`..`from + hashes.length - 1`, in seq order. */
export interface CheckpointRange {
  readonly stream: string;
  readonly from: number;
  /** Hash of record `from - 1` (the genesis hash for seq 1): ties the range to what came before. */
  readonly prevHash: string;
  readonly hashes: readonly string[];
}

/** What is signed. Small and fixed in size, whatever the number of records. */
export interface CheckpointHeader {
  readonly version: 1;
  readonly number: number;
  /** Every record up to this time that had landed when the checkpoint ran is covered. */
  readonly cutoff: string;
  readonly previous: { readonly number: number; readonly headerHash: string } | null;
  /** RFC 9162 Merkle root over the ranges' record hashes, ranges in stream order. */
  readonly root: string;
  readonly leafCount: number;
  readonly streamCount: number;
  /** sha256 of the canonical JSON of `ranges`. */
  readonly rangesSha256: string;
  readonly keyId: string;
  readonly createdAt: string;
}

export interface SignedCheckpoint {
  readonly header: CheckpointHeader;
  /** Base64 DER ECDSA P-256 signature over the canonical JSON of `header`. */
  readonly signature: string;
}

export interface CheckpointBody extends SignedCheckpoint {
  readonly ranges: readonly CheckpointRange[];
}

/** The checkpoint chain's record data: the signed header and where the body is. */
export interface CheckpointEntry extends SignedCheckpoint {
  readonly bodyKey: string;
}
