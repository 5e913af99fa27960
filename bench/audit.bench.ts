import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableInput } from '../bin/local/provision';
import { startDynamoDbLocal } from '../bin/local/services';
import { DynamoAuditStore, LocalKeySigner } from '../lambda/modules/audit/adapters';
import { TABLES } from '../lambda/config/system';
import {
  AuditLog,
  AuditVerifier,
  GENESIS_HASH,
  buildExport,
  exportLine,
  nextRecord,
  sealCheckpoint,
  verifyExport,
  type AuditRecord,
  type CheckpointBody,
  type CheckpointRange,
  type Coverage,
} from '../lambda/modules/audit';
import type { Benchmark } from './benchmarks';

const APPENDS = 2000;
const VERIFY_RECORDS = 1_000_000;
const VERIFY_STREAMS = 10_000;
const VERIFY_CHECKPOINTS = 10;
const VERIFY_TARGET_SECONDS = 20;

/** Wall-clock and this process's CPU seconds: on a shared machine the two differ, and both matter. */
function stopwatch() {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { seconds: (performance.now() - wall) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
  };
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (value: number) => `${value.toFixed(2)} ms`;

async function timed(count: number, concurrency: number, append: (index: number) => Promise<unknown>): Promise<string> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < count; index = next++) {
        const start = performance.now();
        await append(index);
        latencies.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return `p50 ${ms(percentile(latencies, 50))}  p95 ${ms(percentile(latencies, 95))}  p99 ${ms(percentile(latencies, 99))}  max ${ms(latencies.at(-1)!)}  (${count} appends, ${(count / seconds).toFixed(0)}/s)`;
}

/** Append latency against DynamoDB Local (a real DynamoDB's latencies differ; the shape is what this shows). */
async function appendLatency(): Promise<void> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'tc-bench-audit-'));
  const dynamodb = await startDynamoDbLocal({ logDir: workDir });
  try {
    const client = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await client.send(new CreateTableCommand(tableInput('bench-audit', TABLES.audit)));
    const log = new AuditLog(new DynamoAuditStore(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), 'bench-audit'));
    const wallet = (index: number) => `0x${index.toString(16).padStart(40, '0')}`;
    await timed(200, 1, (index) => log.append({ stream: `warmup#${index}`, type: 'bench.warmup', actor: 'bench', data: {} }));

    console.log(
      `  append, plain put, own stream each, 1 writer          ${await timed(APPENDS, 1, (index) => log.append({ stream: `plain#${index}`, type: 'bench.event', actor: 'bench', data: { index } }))}`,
    );
    console.log(
      `  append, idempotency key + wallet (transaction), 1 writer ${await timed(APPENDS, 1, (index) => log.append({ stream: `investor#${index}`, type: 'investor.registered', actor: 'bench', investorId: String(index), data: { wallets: [wallet(index)] }, idempotencyKey: `investor#${index}:v1` }))}`,
    );
    console.log(
      `  append, idempotency key + wallet, 8 writers, own streams ${await timed(APPENDS, 8, (index) => log.append({ stream: `busy#${index}`, type: 'investor.registered', actor: 'bench', data: { wallet: wallet(index) }, idempotencyKey: `busy#${index}:v1` }))}`,
    );
    console.log(
      `  append, 8 writers racing on one stream (retries inside)   ${await timed(APPENDS / 4, 8, (index) => log.append({ stream: 'contended', type: 'bench.event', actor: 'bench', data: { index } }))}`,
    );
  } finally {
    await dynamodb.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** 1,000,000 hash-chained records in 10,000 streams, sealed by 10 signed checkpoints, as JSON lines. */
async function generateLog(signer: LocalKeySigner) {
  const perStream = VERIFY_RECORDS / VERIFY_STREAMS;
  const perCheckpoint = perStream / VERIFY_CHECKPOINTS;
  const heads: (AuditRecord | undefined)[] = new Array(VERIFY_STREAMS);
  const lines: string[] = [];
  const bodies = new Map<string, CheckpointBody>();
  const chain: AuditRecord[] = [];
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  let previous: CheckpointBody | undefined;
  for (let checkpoint = 1; checkpoint <= VERIFY_CHECKPOINTS; checkpoint++) {
    const ranges: CheckpointRange[] = [];
    for (let s = 0; s < VERIFY_STREAMS; s++) {
      const stream = `investor#${String(s).padStart(6, '0')}`;
      const prevHash = heads[s]?.hash ?? GENESIS_HASH;
      const from = (heads[s]?.seq ?? 0) + 1;
      const hashes: string[] = [];
      for (let i = 0; i < perCheckpoint; i++) {
        const at = new Date(start + ((checkpoint - 1) * perCheckpoint + i) * 60_000 + s).toISOString();
        const record = nextRecord(
          {
            stream,
            type: 'screening.completed',
            actor: 'system:screening-worker',
            investorId: String(s),
            data: { verdict: 'clear', listVersion: `sdn-${checkpoint}`, wallets: [`0x${s.toString(16).padStart(40, '0')}`] },
            idempotencyKey: `${stream}:v${from + i}`,
          },
          heads[s],
          at,
        );
        heads[s] = record;
        hashes.push(record.hash);
        lines.push(exportLine(record));
      }
      ranges.push({ stream, from, prevHash, hashes });
    }
    const cutoff = new Date(start + checkpoint * perCheckpoint * 60_000).toISOString();
    const body = await sealCheckpoint(signer, { number: checkpoint, cutoff, previous: previous?.header, ranges, createdAt: cutoff });
    bodies.set(`checkpoints/${checkpoint}`, body);
    chain.push(
      nextRecord(
        {
          stream: 'audit#checkpoints',
          type: 'audit.checkpointed',
          actor: 'bench',
          data: { header: body.header, signature: body.signature, bodyKey: `checkpoints/${checkpoint}` },
        },
        chain.at(-1),
        cutoff,
      ),
    );
    previous = body;
  }
  return { lines, bodies, chain };
}

async function verifyThroughput(): Promise<void> {
  const signer = new LocalKeySigner(LocalKeySigner.generatePem());
  const publicKey = await signer.publicKeyPem();
  const generating = stopwatch();
  const { lines, bodies, chain } = await generateLog(signer);
  console.log(
    `  generated ${lines.length.toLocaleString('en-US')} records in ${VERIFY_STREAMS.toLocaleString('en-US')} streams and ${VERIFY_CHECKPOINTS} checkpoints in ${generating().seconds.toFixed(1)} s (not timed below)`,
  );

  // As `cli audit verify` does after each scan page: parse, hash, keep; then chains, signatures, Merkle roots.
  let elapsed = stopwatch();
  const verifier = new AuditVerifier(publicKey);
  for (const line of lines) verifier.addRecord(JSON.parse(line) as AuditRecord);
  for (const record of chain) verifier.addRecord(record);
  const report = verifier.finish(bodies);
  const { seconds, cpuSeconds } = elapsed();
  if (!report.ok || report.records !== VERIFY_RECORDS)
    throw new Error(`the generated log did not verify: ${report.breaks[0]?.message ?? `${report.records} records`}`);
  const verdict = seconds <= VERIFY_TARGET_SECONDS ? 'meets' : 'MISSES';
  console.log(
    `  verify log (parse + rehash + chains + ${VERIFY_CHECKPOINTS} checkpoints): ${report.records.toLocaleString('en-US')} records in ${seconds.toFixed(2)} s (cpu ${cpuSeconds.toFixed(2)} s) = ${Math.round(report.records / seconds).toLocaleString('en-US')} records/s; target 1,000,000 in <= ${VERIFY_TARGET_SECONDS} s: ${verdict} (${(VERIFY_TARGET_SECONDS / seconds).toFixed(1)}x headroom)`,
  );

  // The auditor's offline path: one export of everything, its signed manifest, the public key.
  const coverage: Coverage[] = [...bodies.values()].flatMap((body) =>
    body.ranges.map((range) => ({
      stream: range.stream,
      checkpoint: body.header.number,
      from: range.from,
      to: range.from + range.hashes.length - 1,
      toHash: range.hashes.at(-1)!,
    })),
  );
  const byStream = new Map<string, Coverage[]>();
  for (const item of coverage) byStream.set(item.stream, [...(byStream.get(item.stream) ?? []), item]);
  const records = lines.map((line) => JSON.parse(line) as AuditRecord);
  lines.length = 0;
  const { jsonl, manifest } = await buildExport(
    {
      queries: { page: async () => ({ records }) },
      records: { recordAt: async (_stream, seq) => chain[seq - 1] },
      coverage: { all: async (stream) => byStream.get(stream) ?? [], last: async () => undefined, record: async () => undefined, isComplete: async () => true },
      bodies: { get: async (key) => bodies.get(key), put: async () => '' },
      signer,
    },
    { from: '2026-01-01T00:00:00.000Z' },
    VERIFY_RECORDS,
  );
  records.length = 0;
  elapsed = stopwatch();
  const offline = verifyExport(jsonl, manifest, publicKey);
  const { seconds: offlineSeconds, cpuSeconds: offlineCpu } = elapsed();
  if (!offline.ok) throw new Error(`the export did not verify: ${offline.breaks[0]?.message}`);
  console.log(
    `  verify export offline (${(jsonl.length / 1e6).toFixed(0)} MB JSON Lines + manifest with ${manifest.payload.streams.length.toLocaleString('en-US')} inclusion proofs): ${offline.records.toLocaleString('en-US')} records in ${offlineSeconds.toFixed(2)} s (cpu ${offlineCpu.toFixed(2)} s) = ${Math.round(offline.records / offlineSeconds).toLocaleString('en-US')} records/s; target 1,000,000 in <= ${VERIFY_TARGET_SECONDS} s: ${offlineSeconds <= VERIFY_TARGET_SECONDS ? 'meets' : 'MISSES'}`,
  );
}

export const auditBenchmark: Benchmark = {
  name: 'audit',
  description: 'audit trail: append latency p99 on DynamoDB Local; verify throughput on 1,000,000 records (target <= 20 s)',
  async run() {
    await appendLatency();
    await verifyThroughput();
  },
};
