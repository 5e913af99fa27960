import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { SqsDeadLetters } from '../../lambda/modules/allowlist/adapters';
import { QUEUES } from '../../lambda/config/system';
import { sqsClient } from '../../lambda/platform/aws/sqs';
import { EXIT } from '../../bin/cli/output';
import { runCliAsync } from '../helpers/cli';
import { provisionFresh } from '../helpers/local-env';

interface Listed {
  queues: {
    name: string;
    configured: boolean;
    note?: string;
    count?: number;
    letters?: { messageId: string; code?: string; reason?: string; body: string }[];
  }[];
}

/** What the consumers' queues hold now (received and left to reappear at once). */
async function bodiesIn(queueUrl: string): Promise<string[]> {
  const { Messages = [] } = await sqsClient().send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 1 }),
  );
  return Messages.map((message) => message.Body ?? '');
}

describe('cli dlq over every dead-letter queue (the deployment variables, here on fauxqs)', () => {
  let env: Record<string, string>;
  const dlq = async (...args: string[]) => {
    const result = await runCliAsync(['dlq', ...args], { env });
    return result;
  };

  beforeAll(async () => {
    env = await provisionFresh();
    // Moved by the queues' redrive policies after their last receive: the bodies only.
    await sqsClient().send(new SendMessageCommand({ QueueUrl: env[QUEUES.kyc.deadLetterEnvVar], MessageBody: '{"eventKey":"kyc-1"}' }));
    await sqsClient().send(new SendMessageCommand({ QueueUrl: env[QUEUES.kyc.deadLetterEnvVar], MessageBody: '{"eventKey":"kyc-2"}' }));
    await sqsClient().send(new SendMessageCommand({ QueueUrl: env[QUEUES.screening.deadLetterEnvVar], MessageBody: '{"investorId":"inv-1"}' }));
    // The allowlist worker's own dead letter, with its reason.
    await new SqsDeadLetters(sqsClient(), env[QUEUES.allowlist.deadLetterEnvVar]!).send(
      { body: '{"action":"add"}', group: '31337:0xregistry', key: 'k-1' },
      { code: 'REVERTED', reason: 'execution reverted: agent role missing', attempts: 3 },
    );
  });

  it('lists each queue by name with its letters and their reason, and says which are not configured', async () => {
    const { status, stdout, stderr } = await dlq('list', '--json');
    expect(stderr).toBe('');
    expect(status).toBe(EXIT.ok);
    const { queues } = JSON.parse(stdout) as Listed;
    const byName = Object.fromEntries(queues.map((queue) => [queue.name, queue]));
    expect(byName.kyc).toMatchObject({ configured: true, count: 2 });
    expect(byName.kyc!.letters!.map((letter) => letter.body).sort()).toEqual(['{"eventKey":"kyc-1"}', '{"eventKey":"kyc-2"}']);
    expect(byName.kyc!.letters![0]).toMatchObject({ code: 'MAX_RECEIVES' });
    expect(byName.screening).toMatchObject({ configured: true, count: 1, letters: [{ body: '{"investorId":"inv-1"}' }] });
    expect(byName.allowlist).toMatchObject({ configured: true, count: 1, letters: [{ code: 'REVERTED', reason: 'execution reverted: agent role missing' }] });
    expect(byName.sanctionsRefreshInvocations).toEqual({
      name: 'sanctionsRefreshInvocations',
      configured: false,
      note: 'not configured: set SANCTIONS_REFRESH_INVOCATIONS_DLQ_URL (stack output SanctionsRefreshInvocationsDeadLetterQueueArn)',
    });

    const human = await dlq('list');
    expect(human.stdout).toMatch(/^kyc: 2 dead letters$/m);
    expect(human.stdout).toMatch(/^screening: 1 dead letter$/m);
    expect(human.stdout).toMatch(/^allowlist: 1 dead letter$/m);
    expect(human.stdout).toMatch(/REVERTED {2}group 31337:0xregistry {2}attempts 3/);
    expect(human.stdout).toMatch(/^4 dead letters in all\.$/m);
  });

  it('redrives one named letter, then a whole queue, back to the queue it came from', async () => {
    const { queues } = JSON.parse((await dlq('list', '--queue', 'kyc', '--json')).stdout) as Listed;
    expect(queues.map((queue) => queue.name)).toEqual(['kyc']);
    const first = queues[0]!.letters![0]!;

    const one = await dlq('redrive', '--id', first.messageId, '--json');
    expect(one.status).toBe(EXIT.ok);
    expect(JSON.parse(one.stdout)).toMatchObject({
      redriven: [first.messageId],
      queues: expect.arrayContaining([{ queue: 'kyc', messageIds: [first.messageId] }]),
    });
    expect(await bodiesIn(env[QUEUES.kyc.envVar]!)).toEqual([first.body]);

    const screening = await dlq('redrive', '--queue', 'screening');
    expect(screening.stdout).toBe('redrove 1 message(s): screening 1\n');
    expect(await bodiesIn(env[QUEUES.screening.envVar]!)).toEqual(['{"investorId":"inv-1"}']);

    const left = JSON.parse((await dlq('list', '--json')).stdout) as Listed;
    expect(Object.fromEntries(left.queues.filter((queue) => queue.configured).map((queue) => [queue.name, queue.count]))).toEqual({
      kyc: 1,
      screening: 0,
      allowlist: 1,
      token: 0,
    });
  });

  it('names a message it cannot find, and an unknown queue', async () => {
    const missing = await dlq('redrive', '--queue', 'screening', '--id', 'no-such-message');
    expect(missing.status).toBe(EXIT.usage);
    expect(missing.stderr).toMatch(/1 of the named messages are in none of these dead-letter queues: no-such-message/);
    const unknown = await dlq('list', '--queue', 'nope');
    expect(unknown.status).toBe(EXIT.usage);
    expect(unknown.stderr).toMatch(/no dead-letter queue nope; they are: screening, allowlist, kyc, token, kycExpiryInvocations/);
  });
});
