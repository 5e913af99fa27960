import { Option, type Command } from 'commander';
import { CASE_RISKS, CASE_STATUSES, CASE_TYPES, DISPOSITIONS, type CaseSummary, type CaseView } from '../../lambda/modules/cases';
import { CliError, emit } from './output';
import { apiTarget, callApi, withApiOptions } from './session';

interface ApiOptions {
  apiUrl?: string;
  token?: string;
  as?: string;
  workDir?: string;
  json: boolean;
}

/** Locally `compliance-officer` is officer-alice; `--as officer-bob` is the second officer four-eyes needs. */
const withApi = (command: Command) => withApiOptions(command, 'compliance-officer');

const path = (caseId: string, action?: string) => `/cases/${encodeURIComponent(caseId)}${action ? `/${action}` : ''}`;

/** The columns of `cases list`, in order: a header names each. */
const COLUMNS: readonly { header: string; width: number; cell: (view: CaseSummary) => string; alignRight?: boolean }[] = [
  { header: 'CASE', width: 31, cell: (view) => view.caseId },
  { header: 'TYPE', width: 15, cell: (view) => view.type },
  { header: 'STATUS', width: 16, cell: (view) => view.status },
  { header: 'RISK', width: 6, cell: (view) => view.risk },
  { header: 'AGE', width: 7, cell: (view) => `${view.ageHours}h`, alignRight: true },
  { header: 'SLA', width: 8, cell: (view) => (view.pastSla ? 'PAST SLA' : '') },
  {
    header: 'ASSIGNEE',
    width: 0,
    cell: (view) => (view.assignee ? `${view.assignee}${view.status === 'claimed' && !view.leaseActive ? ' (lapsed)' : ''}` : '-'),
  },
];

function row(cells: readonly string[]): string {
  return cells
    .map((cell, index) => (COLUMNS[index]!.alignRight ? cell.padStart(COLUMNS[index]!.width) : cell.padEnd(COLUMNS[index]!.width)))
    .join('  ')
    .trimEnd();
}

/** The review queue as a table: a header row, then one line per case. */
export function caseTable(views: readonly CaseSummary[]): string {
  return [row(COLUMNS.map((column) => column.header)), ...views.map((view) => row(COLUMNS.map((column) => column.cell(view))))].join('\n');
}

function render(view: CaseView): string {
  const decision = (label: string, d?: { disposition: string; reason: string; by: string; at: string }) =>
    d ? [`  ${label.padEnd(10)} ${d.disposition} by ${d.by} at ${d.at}: ${d.reason}`] : [];
  const resolution = view.resolution;
  return [
    `case ${view.caseId}  ${view.type}  ${view.status}  risk ${view.risk}`,
    `  opened     ${view.openedAt} (${view.ageHours}h ago; SLA due ${view.slaDueAt}${view.pastSla ? ', PAST SLA' : ''})`,
    ...(view.investorId ? [`  investor   ${view.investorId}`] : []),
    ...(view.assignee ? [`  assignee   ${view.assignee}${view.leaseExpiresAt ? ` (claim until ${view.leaseExpiresAt})` : ''}`] : []),
    ...decision('proposal', view.proposal),
    ...decision('rejected', view.rejection),
    ...decision('info', view.needsInfo),
    ...decision('escalated', view.escalation),
    ...decision('decision', resolution),
    ...(resolution?.approvedBy
      ? [`  approved   by ${resolution.approvedBy} at ${resolution.approvedAt}${resolution.approvalNote ? `: ${resolution.approvalNote}` : ''}`]
      : []),
    ...(resolution?.effects
      ? [`  effects    ${resolution.effects.summary}`]
      : view.effectsPending
        ? ['  effects    PENDING: approve again to apply them']
        : []),
    ...(resolution?.effects?.reportDueBy ? [`  OFAC report due by ${resolution.effects.reportDueBy}`] : []),
    '  evidence',
    ...JSON.stringify(view.evidence, null, 2)
      .split('\n')
      .map((text) => `    ${text}`),
  ].join('\n');
}

/** `cli cases ...`: the compliance officers' review queue, through the HTTP API. */
export function register(program: Command): void {
  const cases = program.command('cases').description("The compliance officers' review queue: list, show, claim, decide, approve (four-eyes)");

  withApi(cases.command('list').description('Cases past their SLA first, then oldest first (not closed unless --status says so)'))
    .option('--status <statuses>', `comma-separated: ${CASE_STATUSES.join(', ')}`)
    .addOption(new Option('--type <type>').choices(CASE_TYPES))
    .addOption(new Option('--risk <risk>').choices(CASE_RISKS))
    .option('--assignee <officer>', "an officer's subject, e.g. officer-alice")
    .option('--investor-id <id>', "an investor's cases")
    .option('--min-age-hours <hours>', 'opened at least this long ago')
    .option('--max-age-hours <hours>', 'opened at most this long ago')
    .option('--past-sla', 'only cases past their SLA')
    .option('--limit <n>', 'at most this many (1-500)', '100')
    .option('-q, --quiet', 'print only the case ids, one a line (for `CASE=$(...)`)', false)
    .action(
      async (
        options: ApiOptions & {
          status?: string;
          type?: string;
          risk?: string;
          assignee?: string;
          investorId?: string;
          minAgeHours?: string;
          maxAgeHours?: string;
          pastSla?: boolean;
          limit: string;
          quiet: boolean;
        },
      ) => {
        const filters = {
          status: options.status,
          type: options.type,
          risk: options.risk,
          assignee: options.assignee,
          investorId: options.investorId,
          minAgeHours: options.minAgeHours,
          maxAgeHours: options.maxAgeHours,
          pastSla: options.pastSla ? 'true' : undefined,
          limit: options.limit,
        };
        const params = new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => entry[1] !== undefined));
        const { cases: found } = await callApi<{ cases: CaseSummary[] }>(apiTarget(options), 'GET', `/cases?${params}`);
        if (options.quiet) return void process.stdout.write(found.map((view) => `${view.caseId}\n`).join(''));
        emit(options.json, { cases: found }, () => (found.length === 0 ? 'no cases' : caseTable(found)));
      },
    );

  withApi(cases.command('show').description('A case with its evidence snapshot (the view is recorded in the audit trail)').argument('<caseId>')).action(
    async (caseId: string, options: ApiOptions) => {
      const view = await callApi<CaseView>(apiTarget(options), 'GET', path(caseId));
      emit(options.json, view, () => render(view));
    },
  );

  withApi(cases.command('claim').description('Claim a case for 30 minutes (again to renew), or the next one in the queue with --next').argument('[caseId]'))
    .option('--next', 'claim the first open case in queue order', false)
    .addOption(new Option('--type <type>', 'with --next: only this type').choices(CASE_TYPES))
    .addOption(new Option('--risk <risk>', 'with --next: only this risk').choices(CASE_RISKS))
    .action(async (caseId: string | undefined, options: ApiOptions & { next: boolean; type?: string; risk?: string }) => {
      if (!caseId && !options.next) throw new CliError('name a case to claim, or pass --next');
      const target = apiTarget(options);
      const view = caseId
        ? await callApi<CaseView>(target, 'POST', path(caseId, 'claim'))
        : (await callApi<{ case: CaseView | null }>(target, 'POST', '/cases/claim-next', { type: options.type, risk: options.risk })).case;
      emit(options.json, { case: view }, () => (view ? render(view) : 'nothing to claim'));
    });

  withApi(cases.command('release').description('Give a claimed case back to the queue').argument('<caseId>')).action(
    async (caseId: string, options: ApiOptions) => {
      const view = await callApi<CaseView>(apiTarget(options), 'POST', path(caseId, 'release'));
      emit(options.json, view, () => `case ${view.caseId} is ${view.status}`);
    },
  );

  withApi(
    cases
      .command('decide')
      .description('Decide a case you hold; clearing a sanctions hit or confirming a match waits for a second officer')
      .argument('<caseId>'),
  )
    .addOption(new Option('--disposition <disposition>').choices(DISPOSITIONS).makeOptionMandatory())
    .requiredOption('--reason <text>', 'why, in words an auditor can follow')
    .action(async (caseId: string, options: ApiOptions & { disposition: string; reason: string }) => {
      const view = await callApi<CaseView>(apiTarget(options), 'POST', path(caseId, 'decision'), { disposition: options.disposition, reason: options.reason });
      emit(options.json, view, () =>
        view.status === 'pending_approval' ? `case ${view.caseId}: ${options.disposition} proposed; a second, different officer must approve it` : render(view),
      );
    });

  withApi(cases.command('approve').description("Approve another officer's pending decision: it takes effect now").argument('<caseId>'))
    .option('--note <text>', "the approver's note")
    .action(async (caseId: string, options: ApiOptions & { note?: string }) => {
      const view = await callApi<CaseView>(apiTarget(options), 'POST', path(caseId, 'approve'), options.note ? { note: options.note } : {});
      emit(options.json, view, () => render(view));
    });

  withApi(cases.command('reject').description("Send another officer's pending decision back to the queue").argument('<caseId>'))
    .requiredOption('--reason <text>', 'why')
    .action(async (caseId: string, options: ApiOptions & { reason: string }) => {
      const view = await callApi<CaseView>(apiTarget(options), 'POST', path(caseId, 'reject'), { reason: options.reason });
      emit(options.json, view, () => `case ${view.caseId} is ${view.status}: the proposal was rejected`);
    });
}
