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
  | 'checkpoint_missing_from_table'
  | 'checkpoint_number_gap'
  | 'checkpoint_fork'
  | 'checkpoint_unreferenced'
  | 'uncovered'
  | 'manifest_signature_invalid'
  | 'manifest_checkpoint_mismatch'
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
  /** Last checkpoint number of a range (gaps in the checkpoint numbers). */
  readonly toCheckpoint?: number;
  /** The checkpoint bucket's key of the body concerned, where the table and the bucket disagree. */
  readonly bodyKey?: string;
  /** 1-based line of an export file. */
  readonly line?: number;
}

/**
 * Records no checkpoint covers yet: only their hash links (and, in an export, the manifest's
 * signature) vouch for them until the next checkpoint seals them.
 */
export interface Unanchored {
  readonly records: number;
  readonly streams: number;
  /** The time of the oldest of them. */
  readonly since?: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly records: number;
  readonly streams: number;
  readonly checkpoints: number;
  /** The newest checkpoint: of the checkpoint bucket's signed chain, or the newest one an export relies on. */
  readonly lastCheckpoint?: { readonly number: number; readonly cutoff: string; readonly root: string };
  readonly unanchored: Unanchored;
  readonly breaks: readonly Break[];
  /** Not tampering, but worth a look: records older than the last checkpoint that no checkpoint covers, bodies of lost races. */
  readonly warnings: readonly Break[];
}
