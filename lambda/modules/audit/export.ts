import { ulid } from 'ulid';
import { ValidationError, InvariantError } from '../../shared';
import { CHECKPOINT_STREAM, hashOf, type AuditRecord } from './record';
import { checkpointEntryOf, headerHash, leavesOf } from './checkpoint';
import type { CheckpointBody, SignedCheckpoint } from './checkpoint-body';
import { inclusionProof, merkleLevels, verifyInclusion, type InclusionProof } from './merkle';
import type { AuditQueries, AuditRecords, CheckpointBodies, CoverageIndex, ExportDelivery, AuditSigner } from './ports';
import type { AuditQuery } from './query';
import { canonicalBytes, sha256Hex, verifySignature } from './signing';
import type { Break, Unanchored, VerifyReport } from './report';

/** A run of consecutive records of one stream in an export. */
export interface ExportRun {
  readonly from: number;
  readonly to: number;
  /** Hash of the record before `from`: the run continues the chain from there. */
  readonly prevHash: string;
  readonly lastHash: string;
  /** Proves record `proof.seq` (the run's last checkpointed record) is in a signed checkpoint; absent while no checkpoint covers the run yet. */
  readonly proof?: InclusionProof & { readonly checkpoint: number; readonly seq: number };
}

export interface ManifestPayload {
  readonly format: 'treasury-compliance/audit-export/v1';
  readonly query: AuditQuery;
  readonly createdAt: string;
  readonly rowCount: number;
  /** sha256 of the export file's bytes. */
  readonly exportSha256: string;
  /** Lines are ordered by record time, then stream, then seq. */
  readonly order: 'at,stream,seq';
  readonly streams: readonly { readonly stream: string; readonly runs: readonly ExportRun[] }[];
  /** The signed headers the proofs refer to. */
  readonly checkpoints: readonly SignedCheckpoint[];
  /**
   * The newest checkpoint the proofs rely on (its header is the last of `checkpoints`), null when
   * no checkpoint covers the export yet; records after it are not yet anchored. An auditor can
   * look for it in the checkpoint bucket. Absent from manifests made before it was added.
   */
  readonly newestCheckpoint?: { readonly number: number; readonly headerHash: string } | null;
  readonly keyId: string;
}

/** Signed with the audit key over the canonical JSON of `payload`. */
export interface ExportManifest {
  readonly payload: ManifestPayload;
  readonly signature: string;
}

/** What one export may hold: the API's function builds it in memory. */
export const MAX_EXPORT_ROWS = 250_000;

/** A record as auditors see it: exactly the hashed fields and the hash, without the store's index attributes. */
export function recordFields(record: AuditRecord): AuditRecord {
  const { stream, seq, type, actor, investorId, data, idempotencyKey, at, prevHash, hash } = record;
  return { stream, seq, type, actor, investorId, data, idempotencyKey, at, prevHash, hash };
}

export function exportLine(record: AuditRecord): string {
  return JSON.stringify(recordFields(record));
}

const exportOrder = (a: AuditRecord, b: AuditRecord) =>
  a.at < b.at ? -1 : a.at > b.at ? 1 : a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.seq - b.seq;

export interface BuildExportDeps {
  readonly queries: AuditQueries;
  readonly records: Pick<AuditRecords, 'recordAt'>;
  readonly coverage: CoverageIndex;
  readonly bodies: CheckpointBodies;
  readonly signer: AuditSigner;
  readonly now?: () => Date;
}

/**
 * The records a query matches, as JSON Lines, with a signed manifest that lets an auditor show the
 * export is complete: per stream the runs of consecutive records (a run's hash links leave no room
 * for a missing record), and for each run an inclusion proof of its last checkpointed record
 * against a signed checkpoint root, which pins the whole chain up to it.
 */
export async function buildExport(deps: BuildExportDeps, query: AuditQuery, maxRows = MAX_EXPORT_ROWS): Promise<{ jsonl: string; manifest: ExportManifest }> {
  const records: AuditRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.queries.page(query, 1000, cursor);
    for (const record of page.records) if (record.stream !== CHECKPOINT_STREAM) records.push(record);
    if (records.length > maxRows)
      throw new ValidationError([{ field: 'from', problem: `the query matches more than ${maxRows} records; narrow the time range` }]);
    cursor = page.cursor;
  } while (cursor);
  records.sort(exportOrder);
  const jsonl = records.map((record) => `${exportLine(record)}\n`).join('');

  const proofs = new ProofSource(deps);
  const streams = [];
  for (const [stream, own] of groupByStream(records)) {
    const runs: ExportRun[] = [];
    for (const run of consecutiveRuns(own))
      runs.push({ from: run[0]!.seq, to: run.at(-1)!.seq, prevHash: run[0]!.prevHash, lastHash: run.at(-1)!.hash, ...(await proofs.forRun(stream, run)) });
    streams.push({ stream, runs });
  }
  const payload: ManifestPayload = {
    format: 'treasury-compliance/audit-export/v1',
    query,
    createdAt: (deps.now ?? (() => new Date()))().toISOString(),
    rowCount: records.length,
    exportSha256: sha256Hex(jsonl),
    order: 'at,stream,seq',
    streams,
    checkpoints: proofs.checkpoints(),
    newestCheckpoint: newestNamed(proofs.checkpoints()),
    keyId: await deps.signer.keyId(),
  };
  return { jsonl, manifest: { payload, signature: await deps.signer.sign(canonicalBytes(payload)) } };
}

function newestNamed(checkpoints: readonly SignedCheckpoint[]): ManifestPayload['newestCheckpoint'] {
  const newest = checkpoints.at(-1)?.header;
  return newest ? { number: newest.number, headerHash: headerHash(newest) } : null;
}

function groupByStream(records: readonly AuditRecord[]): Map<string, AuditRecord[]> {
  const groups = new Map<string, AuditRecord[]>();
  for (const record of records) {
    const group = groups.get(record.stream);
    if (group) group.push(record);
    else groups.set(record.stream, [record]);
  }
  for (const group of groups.values()) group.sort((a, b) => a.seq - b.seq);
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function consecutiveRuns(records: readonly AuditRecord[]): AuditRecord[][] {
  const runs: AuditRecord[][] = [];
  for (const record of records) {
    const run = runs.at(-1);
    if (run && run.at(-1)!.seq + 1 === record.seq) run.push(record);
    else runs.push([record]);
  }
  return runs;
}

/** Finds the checkpoint covering a record and proves its inclusion; caches bodies and trees. */
class ProofSource {
  private readonly trees = new Map<number, { signed: SignedCheckpoint; body: CheckpointBody; levels: Buffer[][] }>();

  constructor(private readonly deps: BuildExportDeps) {}

  async forRun(stream: string, run: readonly AuditRecord[]): Promise<{ proof?: ExportRun['proof'] }> {
    const coverage = await this.deps.coverage.all(stream);
    const maxCovered = Math.max(0, ...coverage.map((item) => item.to));
    const seq = Math.min(run.at(-1)!.seq, maxCovered);
    if (seq < run[0]!.seq) return {};
    const covering = coverage.find((item) => item.from <= seq && seq <= item.to);
    if (!covering) return {};
    const tree = await this.tree(covering.checkpoint);
    let leafIndex = 0;
    for (const range of tree.body.ranges) {
      if (range.stream === stream) return { proof: { checkpoint: covering.checkpoint, seq, ...inclusionProof(tree.levels, leafIndex + seq - range.from) } };
      leafIndex += range.hashes.length;
    }
    return {};
  }

  checkpoints(): SignedCheckpoint[] {
    return [...this.trees.values()].map(({ signed }) => signed).sort((a, b) => a.header.number - b.header.number);
  }

  private async tree(number: number) {
    let tree = this.trees.get(number);
    if (!tree) {
      const record = await this.deps.records.recordAt(CHECKPOINT_STREAM, number);
      if (!record) throw new InvariantError(`checkpoint ${number} is indexed but its chain record is missing; run \`cli audit verify\``);
      const entry = checkpointEntryOf(record);
      const body = await this.deps.bodies.get(entry.bodyKey);
      if (!body) throw new InvariantError(`checkpoint ${number}'s body is missing; run \`cli audit verify\``);
      tree = { signed: { header: entry.header, signature: entry.signature }, body, levels: merkleLevels(leavesOf(body.ranges)) };
      this.trees.set(number, tree);
    }
    return tree;
  }
}

export interface ExportDeps extends BuildExportDeps {
  readonly delivery: ExportDelivery;
}

export type ExportResult =
  | { readonly delivery: 'inline'; readonly rowCount: number; readonly jsonl: string; readonly manifest: ExportManifest }
  | { readonly delivery: 'link'; readonly rowCount: number; readonly exportUrl: string; readonly manifestUrl: string; readonly expiresInSeconds: number };

/** Exports larger than this go to the exports bucket behind presigned links (API responses are capped at 6 MB). */
export const INLINE_EXPORT_LIMIT_BYTES = 1024 * 1024;
export const EXPORT_LINK_SECONDS = 3600;

export async function exportAudit(deps: ExportDeps, query: AuditQuery, options: { forceLink?: boolean } = {}): Promise<ExportResult> {
  const { jsonl, manifest } = await buildExport(deps, query);
  const rowCount = manifest.payload.rowCount;
  if (!options.forceLink && Buffer.byteLength(jsonl) <= INLINE_EXPORT_LIMIT_BYTES) return { delivery: 'inline', rowCount, jsonl, manifest };
  const prefix = `exports/${ulid()}`;
  await deps.delivery.put(`${prefix}/records.jsonl`, jsonl, 'application/x-ndjson');
  await deps.delivery.put(`${prefix}/manifest.json`, JSON.stringify(manifest), 'application/json');
  return {
    delivery: 'link',
    rowCount,
    exportUrl: await deps.delivery.link(`${prefix}/records.jsonl`, EXPORT_LINK_SECONDS),
    manifestUrl: await deps.delivery.link(`${prefix}/manifest.json`, EXPORT_LINK_SECONDS),
    expiresInSeconds: EXPORT_LINK_SECONDS,
  };
}

interface ExportedEntry {
  readonly hash: string;
  readonly prevHash: string;
  readonly at: string;
  readonly line: number;
  /** Named by one of the manifest's runs. */
  expected: boolean;
}

/**
 * Offline verification of an export: needs only the export file, its manifest and the audit public
 * key. Checks the manifest's signature, the file's digest and row count, every record's hash and
 * order, that the records are exactly the manifest's runs with unbroken links, the checkpoint
 * signatures and links, that the manifest names the newest of them, and every inclusion proof.
 */
export function verifyExport(exportText: string, manifest: ExportManifest, publicKeyPem: string): VerifyReport {
  const breaks: Break[] = [];
  const { payload } = manifest;
  if (!verifySignature(publicKeyPem, canonicalBytes(payload), manifest.signature)) {
    breaks.push({
      kind: 'manifest_signature_invalid',
      message: 'the manifest signature does not verify with the audit public key: the manifest was altered or signed by another key',
    });
  }
  if (sha256Hex(exportText) !== payload.exportSha256)
    breaks.push({ kind: 'export_digest_mismatch', message: 'the export file is not the one the manifest describes' });

  // Only what the run checks need is kept per record, so a million-line export fits in memory.
  const byStream = new Map<string, Map<number, ExportedEntry>>();
  let previous: AuditRecord | undefined;
  let count = 0;
  let line = 0;
  for (let start = 0; start < exportText.length;) {
    let end = exportText.indexOf('\n', start);
    if (end === -1) end = exportText.length;
    line++;
    const text = exportText.slice(start, end);
    start = end + 1;
    if (text === '') continue;
    let record: AuditRecord;
    try {
      record = JSON.parse(text) as AuditRecord;
    } catch {
      breaks.push({ kind: 'export_not_json', line, message: `line ${line} is not JSON` });
      continue;
    }
    count++;
    const where = { line, stream: record.stream, seq: record.seq };
    if (previous && exportOrder(previous, record) >= 0)
      breaks.push({ kind: 'out_of_order', ...where, message: `line ${line} (${record.stream}/${record.seq}) is out of order: lines were moved` });
    if (hashOf(record) !== record.hash)
      breaks.push({
        kind: 'hash_mismatch',
        ...where,
        message: `line ${line} (${record.stream}/${record.seq}) does not match its hash: its content was changed`,
      });
    let entries = byStream.get(record.stream);
    if (!entries) byStream.set(record.stream, (entries = new Map()));
    entries.set(record.seq, { hash: record.hash, prevHash: record.prevHash, at: record.at, line, expected: false });
    previous = record;
  }
  if (count !== payload.rowCount)
    breaks.push({ kind: 'export_row_count_mismatch', message: `the export has ${count} records; the manifest says ${payload.rowCount}` });

  const headers = new Map<number, SignedCheckpoint>();
  let previousHeader: SignedCheckpoint | undefined;
  for (const signed of payload.checkpoints) {
    const number = signed.header.number;
    if (!verifySignature(publicKeyPem, canonicalBytes(signed.header), signed.signature))
      breaks.push({ kind: 'checkpoint_signature_invalid', checkpoint: number, message: `checkpoint ${number}'s signature does not verify: forged or altered` });
    if (previousHeader && previousHeader.header.number + 1 === number && signed.header.previous?.headerHash !== headerHash(previousHeader.header)) {
      breaks.push({
        kind: 'checkpoint_chain_broken',
        checkpoint: number,
        message: `checkpoint ${number} does not link to checkpoint ${previousHeader.header.number}`,
      });
    }
    headers.set(number, signed);
    previousHeader = signed;
  }

  for (const { stream, runs } of payload.streams) {
    const entries = byStream.get(stream);
    for (const run of runs) {
      let linked = run.prevHash;
      for (let seq = run.from; seq <= run.to; seq++) {
        const entry = entries?.get(seq);
        if (!entry) {
          breaks.push({ kind: 'missing_record', stream, seq, message: `${stream}/${seq} is in the manifest but not in the export: removed` });
          linked = '';
          continue;
        }
        entry.expected = true;
        if (linked && entry.prevHash !== linked)
          breaks.push({ kind: 'chain_broken', stream, seq, line: entry.line, message: `${stream}/${seq} does not link to the record before it` });
        linked = entry.hash;
      }
      const last = entries?.get(run.to);
      if (last && last.hash !== run.lastHash)
        breaks.push({ kind: 'chain_broken', stream, seq: run.to, line: last.line, message: `${stream}/${run.to} is not the record the manifest names` });
      if (run.proof) {
        const proven = entries?.get(run.proof.seq);
        const checkpoint = headers.get(run.proof.checkpoint);
        if (!proven || !checkpoint || run.proof.treeSize !== checkpoint.header.leafCount || !verifyInclusion(proven.hash, run.proof, checkpoint.header.root)) {
          breaks.push({
            kind: 'inclusion_proof_invalid',
            stream,
            seq: run.proof.seq,
            checkpoint: run.proof.checkpoint,
            message: `${stream}/${run.proof.seq} is not proven to be in checkpoint ${run.proof.checkpoint}`,
          });
        }
      }
    }
  }
  for (const [stream, entries] of byStream) {
    for (const [seq, entry] of entries) {
      if (!entry.expected)
        breaks.push({ kind: 'unexpected_record', stream, seq, line: entry.line, message: `${stream}/${seq} is in the export but not in the manifest` });
    }
  }
  breaks.push(...newestCheckpointBreaks(payload));
  const last = payload.checkpoints.at(-1)?.header;
  return {
    ok: breaks.length === 0,
    records: count,
    streams: payload.streams.length,
    checkpoints: payload.checkpoints.length,
    lastCheckpoint: last ? { number: last.number, cutoff: last.cutoff, root: last.root } : undefined,
    unanchored: unanchoredIn(payload, byStream),
    breaks,
    warnings: payload.streams.flatMap(({ stream, runs }) =>
      runs
        .filter((run) => (run.proof?.seq ?? run.from - 1) < run.to)
        .map((run): Break => {
          const from = (run.proof?.seq ?? run.from - 1) + 1;
          return {
            kind: 'uncovered',
            stream,
            seq: from,
            toSeq: run.to,
            message: `${stream} ${from}..${run.to} is not in a checkpoint yet: its links to the proven records and the manifest signature vouch for it`,
          };
        }),
    ),
  };
}

/** The manifest must name the newest of its checkpoints as the one it relies on (manifests from before this field name none). */
function newestCheckpointBreaks(payload: ManifestPayload): Break[] {
  const named = payload.newestCheckpoint;
  if (named === undefined) return [];
  const newest = [...payload.checkpoints].sort((a, b) => a.header.number - b.header.number).at(-1)?.header;
  const agrees = named === null ? newest === undefined : newest !== undefined && newest.number === named.number && headerHash(newest) === named.headerHash;
  if (agrees) return [];
  return [
    {
      kind: 'manifest_checkpoint_mismatch',
      checkpoint: named?.number ?? newest?.number,
      message:
        named === null
          ? `the manifest names no checkpoint it relies on, but carries checkpoint ${newest!.number}`
          : `the manifest names checkpoint ${named.number} as the newest it relies on, but ${newest ? `its newest checkpoint header is ${newest.number === named.number ? 'another' : `#${newest.number}`}` : 'carries no checkpoint header'}`,
    },
  ];
}

/** The export's records that no inclusion proof covers: after each run's proven record. */
function unanchoredIn(payload: ManifestPayload, byStream: ReadonlyMap<string, ReadonlyMap<number, ExportedEntry>>): Unanchored {
  let records = 0;
  let since: string | undefined;
  const streams = new Set<string>();
  for (const { stream, runs } of payload.streams) {
    for (const run of runs) {
      for (let seq = (run.proof?.seq ?? run.from - 1) + 1; seq <= run.to; seq++) {
        const entry = byStream.get(stream)?.get(seq);
        if (!entry) continue;
        records++;
        streams.add(stream);
        if (since === undefined || entry.at < since) since = entry.at;
      }
    }
  }
  return since === undefined ? { records, streams: streams.size } : { records, streams: streams.size, since };
}
