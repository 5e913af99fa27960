import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { useId, useState } from 'react';
import { query } from '../api';
import { Badge, Loading, usePageTitle } from '../components';
import { ErrorNotice } from '../errors';
import { age, dateTime, label } from '../format';
import { useApi, useSession } from '../app-context';
import { can } from '../permissions';
import { href } from '../router';
import { ACTIVE_STATUSES, CASE_RISKS, CASE_STATUSES, CASE_TYPES, type CaseSummary } from '../types';

/** How often the queue refreshes itself while it is on screen. */
export const QUEUE_REFRESH_MS = 10_000;

interface Filters {
  readonly status: string;
  readonly type: string;
  readonly risk: string;
  readonly assignee: string;
  readonly pastSla: boolean;
}

const NO_FILTERS: Filters = { status: '', type: '', risk: '', assignee: '', pastSla: false };

const features = tableFeatures({});
const column = createColumnHelper<typeof features, CaseSummary>();
const columns = column.columns([
  column.accessor('caseId', {
    header: 'Case',
    cell: (info) => (
      <a href={href.case(info.getValue())} className="id-link">
        {info.getValue()}
      </a>
    ),
  }),
  column.accessor('type', { header: 'Type', cell: (info) => label(info.getValue()) }),
  column.accessor('risk', {
    header: 'Risk',
    cell: (info) => <Badge tone={info.getValue() === 'high' ? 'bad' : info.getValue() === 'medium' ? 'warn' : 'neutral'}>{label(info.getValue())}</Badge>,
  }),
  column.accessor('ageHours', { header: 'Age', cell: (info) => <span title={`opened ${dateTime(info.row.original.openedAt)}`}>{age(info.getValue())}</span> }),
  column.accessor('pastSla', {
    header: 'SLA',
    cell: (info) => (info.getValue() ? <Badge tone="bad">Past SLA</Badge> : <span title={`due ${dateTime(info.row.original.slaDueAt)}`}>within</span>),
  }),
  column.accessor('status', { header: 'Status', cell: (info) => label(info.getValue()) }),
  column.accessor('assignee', { header: 'Assignee', cell: (info) => info.getValue() ?? '—' }),
  column.accessor('investorId', { header: 'Investor', cell: (info) => <InvestorRef investorId={info.getValue()} /> }),
]);

/** A link to the investor for roles that may open investors (auditors read them in the audit trail instead). */
function InvestorRef({ investorId }: { investorId: string | undefined }) {
  const { role } = useSession();
  if (!investorId) return <>—</>;
  if (!can(role, 'GET /investors/{investorId}')) return <code className="id-link">{investorId}</code>;
  return (
    <a href={href.investor(investorId)} className="id-link">
      {investorId}
    </a>
  );
}

function Select({
  label: text,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: readonly [string, string][];
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{text}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
    </div>
  );
}

export function QueuePage() {
  usePageTitle('Review queue');
  const api = useApi();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const assigneeId = useId();
  const set = (patch: Partial<Filters>) => setFilters((current) => ({ ...current, ...patch }));
  const common = { type: filters.type, risk: filters.risk, assignee: filters.assignee.trim() };

  const cases = useQuery({
    queryKey: ['cases', filters],
    queryFn: () =>
      api.get<{ cases: CaseSummary[] }>(
        `/cases${query({ ...common, status: filters.status || undefined, pastSla: filters.pastSla ? 'true' : undefined, limit: 500 })}`,
      ),
    refetchInterval: QUEUE_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  // Counts per status under the same type, risk and assignee filters, closed cases included.
  const counts = useQuery({
    queryKey: ['case-counts', common],
    queryFn: () => api.get<{ cases: CaseSummary[] }>(`/cases${query({ ...common, status: CASE_STATUSES.join(','), limit: 500 })}`),
    refetchInterval: QUEUE_REFRESH_MS,
    placeholderData: keepPreviousData,
  });

  const data = cases.data?.cases ?? EMPTY;
  const table = useTable({ features, columns, data });
  const countOf = (status: string) => counts.data?.cases.filter((found) => found.status === status).length;

  return (
    <section>
      <h1>Review queue</h1>
      <ul className="counts" aria-label="Cases per status">
        {CASE_STATUSES.map((status) => (
          <li key={status} data-testid={`count-${status}`}>
            <span className="count-label">{label(status)}</span> <span className="count-value">{countOf(status) ?? '…'}</span>
          </li>
        ))}
      </ul>
      <form className="filters" aria-label="Filter the queue" onSubmit={(event) => event.preventDefault()}>
        <Select
          label="Status"
          value={filters.status}
          onChange={(status) => set({ status })}
          options={[
            ['', `Active (${ACTIVE_STATUSES.map(label).join(', ').toLowerCase()})`],
            ...CASE_STATUSES.map((status) => [status, label(status)] as [string, string]),
          ]}
        />
        <Select
          label="Type"
          value={filters.type}
          onChange={(type) => set({ type })}
          options={[['', 'Any type'], ...CASE_TYPES.map((type) => [type, label(type)] as [string, string])]}
        />
        <Select
          label="Risk"
          value={filters.risk}
          onChange={(risk) => set({ risk })}
          options={[['', 'Any risk'], ...CASE_RISKS.map((risk) => [risk, label(risk)] as [string, string])]}
        />
        <div className="field">
          <label htmlFor={assigneeId}>Assignee</label>
          <input
            id={assigneeId}
            type="text"
            value={filters.assignee}
            placeholder="e.g. officer-alice"
            onChange={(event) => set({ assignee: event.target.value })}
          />
        </div>
        <div className="field field-check">
          <input id={`${assigneeId}-sla`} type="checkbox" checked={filters.pastSla} onChange={(event) => set({ pastSla: event.target.checked })} />
          <label htmlFor={`${assigneeId}-sla`}>Past SLA only</label>
        </div>
        <div className="field field-actions">
          <button type="button" className="secondary" onClick={() => setFilters(NO_FILTERS)}>
            Clear filters
          </button>
          <button type="button" className="secondary" onClick={() => void Promise.all([cases.refetch(), counts.refetch()])}>
            Refresh now
          </button>
        </div>
      </form>
      <p className="refreshed" aria-live="polite">
        {cases.isFetching
          ? 'Refreshing…'
          : cases.dataUpdatedAt
            ? `Updated ${dateTime(new Date(cases.dataUpdatedAt).toISOString())}; refreshes every ${QUEUE_REFRESH_MS / 1000} s.`
            : ''}
      </p>
      {cases.error ? <ErrorNotice error={cases.error} action="loading the queue" /> : null}
      {cases.isPending ? (
        <Loading what="the queue" />
      ) : (
        <div className="table-wrap">
          <table className="queue">
            <caption>
              {data.length} case{data.length === 1 ? '' : 's'}, past SLA first, then oldest first
            </caption>
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id}>
                  {group.headers.map((header) => (
                    <th key={header.id} scope="col">
                      {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                    </th>
                  ))}
                </tr>
              ))}
            </thead>
            <tbody>
              {table.getRowModel().rows.map((row) => (
                <tr key={row.id} className={row.original.pastSla ? 'row-past-sla' : undefined} data-case-id={row.original.caseId}>
                  {row.getAllCells().map((cell) => (
                    <td key={cell.id}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              ))}
              {data.length === 0 ? (
                <tr>
                  <td colSpan={columns.length}>No case matches these filters.</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const EMPTY: CaseSummary[] = [];
