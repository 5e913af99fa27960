import type { Command } from 'commander';
import { QUEUES } from '../../lambda/config/system';
import { sqsClient } from '../../lambda/platform/aws/sqs';
import {
  AllowlistDeadLetterQueue,
  StandardDeadLetterQueue,
  deadLetterQueuesOf,
  queueUrlOf,
  type DeadLetterQueueSpec,
  type DeadLetterReader,
  type Letter,
} from './dead-letters';
import { CliError, emit } from './output';
import { progressBar } from './progress';
import { WORK_DIR_HELP, applyLocalEnv } from './session';

interface QueueOptions {
  readonly local?: boolean;
  readonly workDir?: string;
  readonly queue?: string[];
  readonly dlqUrl?: string;
  readonly queueUrl?: string;
  readonly json: boolean;
}

/** A dead-letter queue as this run can reach it: `reader` is unset when its URL is not configured. */
interface Target {
  readonly spec: DeadLetterQueueSpec;
  readonly url?: string;
  readonly reader?: DeadLetterReader;
}

interface QueueReport {
  readonly name: string;
  readonly configured: boolean;
  readonly note?: string;
  readonly count?: number;
  readonly letters?: readonly Letter[];
}

/** The queues named with --queue (default all), with their URLs from the environment (`--local`: the running `npm start`). */
function targets(options: QueueOptions): Target[] {
  applyLocalEnv(options);
  // The options of the allowlist-only command this one grew from.
  if (options.dlqUrl) process.env[QUEUES.allowlist.deadLetterEnvVar] = options.dlqUrl;
  if (options.queueUrl) process.env[QUEUES.allowlist.envVar] = options.queueUrl;
  const all = deadLetterQueuesOf();
  const unknown = (options.queue ?? []).filter((name) => !all.some((spec) => spec.name === name));
  if (unknown.length > 0) throw new CliError(`no dead-letter queue ${unknown.join(', ')}; they are: ${all.map((spec) => spec.name).join(', ')}`);
  const chosen = options.queue ? all.filter((spec) => options.queue!.includes(spec.name)) : all;
  const found = chosen.map((spec) => target(spec));
  if (!found.some((candidate) => candidate.reader)) {
    throw new CliError(
      [
        'No dead-letter queue configured. Pass --local to use the running `npm start`, or set the URLs (or the ARNs the stack outputs) of:',
        ...chosen.map((spec) => `  ${spec.envVar}  (stack output ${spec.output}${spec.source ? `; redrive also needs ${spec.source.envVar}` : ''})`),
      ].join('\n'),
    );
  }
  return found;
}

function target(spec: DeadLetterQueueSpec): Target {
  const configured = process.env[spec.envVar];
  if (!configured) return { spec };
  const url = queueUrlOf(configured);
  const source = spec.source ? process.env[spec.source.envVar] : undefined;
  const sourceUrl = source ? queueUrlOf(source) : undefined;
  const reader =
    spec.source?.queue === 'allowlist' && sourceUrl
      ? new AllowlistDeadLetterQueue(sqsClient(), url, sourceUrl)
      : new StandardDeadLetterQueue(sqsClient(), url, sourceUrl);
  return { spec, url, reader };
}

function unconfigured(spec: DeadLetterQueueSpec, local: boolean): string {
  if (local && spec.scheduledFunction)
    return `AWS only: EventBridge's failed invocations of the scheduled ${spec.scheduledFunction.name} (npm start runs no EventBridge rules)`;
  return `not configured: set ${spec.envVar} (stack output ${spec.output})`;
}

function renderLetter(letter: Letter): string {
  const facts = [
    letter.code,
    letter.group ? `group ${letter.group}` : undefined,
    letter.attempts !== undefined ? `attempts ${letter.attempts}` : undefined,
    letter.receives !== undefined ? `received ${letter.receives}x` : undefined,
    letter.failedAt ?? (letter.sentAt ? `sent ${letter.sentAt}` : undefined),
  ].filter(Boolean);
  const body = letter.body.length > 300 ? `${letter.body.slice(0, 300)}…` : letter.body;
  return [`  ${letter.messageId}  ${facts.join('  ')}`, `      ${letter.reason ?? ''}`, `      body ${body}`].join('\n');
}

function renderReports(reports: readonly QueueReport[]): string {
  const lines = reports.flatMap((report) => {
    if (!report.configured) return [`${report.name}: ${report.note}`];
    const head = `${report.name}: ${report.count === 0 ? 'no dead letters' : `${report.count} dead letter${report.count === 1 ? '' : 's'}`}`;
    return [head, ...(report.letters ?? []).map(renderLetter)];
  });
  const total = reports.reduce((sum, report) => sum + (report.count ?? 0), 0);
  return [...lines, '', total === 0 ? 'No dead letters.' : `${total} dead letter${total === 1 ? '' : 's'} in all.`].join('\n');
}

function queueOptions(command: Command): Command {
  return command
    .option('--local', 'use the queues of the running `npm start`', false)
    .option('--work-dir <dir>', WORK_DIR_HELP)
    .option(
      '--queue <name...>',
      `only these queues: ${deadLetterQueuesOf()
        .map((spec) => spec.name)
        .join(', ')}`,
    )
    .option('--dlq-url <url>', `the allowlist dead-letter queue (default: ${QUEUES.allowlist.deadLetterEnvVar})`)
    .option('--queue-url <url>', `the allowlist queue, for redrive (default: ${QUEUES.allowlist.envVar})`)
    .option('--json', 'print JSON', false);
}

/** `cli dlq list|redrive`: every dead-letter queue (KYC, screening, allowlist, scheduled functions), by name. */
export function register(program: Command): void {
  const dlq = program
    .command('dlq')
    .description(
      "Dead letters of every queue (kyc, screening, allowlist) and of the scheduled functions' invocations (AWS): list them with their reason, send them back",
    );

  queueOptions(dlq.command('list').description('List the dead letters of each queue, by queue (nothing is consumed)'))
    .option('--max <n>', 'at most this many letters per queue', '1000')
    .action(async (options: QueueOptions & { max: string }) => {
      const max = Number(options.max);
      if (!Number.isInteger(max) || max < 1) throw new CliError('--max must be a whole number of at least 1');
      const reports: QueueReport[] = [];
      for (const { spec, reader } of targets(options)) {
        if (!reader) {
          reports.push({ name: spec.name, configured: false, note: unconfigured(spec, Boolean(options.local)) });
          continue;
        }
        const letters = await reader.list(max);
        reports.push({ name: spec.name, configured: true, count: Math.max(letters.length, await reader.count()), letters });
      }
      emit(options.json, { queues: reports }, () => renderReports(reports));
    });

  queueOptions(
    dlq
      .command('redrive')
      .description(
        "Send dead letters back to the queue they came from, after fixing the cause (all, or those named with --id); a scheduled function's have none: its next run does the work",
      ),
  )
    .option('--id <messageId...>', 'only these messages')
    .action(async (options: QueueOptions & { id?: string[] }) => {
      const chosen = targets(options);
      const redrivable = chosen.filter((candidate) => candidate.reader && candidate.spec.source);
      const counts = await Promise.all(redrivable.map((candidate) => candidate.reader!.count()));
      const bar = progressBar('redriving', options.id?.length ?? counts.reduce((sum, count) => sum + count, 0), { quiet: options.json, unit: 'messages' });
      const moved: { queue: string; messageIds: string[] }[] = [];
      for (const candidate of redrivable) {
        if (candidate.spec.source && !process.env[candidate.spec.source.envVar])
          throw new CliError(`redriving ${candidate.spec.name} needs its source queue: set ${candidate.spec.source.envVar}, or pass --local`);
        const letters = await candidate.reader!.redrive({ messageIds: options.id, onProgress: () => bar.tick() });
        moved.push({ queue: candidate.spec.name, messageIds: letters.map((letter) => letter.messageId) });
      }
      bar.stop();
      const left = await Promise.all(
        chosen
          .filter((candidate) => candidate.reader && candidate.spec.scheduledFunction)
          .map(async (candidate) => ({ candidate, count: await candidate.reader!.count() })),
      );
      const redriven = moved.flatMap((entry) => entry.messageIds);
      const missing = (options.id ?? []).filter((id) => !redriven.includes(id));
      const notes = left
        .filter(({ count }) => count > 0)
        .map(
          ({ candidate, count }) =>
            `${candidate.spec.name}: ${count} failed invocation(s) stay: they have no queue to go back to; the next scheduled run (${candidate.spec.scheduledFunction!.schedule}) does the work. Once the cause is fixed: aws sqs purge-queue --queue-url ${candidate.url}`,
        );
      emit(options.json, { redriven, queues: moved, ...(notes.length ? { notes } : {}) }, () =>
        [
          `redrove ${redriven.length} message(s)${moved.length ? `: ${moved.map((entry) => `${entry.queue} ${entry.messageIds.length}`).join(', ')}` : ''}`,
          ...notes,
        ].join('\n'),
      );
      if (missing.length > 0) throw new CliError(`${missing.length} of the named messages are in none of these dead-letter queues: ${missing.join(', ')}`);
    });
}
