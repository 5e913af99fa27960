import type { Command } from 'commander';
import { DeadLetterQueue } from '../../lambda/modules/allowlist/adapters';
import { sqsClient } from '../../lambda/platform/aws/sqs';
import { QUEUES } from '../../lambda/config/system';
import { CliError, emit } from './output';
import { progressBar } from './progress';
import { applyLocalEnv } from './session';

interface QueueOptions {
  readonly local?: boolean;
  readonly workDir?: string;
  readonly dlqUrl?: string;
  readonly queueUrl?: string;
  readonly json: boolean;
}

/** The allowlist DLQ and its source queue: flags, else the environment (`--local`: the running `npm start`). */
function deadLetterQueue(options: QueueOptions): DeadLetterQueue {
  applyLocalEnv(options);
  const deadLetterUrl = options.dlqUrl ?? process.env[QUEUES.allowlist.deadLetterEnvVar];
  const sourceUrl = options.queueUrl ?? process.env[QUEUES.allowlist.envVar];
  if (!deadLetterUrl || !sourceUrl)
    throw new CliError(
      `No queue URLs: pass --dlq-url and --queue-url (or set ${QUEUES.allowlist.deadLetterEnvVar} and ${QUEUES.allowlist.envVar}), or --local with \`npm start\` running.`,
    );
  return new DeadLetterQueue(sqsClient(), deadLetterUrl, sourceUrl);
}

function queueOptions(command: Command): Command {
  return command
    .option('--local', 'use the queues of the running `npm start`', false)
    .option('--work-dir <dir>', "the local session's work dir", '.local')
    .option('--dlq-url <url>', 'dead-letter queue URL (default: ALLOWLIST_DLQ_URL)')
    .option('--queue-url <url>', 'source queue URL for redrive (default: ALLOWLIST_QUEUE_URL)')
    .option('--json', 'print JSON', false);
}

/** `cli dlq list|redrive`: allowlist changes that failed, with the reason, and sending them back. */
export function register(program: Command): void {
  const dlq = program.command('dlq').description("The allowlist queue's dead letters: failed changes with their reason");
  queueOptions(dlq.command('list').description('List dead letters (nothing is consumed)')).action(async (options: QueueOptions) => {
    const letters = await deadLetterQueue(options).list();
    emit(options.json, letters, () =>
      letters.length === 0
        ? 'no dead letters'
        : letters
            .map(
              (letter) =>
                `${letter.messageId}  ${letter.code}  ${letter.group ?? '-'}  attempts ${letter.attempts ?? '-'}  ${letter.failedAt ?? ''}\n    ${letter.reason}`,
            )
            .join('\n'),
    );
  });
  queueOptions(dlq.command('redrive').description('Send dead letters back to the allowlist queue (all, or those named with --id)'))
    .option('--id <messageId...>', 'only these messages')
    .action(async (options: QueueOptions & { id?: string[] }) => {
      const queue = deadLetterQueue(options);
      const total = options.id?.length ?? (await queue.list()).length;
      const bar = progressBar('redriving', total, { quiet: options.json });
      const moved = await queue.redrive({ messageIds: options.id, onProgress: () => bar.tick() });
      bar.stop();
      if (options.id && moved.length < options.id.length)
        throw new CliError(`${options.id.length - moved.length} of the named messages are not in the dead-letter queue`);
      emit(options.json, { redriven: moved.map((letter) => letter.messageId) }, () => `redrove ${moved.length} message(s) to the allowlist queue`);
    });
}
