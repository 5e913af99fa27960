import { spawn } from 'node:child_process';
import path from 'node:path';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deadLetterQueuesOf } from '../cli/dead-letters';
import type { ReadyLine } from '../local/runner-process';

const ROOT = path.resolve(__dirname, '..', '..');

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface SoakInvestor {
  readonly investorId: string;
  /** Forged, stale, malformed or oversize rejections were aimed at this investor: none may have changed them. */
  readonly targeted: boolean;
}

export type ApiCall = (method: string, route: string, role: string) => Promise<{ status: number; body: Record<string, unknown> }>;

/** The KYC events table's items of this run: accepted events are stored once each, refused bodies never. */
export async function checkStoredOnce(
  dynamo: DynamoDBDocumentClient,
  table: string,
  expected: { readonly accepted: ReadonlySet<string>; readonly refused: ReadonlySet<string> },
): Promise<Check[]> {
  const seen = new Map<string, number>();
  let unsettled = 0;
  for await (const page of paginateScan(
    { client: dynamo },
    { TableName: table, ProjectionExpression: 'bodySha256, #s', ExpressionAttributeNames: { '#s': 'state' } },
  )) {
    for (const item of page.Items ?? []) {
      const sha = String(item.bodySha256);
      if (!expected.accepted.has(sha) && !expected.refused.has(sha)) continue;
      seen.set(sha, (seen.get(sha) ?? 0) + 1);
      if (item.state === 'received') unsettled += 1;
    }
  }
  const missing = [...expected.accepted].filter((sha) => !seen.has(sha)).length;
  const twice = [...seen.values()].filter((count) => count > 1).length;
  const refusedStored = [...expected.refused].filter((sha) => seen.has(sha)).length;
  return [
    {
      name: 'every accepted delivery stored exactly once',
      ok: missing === 0 && twice === 0,
      detail: `${expected.accepted.size} accepted events: ${seen.size - refusedStored} stored, ${missing} missing, ${twice} stored more than once`,
    },
    { name: 'every stored event applied (none left received)', ok: unsettled === 0, detail: `${unsettled} still waiting for the worker` },
    { name: 'no refused delivery stored', ok: refusedStored === 0, detail: `${expected.refused.size} refused bodies, ${refusedStored} found in the table` },
  ];
}

/** Each investor's verdict applied once, the refused rejections aimed at them applied never, and their wallets where the status says. */
export async function checkInvestors(call: ApiCall, investors: readonly SoakInvestor[]): Promise<Check[]> {
  let appliedOnce = 0;
  let wrongCount = 0;
  let rejected = 0;
  let chainsAgree = 0;
  const disagreements: string[] = [];
  const statuses = new Map<string, number>();
  for (const { investorId } of investors) {
    const investor = await call('GET', `/investors/${investorId}`, 'operator');
    const status = String(investor.body.status);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const approvals = await call('GET', `/audit/records?investorId=${investorId}&type=investor.kyc_approved`, 'auditor');
    const revocations = await call('GET', `/audit/records?investorId=${investorId}&type=investor.kyc_rejected`, 'auditor');
    const count = (approvals.body.records as unknown[] | undefined)?.length ?? 0;
    if (count === 1) appliedOnce += 1;
    else wrongCount += 1;
    if (((revocations.body.records as unknown[] | undefined)?.length ?? 0) > 0) rejected += 1;
    const wallets = await call('GET', `/investors/${investorId}/wallets`, 'operator');
    const chains = (wallets.body.chains as { chainName?: string; chainId: number; state: string }[] | undefined) ?? [];
    const expected = status === 'allowlisted' ? 'allowlisted' : 'absent';
    const off = chains.filter((chain) => chain.state !== expected);
    if (off.length === 0 && chains.length > 0) chainsAgree += 1;
    else if (disagreements.length < 5) disagreements.push(`${investorId} ${status}: ${off.map((c) => `${c.chainName ?? c.chainId} ${c.state}`).join(', ')}`);
  }
  const byStatus = [...statuses].map(([status, n]) => `${n} ${status}`).join(', ');
  return [
    { name: "every investor's approval applied exactly once", ok: wrongCount === 0, detail: `${appliedOnce} of ${investors.length} (${byStatus})` },
    {
      name: 'no refused rejection changed an investor',
      ok: rejected === 0,
      detail: `${investors.filter((i) => i.targeted).length} investors targeted by refused rejections, ${rejected} show a rejection`,
    },
    {
      name: "every investor's wallets in the state their status implies on every chain",
      ok: chainsAgree === investors.length,
      detail: `${chainsAgree} of ${investors.length}${disagreements.length ? `; e.g. ${disagreements.join('; ')}` : ''}`,
    },
  ];
}

/** Every dead-letter queue of the system empty (messages visible or in flight). */
export async function checkDeadLetters(sqs: SQSClient, env: ReadyLine['env']): Promise<Check> {
  // The scheduled functions' invocation queues exist on AWS only: locally the runner calls them itself.
  const queues = deadLetterQueuesOf()
    .filter((queue) => env[queue.envVar])
    .map((queue) => [queue.name, env[queue.envVar]!] as const);
  const counts = await Promise.all(
    queues.map(async ([name, url]) => {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
      );
      return [name, Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)] as const;
    }),
  );
  const full = counts.filter(([, count]) => count > 0);
  return {
    name: 'no message in any dead-letter queue',
    ok: full.length === 0,
    detail:
      full.length === 0
        ? `${queues.length} queues empty (${queues.map(([name]) => name).join(', ')})`
        : full.map(([name, count]) => `${name}: ${count}`).join(', '),
  };
}

/** `cli audit verify --local` against this run, as an auditor would run it. */
export function checkAuditVerify(workDir: string): Promise<Check> {
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['bin/cli.ts', 'audit', 'verify', '--local', '--work-dir', workDir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ name: '`cli audit verify` clean', ok: code === 0, detail: output.trim().split('\n')[0] ?? `exit ${code}` }));
  });
}
