import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { compose as composeCheckpoint } from '../../lambda/functions/audit-checkpoint/root';
import {
  runCheckpoint,
  verifyAuditLog,
  verifyExport,
  type AuditRecord,
  type ExportManifest,
  type ExportResult,
  type VerifyReport,
} from '../../lambda/modules/audit';
import type { RefusalCount } from '../../lambda/modules/kyc';
import { CliError, EXIT, emit } from './output';
import { progressBar } from './progress';
import { WORK_DIR_HELP, apiTarget, callApi, composeFor, withApiOptions } from './session';

interface ApiOptions {
  apiUrl?: string;
  token?: string;
  as?: string;
  workDir?: string;
  json: boolean;
}
interface QueryOptions {
  investorId?: string;
  wallet?: string;
  caseId?: string;
  stream?: string;
  type?: string;
  from?: string;
  to?: string;
}
interface DirectOptions {
  local?: boolean;
  workDir?: string;
  json: boolean;
}

const withApi = (command: Command) => withApiOptions(command, 'auditor');

const withQuery = (command: Command) =>
  command
    .option('--investor-id <id>', "an investor's records, in every stream")
    .option('--wallet <address>', 'records that name this wallet')
    .option('--case-id <id>', "a case's records")
    .option('--stream <stream>', 'one stream, e.g. investor#<id>')
    .option('--type <type>', 'an event type, e.g. screening.completed (alone or with one of the above)')
    .option('--from <time>', 'ISO 8601 time, inclusive')
    .option('--to <time>', 'ISO 8601 time, inclusive');

/** Commands that read the audit table and buckets themselves (an operator's AWS credentials, or `--local`). */
const withDirect = (command: Command) =>
  command
    .option('--local', 'use the tables and buckets of the running `npm start`', false)
    .option('--work-dir <dir>', WORK_DIR_HELP)
    .option('--json', 'print JSON', false);

const queryOf = (options: QueryOptions) =>
  Object.fromEntries(
    Object.entries({
      investorId: options.investorId,
      wallet: options.wallet,
      caseId: options.caseId,
      stream: options.stream,
      type: options.type,
      from: options.from,
      to: options.to,
    }).filter(([, value]) => value !== undefined),
  );

/** The audit table, the checkpoint bucket and the signer, as the checkpoint function has them. */
const direct = (options: DirectOptions) => composeFor(options, composeCheckpoint);

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`cannot read the ${what} ${file}`);
  }
}

function renderReport(report: VerifyReport, subject: string, itemsRead?: number): string {
  const last = report.lastCheckpoint
    ? `, last #${report.lastCheckpoint.number} at ${report.lastCheckpoint.cutoff}, root ${report.lastCheckpoint.root.slice(0, 16)}…`
    : '';
  const read = itemsRead === undefined ? '' : ` (${itemsRead} table items read)`;
  return [
    `${subject}: ${report.ok ? 'OK' : `BROKEN (${report.breaks.length} break${report.breaks.length === 1 ? '' : 's'})`}: ${report.records} records in ${report.streams} streams, ${report.checkpoints} checkpoints${last}${read}`,
    `  not yet anchored: ${renderUnanchored(report)}`,
    ...report.breaks.map((b) => `  break    ${b.kind}: ${b.message}`),
    ...report.warnings.map((w) => `  warning  ${w.kind}: ${w.message}`),
  ].join('\n');
}

/** What no checkpoint vouches for yet: only the hash links (and an export's signed manifest) do. */
function renderUnanchored({ unanchored, lastCheckpoint }: VerifyReport): string {
  const after = lastCheckpoint ? `after checkpoint #${lastCheckpoint.number}` : 'no checkpoint yet';
  if (unanchored.records === 0) return `none (${after})`;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(unanchored.records, 'record')} in ${plural(unanchored.streams, 'stream')} since ${unanchored.since} (${after})`;
}

function finishWith(report: VerifyReport, json: boolean, subject: string, itemsRead?: number): void {
  emit(json, report, () => renderReport(report, subject, itemsRead));
  if (!report.ok) process.exitCode = EXIT.negative;
}

/** `cli audit ...`: auditors query, export and verify the tamper-evident audit trail. */
export function register(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit trail: query, export, verify (offline too)');

  withQuery(withApi(audit.command('records').description('Query records through the API, a page at a time (or --all)')))
    .option('--limit <n>', 'records per page (1-1000)', '100')
    .option('--cursor <cursor>', 'the cursor a previous page printed')
    .option('--all', 'follow the cursors to the end', false)
    .action(async (options: ApiOptions & QueryOptions & { limit: string; cursor?: string; all: boolean }) => {
      const target = apiTarget(options);
      const records: AuditRecord[] = [];
      let cursor = options.cursor;
      do {
        const params = new URLSearchParams({ ...queryOf(options), limit: options.limit, ...(cursor ? { cursor } : {}) });
        const page = await callApi<{ records: AuditRecord[]; cursor?: string }>(target, 'GET', `/audit/records?${params}`);
        records.push(...page.records);
        cursor = page.cursor;
      } while (options.all && cursor);
      emit(options.json, { records, ...(cursor ? { cursor } : {}) }, () =>
        [...records.map((r) => `${r.at}  ${r.stream}/${r.seq}  ${r.type}  ${r.actor}`), ...(cursor ? [`(more: --cursor ${cursor})`] : [])].join('\n'),
      );
    });

  withQuery(withApi(audit.command('export').description('Export matching records as JSON Lines with a signed manifest')))
    .requiredOption('--out <file>', 'where to write the JSON Lines')
    .option('--manifest <file>', 'where to write the manifest (default: <out>.manifest.json)')
    .option('--via-link', 'fetch through the presigned S3 links even when the export is small', false)
    .action(async (options: ApiOptions & QueryOptions & { out: string; manifest?: string; viaLink: boolean }) => {
      const result = await callApi<ExportResult>(apiTarget(options), 'POST', '/audit/exports', {
        query: queryOf(options),
        delivery: options.viaLink ? 'link' : 'auto',
      });
      const manifestFile = options.manifest ?? `${options.out}.manifest.json`;
      if (result.delivery === 'inline') {
        writeFileSync(options.out, result.jsonl);
        writeFileSync(manifestFile, JSON.stringify(result.manifest, null, 2));
      } else {
        for (const [url, file] of [
          [result.exportUrl, options.out],
          [result.manifestUrl, manifestFile],
        ] as const) {
          const response = await fetch(url);
          if (!response.ok)
            throw new CliError(`downloading the export failed (${response.status}); the links expire after ${result.expiresInSeconds} s`, EXIT.failure);
          writeFileSync(file, Buffer.from(await response.arrayBuffer()));
        }
      }
      emit(
        options.json,
        { rows: result.rowCount, delivery: result.delivery, export: options.out, manifest: manifestFile },
        () => `${result.rowCount} records → ${options.out}, manifest → ${manifestFile} (${result.delivery === 'link' ? 'via presigned links' : 'inline'})`,
      );
    });

  withApi(audit.command('public-key').description('The public key that checks checkpoint and manifest signatures'))
    .option('--out <file>', 'write the PEM to a file')
    .action(async (options: ApiOptions & { out?: string }) => {
      const key = await callApi<{ keyId: string; fingerprint: string; publicKeyPem: string }>(apiTarget(options), 'GET', '/audit/public-key');
      if (options.out) writeFileSync(options.out, key.publicKeyPem);
      emit(options.json, key, () => (options.out ? `key ${key.keyId} (sha256 ${key.fingerprint}) → ${options.out}` : key.publicKeyPem.trimEnd()));
    });

  withApi(audit.command('webhook-refusals').description('Refused KYC webhooks, counted per vendor, reason and hour'))
    .option('--from <time>', 'ISO 8601 time (default: 24 hours before --to)')
    .option('--to <time>', 'ISO 8601 time (default: now)')
    .option('--vendor <vendor>', 'one vendor (or unknown, for paths naming none)')
    .action(async (options: ApiOptions & { from?: string; to?: string; vendor?: string }) => {
      const params = new URLSearchParams(
        Object.entries({ from: options.from, to: options.to, vendor: options.vendor }).filter((entry): entry is [string, string] => entry[1] !== undefined),
      );
      const result = await callApi<{ from: string; to: string; total: number; counts: RefusalCount[] }>(
        apiTarget(options),
        'GET',
        `/audit/webhook-refusals${params.size > 0 ? `?${params}` : ''}`,
      );
      emit(options.json, result, () =>
        [
          `${result.total} refused webhook${result.total === 1 ? '' : 's'} from ${result.from} to ${result.to}`,
          ...result.counts.map((count) => `  ${count.hour}:00Z  ${count.vendor.padEnd(17)}  ${count.reason.padEnd(40)}  ${count.count}`),
        ].join('\n'),
      );
    });

  audit
    .command('verify-export')
    .description('Verify an export offline: only the export, its manifest and the public key; no network')
    .argument('<export>', 'the JSON Lines file')
    .requiredOption('--manifest <file>', 'the manifest that came with it')
    .requiredOption('--public-key <file>', 'the audit public key (PEM), obtained independently')
    .option('--json', 'print JSON', false)
    .action((file: string, options: { manifest: string; publicKey: string; json: boolean }) => {
      let manifest: ExportManifest;
      try {
        manifest = JSON.parse(readText(options.manifest, 'manifest')) as ExportManifest;
      } catch (error) {
        throw error instanceof CliError ? error : new CliError(`the manifest ${options.manifest} is not JSON`);
      }
      if (!manifest?.payload || typeof manifest.signature !== 'string') throw new CliError(`the manifest ${options.manifest} has no payload and signature`);
      finishWith(verifyExport(readText(file, 'export'), manifest, readText(options.publicKey, 'public key')), options.json, `export ${file}`);
    });

  withDirect(audit.command('verify').description('Recompute every hash chain and checkpoint of the stored log and report each break'))
    .option('--stream <stream>', "verify one stream (and every checkpoint's part of it)")
    .option('--public-key <file>', "check signatures with this PEM (default: the configured signer's public key)")
    .action(async (options: DirectOptions & { stream?: string; publicKey?: string }) => {
      const { records, bodies, signer } = direct(options);
      const publicKeyPem = options.publicKey ? readText(options.publicKey, 'public key') : await signer.publicKeyPem();
      // The scan reads table items (records, idempotency markers, index entries): the bar counts
      // those, against DynamoDB's estimate, and the summary says how many it read.
      const bar = progressBar('verifying', options.stream ? 0 : await records.estimateCount(), { quiet: options.json, unit: 'table items' });
      let itemsRead = 0;
      const report = await verifyAuditLog(
        { items: records, bodies, publicKeyPem },
        {
          onlyStream: options.stream,
          onProgress: (items) => {
            itemsRead += items;
            bar.tick(items);
          },
        },
      ).finally(() => bar.stop());
      finishWith(report, options.json, options.stream ? `stream ${options.stream}` : 'audit log', itemsRead);
    });

  withDirect(audit.command('checkpoint').description('Seal a checkpoint now (the scheduled function does this every 15 minutes)')).action(
    async (options: DirectOptions) => {
      const result = await runCheckpoint({ ...direct(options), actor: 'operator:cli' });
      const summary =
        result.status === 'checkpointed'
          ? {
              status: result.status,
              number: result.header.number,
              leafCount: result.header.leafCount,
              streams: result.header.streamCount,
              root: result.header.root,
              breaks: result.breaks,
            }
          : result;
      emit(options.json, summary, () =>
        result.status === 'checkpointed'
          ? `checkpoint #${result.header.number}: ${result.header.leafCount} records in ${result.header.streamCount} streams, root ${result.header.root}`
          : result.status === 'superseded'
            ? 'no checkpoint: another run sealed the same records at the same moment'
            : 'no checkpoint: nothing new since the last one',
      );
    },
  );
}
