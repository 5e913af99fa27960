import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { InvariantError } from '../../shared';

/** What a caller asks to record. */
export interface AuditEvent {
  /** The hash chain this record joins, e.g. `investor#01J...`; one chain per aggregate. */
  readonly stream: string;
  /** Dotted event type, e.g. `investor.registered`. */
  readonly type: string;
  /** Who caused it: `system:<function>`, `officer:<sub>`, `vendor:<name>`. */
  readonly actor: string;
  readonly investorId?: string;
  /** Facts an auditor needs; no secrets, and personal data only where the auditor needs it. */
  readonly data: Readonly<Record<string, unknown>>;
  /**
   * Makes the append exactly-once: a second append with the same key is a no-op. Derive it from
   * what the event records; for a state change use `changeKey`.
   */
  readonly idempotencyKey?: string;
}

/**
 * The idempotency key of a state change recorded before it is saved: the version it produces plus a
 * digest of what it records. A writer that crashed and re-runs the same change gets the same key (no
 * double record); a writer that loses the save race to a different change at the same version does
 * not take that change's key, so the winner's record is never dropped. The loser's record stays, as
 * an attempt, followed by what it did after reloading.
 */
export function changeKey(event: Pick<AuditEvent, 'stream' | 'type' | 'actor' | 'data'>, version: number): string {
  const digest = hash('sha256', canonicalize({ type: event.type, actor: event.actor, data: event.data }) ?? '').slice(0, 16);
  return `${event.stream}:v${version}:${digest}`;
}

/** The record of a state change that produces `version`, keyed by `changeKey`. */
export function stateChange(event: Omit<AuditEvent, 'idempotencyKey'>, version: number): AuditEvent {
  return { ...event, idempotencyKey: changeKey(event, version) };
}

export interface AuditRecord extends AuditEvent {
  /** Position in the stream, from 1, without gaps. */
  readonly seq: number;
  readonly at: string;
  readonly prevHash: string;
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Streams the audit machinery keeps for itself: idempotency markers, wallet references (the wallet
 * index), checkpoint coverage and the checkpoint chain. Callers' streams never start with these.
 */
export const RESERVED_STREAM_PREFIXES = ['idempotency#', 'ref#', 'covered#', 'audit#'] as const;
/** The hash chain of checkpoints: one record per checkpoint, linked like any other stream. */
export const CHECKPOINT_STREAM = 'audit#checkpoints';

export function isReservedStream(stream: string): boolean {
  return RESERVED_STREAM_PREFIXES.some((prefix) => stream.startsWith(prefix));
}

/** sha256 over the RFC 8785 canonical JSON of every field but `hash`. */
export function hashOf(record: Omit<AuditRecord, 'hash'>): string {
  return hash('sha256', canonicalRecord(record));
}

const isOptionalString = (value: unknown) => value === undefined || value === null || typeof value === 'string';

/**
 * The RFC 8785 canonical JSON of a record's hashed fields. Verification hashes millions of records,
 * so the fixed top level is written out in canonical key order (RFC 8785 serialises strings and safe
 * integers exactly as JSON.stringify does) and only `data` goes through the general canonicaliser;
 * a record of any other shape takes the general path, which gives the same bytes.
 */
export function canonicalRecord(record: Omit<AuditRecord, 'hash'>): string {
  const { stream, type, actor, investorId, data, idempotencyKey, seq, at, prevHash } = record;
  const fields = { stream, type, actor, investorId: investorId ?? null, data, idempotencyKey: idempotencyKey ?? null, seq, at, prevHash };
  const dataJson = canonicalize(data);
  if (dataJson === undefined) throw new InvariantError('audit record is not serialisable');
  const wellFormed =
    typeof stream === 'string' &&
    typeof type === 'string' &&
    typeof actor === 'string' &&
    typeof at === 'string' &&
    typeof prevHash === 'string' &&
    Number.isSafeInteger(seq) &&
    isOptionalString(investorId) &&
    isOptionalString(idempotencyKey);
  if (!wellFormed) return canonicalize(fields)!;
  const text = JSON.stringify;
  return `{"actor":${text(actor)},"at":${text(at)},"data":${dataJson},"idempotencyKey":${text(fields.idempotencyKey)},"investorId":${text(fields.investorId)},"prevHash":${text(prevHash)},"seq":${seq},"stream":${text(stream)},"type":${text(type)}}`;
}

/**
 * The record after `previous`. Its time never goes back within a stream (a writer whose clock lags
 * takes the previous record's time), so "records up to time T" is always a prefix of a stream:
 * checkpoints rely on that.
 */
export function nextRecord(event: AuditEvent, previous: AuditRecord | undefined, at: string): AuditRecord {
  const unsigned = {
    ...event,
    seq: (previous?.seq ?? 0) + 1,
    at: previous && previous.at > at ? previous.at : at,
    prevHash: previous?.hash ?? GENESIS_HASH,
  };
  return { ...unsigned, hash: hashOf(unsigned) };
}
