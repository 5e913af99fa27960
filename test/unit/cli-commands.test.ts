import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { caseTable } from '../../bin/cli/cases';
import { renderChains } from '../../bin/cli/investors';
import { COMMANDS } from '../../bin/cli/commands';
import { deadLetterQueuesOf, queueUrlOf } from '../../bin/cli/dead-letters';
import { CliError, EXIT } from '../../bin/cli/output';
import { callApi } from '../../bin/cli/session';
import { FUNCTION_SPECS, QUEUES } from '../../lambda/config/system';
import type { CaseSummary } from '../../lambda/modules/cases';

/** The CLI as `bin/cli.ts` builds it, run in this process; resolves with the error a command ends with. */
async function cli(args: readonly string[]): Promise<unknown> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  for (const command of COMMANDS) command.register(program);
  try {
    await program.parseAsync(['node', 'cli', ...args]);
    return undefined;
  } catch (error) {
    return error;
  }
}

function leafCommands(command: Command, prefix: string[] = []): string[] {
  return command.commands.flatMap((sub) => (sub.commands.length === 0 ? [[...prefix, sub.name()].join(' ')] : leafCommands(sub, [...prefix, sub.name()])));
}

const NEEDS_NOTHING = ['screen', 'webhook verify', 'audit verify-export'];
const API_HINT = /pass --api-url and --token \(or set TC_API_URL and TC_TOKEN\), or run `npm start` first/;
const LOCAL_HINT = /Pass --local to use the running `npm start`/;
const SESSION_HINT = /No local session at .+: run `npm start` first \(or pass --work-dir, or set TC_WORK_DIR/;

/** Each command that needs configuration, as a user would type it, and the hint it must give without any. */
const WITHOUT_CONFIGURATION: Record<string, [string[], RegExp]> = {
  'investors register': [
    ['investors', 'register', '--external-id', 'p-1', '--legal-name', 'Jane Doe', '--dob', '1980-01-31', '--country', 'US', '--wallet', `0x${'1'.repeat(40)}`],
    API_HINT,
  ],
  'investors show': [['investors', 'show', 'inv-1'], API_HINT],
  'lists load': [['lists', 'load', '--dir', 'data/ofac/2024-05-03'], LOCAL_HINT],
  'lists current': [['lists', 'current'], LOCAL_HINT],
  'allowlist migrate-identities': [['allowlist', 'migrate-identities'], LOCAL_HINT],
  'dlq list': [['dlq', 'list'], /No dead-letter queue configured\. Pass --local to use the running `npm start`, or set .*KYC_DLQ_URL/s],
  'dlq redrive': [['dlq', 'redrive'], /No dead-letter queue configured\. Pass --local .*ALLOWLIST_DLQ_URL/s],
  'audit records': [['audit', 'records', '--investor-id', 'inv-1'], API_HINT],
  'audit export': [['audit', 'export', '--investor-id', 'inv-1', '--out', '/dev/null'], API_HINT],
  'audit public-key': [['audit', 'public-key'], API_HINT],
  'audit webhook-refusals': [['audit', 'webhook-refusals', '--json'], API_HINT],
  'audit verify': [['audit', 'verify'], LOCAL_HINT],
  'audit checkpoint': [['audit', 'checkpoint'], LOCAL_HINT],
  'kyc decide': [['kyc', 'decide', '--vendor', 'sumsub', '--applicant', 'a-1', '--verdict', 'approved'], SESSION_HINT],
  'token pause': [['token', 'pause', '--reason', 'incident'], API_HINT],
  'token unpause': [['token', 'unpause', '--reason', 'resolved'], API_HINT],
  'token approve': [['token', 'approve', 'op-1'], API_HINT],
  'token status': [['token', 'status'], API_HINT],
  'cases list': [['cases', 'list'], API_HINT],
  'cases show': [['cases', 'show', 'case_1'], API_HINT],
  'cases claim': [['cases', 'claim', 'case_1'], API_HINT],
  'cases release': [['cases', 'release', 'case_1'], API_HINT],
  'cases decide': [['cases', 'decide', 'case_1', '--disposition', 'false_positive', '--reason', 'r'], API_HINT],
  'cases approve': [['cases', 'approve', 'case_1'], API_HINT],
  'cases reject': [['cases', 'reject', 'case_1', '--reason', 'r'], API_HINT],
};

describe('the CLI without configuration', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    for (const name of Object.keys(process.env)) if (/^(TC_|AWS_)|_(TABLE|QUEUE_URL|DLQ_URL|BUCKET)$/.test(name)) delete process.env[name];
    process.env.TC_WORK_DIR = mkdtempSync(path.join(tmpdir(), 'tc-no-session-'));
  });
  afterAll(() => {
    process.env = saved;
  });

  it('covers every command that needs configuration', () => {
    const program = new Command();
    for (const command of COMMANDS) command.register(program);
    expect(leafCommands(program).sort()).toEqual([...Object.keys(WITHOUT_CONFIGURATION), ...NEEDS_NOTHING].sort());
  });

  it.each(Object.entries(WITHOUT_CONFIGURATION))('%s says what to set or to pass, and exits as a usage error', async (_name, [args, hint]) => {
    const error = await cli(args);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toMatch(hint);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
  });

  it('with --local and no run, says to start `npm start` (or where its session is)', async () => {
    for (const args of [
      ['lists', 'current', '--local'],
      ['audit', 'verify', '--local'],
      ['dlq', 'list', '--local'],
    ]) {
      expect(await cli(args)).toMatchObject({ exitCode: EXIT.usage, message: expect.stringMatching(SESSION_HINT) });
    }
  });
});

describe('API answers become exit codes', () => {
  const target = { apiUrl: 'http://api.invalid', token: 't' };
  const answer = (status: number, body: unknown) => jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(JSON.stringify(body), { status }));
  afterEach(() => jest.restoreAllMocks());

  it.each([400, 401, 403, 404, 409, 422])('%i: the API refused the request (exit 4), with its code and message; not a usage error', async (status) => {
    answer(status, { error: { code: 'SOME_CODE', message: 'the reason' } });
    const error = (await callApi(target, 'POST', '/cases/c/approve').catch((caught: unknown) => caught)) as CliError;
    expect(error).toMatchObject({ exitCode: EXIT.refused, message: `POST /cases/c/approve failed (${status} SOME_CODE): the reason` });
    expect(EXIT.refused).not.toBe(EXIT.usage);
  });

  it('5xx and an unreachable API are failures (exit 3)', async () => {
    answer(503, { error: { code: 'DEPENDENCY_UNAVAILABLE', message: 'retry' } });
    await expect(callApi(target, 'GET', '/x')).rejects.toMatchObject({ exitCode: EXIT.failure });
    jest.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('fetch failed'));
    await expect(callApi(target, 'GET', '/x')).rejects.toMatchObject({ exitCode: EXIT.failure, message: expect.stringMatching(/Is `npm start` running\?/) });
  });
});

describe('cases list', () => {
  const summary = (overrides: Partial<CaseSummary>): CaseSummary =>
    ({
      caseId: 'case_0123456789abcdef0123456789',
      type: 'potential_match',
      status: 'open',
      risk: 'high',
      ageHours: 3,
      pastSla: false,
      leaseActive: false,
      ...overrides,
    }) as CaseSummary;

  it('prints a header row naming each column above the cases', () => {
    const lines = caseTable([summary({}), summary({ status: 'claimed', assignee: 'officer-alice', leaseActive: true, pastSla: true, ageHours: 30 })]).split(
      '\n',
    );
    expect(lines[0]!.split(/\s+/)).toEqual(['CASE', 'TYPE', 'STATUS', 'RISK', 'AGE', 'SLA', 'ASSIGNEE']);
    expect(lines[1]!.split(/\s+/)).toEqual(['case_0123456789abcdef0123456789', 'potential_match', 'open', 'high', '3h', '-']);
    expect(lines[2]!.split(/\s+/)).toEqual(['case_0123456789abcdef0123456789', 'potential_match', 'claimed', 'high', '30h', 'PAST', 'SLA', 'officer-alice']);
    // Columns line up under their headers.
    for (const header of ['TYPE', 'STATUS', 'RISK', 'ASSIGNEE']) expect(lines[2]!.charAt(lines[0]!.indexOf(header))).not.toBe(' ');
  });
});

describe('the dead-letter queues cli dlq covers', () => {
  it('are one per queue and one per scheduled function, each with its variable and stack output', () => {
    const queues = deadLetterQueuesOf();
    expect(queues.map((queue) => queue.name).sort()).toEqual(
      [
        ...Object.keys(QUEUES),
        ...Object.entries(FUNCTION_SPECS)
          .filter(([, spec]) => spec.schedule)
          .map(([name]) => `${name}Invocations`),
      ].sort(),
    );
    expect(queues.find((queue) => queue.name === 'kyc')).toEqual({
      name: 'kyc',
      envVar: 'KYC_DLQ_URL',
      output: 'KycDeadLetterQueueArn',
      fifo: false,
      source: { queue: 'kyc', envVar: 'KYC_QUEUE_URL' },
    });
    expect(queues.find((queue) => queue.name === 'allowlist')).toMatchObject({
      envVar: 'ALLOWLIST_DLQ_URL',
      fifo: true,
      source: { envVar: 'ALLOWLIST_QUEUE_URL' },
    });
    expect(queues.find((queue) => queue.name === 'sanctionsRefreshInvocations')).toEqual({
      name: 'sanctionsRefreshInvocations',
      envVar: 'SANCTIONS_REFRESH_INVOCATIONS_DLQ_URL',
      output: 'SanctionsRefreshInvocationsDeadLetterQueueArn',
      fifo: false,
      scheduledFunction: { name: 'sanctionsRefresh', schedule: 'rate(1 hour)' },
    });
    expect(new Set(queues.map((queue) => queue.envVar)).size).toBe(queues.length);
  });

  it('are found by URL or by the ARN the stack outputs', () => {
    expect(queueUrlOf('arn:aws:sqs:eu-west-1:123456789012:TreasuryCompliance-KycQueueDeadLetterQueue-AbC123')).toBe(
      'https://sqs.eu-west-1.amazonaws.com/123456789012/TreasuryCompliance-KycQueueDeadLetterQueue-AbC123',
    );
    expect(queueUrlOf('arn:aws:sqs:us-east-1:123456789012:tc-allowlist-dlq.fifo')).toBe(
      'https://sqs.us-east-1.amazonaws.com/123456789012/tc-allowlist-dlq.fifo',
    );
    expect(queueUrlOf(' http://127.0.0.1:4566/000000000000/tc-local-kyc-dlq ')).toBe('http://127.0.0.1:4566/000000000000/tc-local-kyc-dlq');
  });
});

describe('`investors show` chains line', () => {
  it('counts the chains that have every wallet and names the others by what holds them up', () => {
    expect(
      renderChains([
        { chainId: 1, chainName: 'ethereum', state: 'allowlisted' },
        { chainId: 2, chainName: 'polygon', state: 'partial' },
        { chainId: 3, state: 'absent' },
        { chainId: 4, chainName: 'base', state: 'unavailable' },
        { chainId: 5, chainName: 'arbitrum', state: 'frozen' },
      ]),
    ).toBe('allowlisted on 1 of 5 (pending: polygon, 3; frozen: arbitrum; unavailable: base)');
    expect(renderChains([{ chainId: 1, chainName: 'ethereum', state: 'allowlisted' }])).toBe('allowlisted on 1 of 1');
  });
});
