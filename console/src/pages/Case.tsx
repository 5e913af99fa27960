import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, segment } from '../api';
import { useApi, useSession } from '../app-context';
import { Badge, Facts, Highlighted, Loading, usePageTitle } from '../components';
import { useCaseDraft } from '../drafts';
import { ErrorNotice } from '../errors';
import { age, dateTime, label, score } from '../format';
import { can } from '../permissions';
import { href } from '../router';
import type { CaseHistory, CaseView, Disposition, ListedEntry, MatchEvidence } from '../types';

const SANCTIONS_TYPES = new Set(['potential_match', 'wallet_hit']);

const DISPOSITIONS: readonly { value: Disposition; text: string; sanctionsOnly?: boolean }[] = [
  { value: 'false_positive', text: 'False positive: not the listed party (clears the hit)' },
  { value: 'true_match', text: 'True match: the listed party (blocks the investor, freezes every wallet)', sanctionsOnly: true },
  { value: 'needs_info', text: 'Needs information: park the case until more is known' },
  { value: 'escalate', text: 'Escalate: raise the risk to high and return it to the queue for a senior officer' },
];

/** Decisions a second officer must approve (the API decides; this only says so beforehand). */
const needsSecondOfficer = (type: string, disposition: string) =>
  disposition === 'true_match' || (disposition === 'false_positive' && SANCTIONS_TYPES.has(type));

export function CasePage({ caseId }: { caseId: string }) {
  usePageTitle(`Case ${caseId}`);
  const api = useApi();
  // Every view of a case is an audit record: it is read when opened and after each action, never on a timer.
  const shown = useQuery({ queryKey: ['case', caseId], queryFn: () => api.get<CaseView>(`/cases/${segment(caseId)}`), staleTime: Infinity, retry: false });
  // Read after the case, each time it is: the history then holds this very view and every action before it.
  const history = useQuery({
    queryKey: ['case-history', caseId, shown.dataUpdatedAt],
    queryFn: () => api.get<CaseHistory>(`/cases/${segment(caseId)}/history`),
    enabled: shown.isSuccess,
    placeholderData: keepPreviousData,
    retry: false,
  });

  if (shown.error) {
    return (
      <section>
        <h1>Case {caseId}</h1>
        <ErrorNotice error={shown.error} action="opening this case" />
        <p>
          <a href={href.queue()}>Back to the review queue</a>
        </p>
      </section>
    );
  }
  if (!shown.data) return <Loading what="the case" />;
  const found = shown.data;
  return (
    <article>
      <p>
        <a href={href.queue()}>← Review queue</a>
      </p>
      <h1>
        {label(found.type)} <code className="case-id">{found.caseId}</code>
      </h1>
      <Summary found={found} />
      {SANCTIONS_TYPES.has(found.type) ? <MatchEvidenceView evidence={found.evidence} /> : <OtherEvidence evidence={found.evidence} />}
      <Actions found={found} />
      {found.resolution ? <ResolutionView found={found} /> : null}
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        {history.error ? <ErrorNotice error={history.error} action="loading the case's history" /> : null}
        {history.data ? <HistoryTable history={history.data} /> : !history.error ? <Loading what="the history" /> : null}
      </section>
    </article>
  );
}

function Summary({ found }: { found: CaseView }) {
  return (
    <Facts
      items={[
        ['Status', <span data-testid="case-status">{label(found.status)}</span>],
        ['Risk', <Badge tone={found.risk === 'high' ? 'bad' : found.risk === 'medium' ? 'warn' : 'neutral'}>{label(found.risk)}</Badge>],
        ['Age', `${age(found.ageHours)} (opened ${dateTime(found.openedAt)})`],
        ['SLA', found.pastSla ? <Badge tone="bad">Past SLA (due {dateTime(found.slaDueAt)})</Badge> : `due ${dateTime(found.slaDueAt)}`],
        [
          'Assignee',
          found.assignee
            ? `${found.assignee}${found.status === 'claimed' ? (found.leaseActive ? `, claimed until ${dateTime(found.leaseExpiresAt)}` : ', claim lapsed') : ''}`
            : '—',
        ],
        ['Investor', found.investorId ? <InvestorLink investorId={found.investorId} /> : '—'],
      ]}
    />
  );
}

function InvestorLink({ investorId }: { investorId: string }) {
  const { role } = useSession();
  return can(role, 'GET /investors/{investorId}') ? <a href={href.investor(investorId)}>{investorId}</a> : <code>{investorId}</code>;
}

function MatchEvidenceView({ evidence }: { evidence: MatchEvidence }) {
  const api = useApi();
  const sdnId = evidence.entry?.sdnId;
  const listed = useQuery({
    queryKey: ['listed-entry', evidence.listVersion, sdnId],
    queryFn: () => api.get<ListedEntry>(`/lists/${segment(evidence.listVersion!)}/entries/${sdnId}`),
    enabled: Boolean(evidence.listVersion && sdnId),
    staleTime: Infinity,
    retry: false,
  });
  const screened = evidence.screened ?? {};
  const entry = listed.data?.entry;
  const matchedName = evidence.matchedName ?? evidence.entry?.name;
  const hitWallet = evidence.wallet?.toLowerCase();
  return (
    <section aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">Evidence</h2>
      <p className="legend">
        Words that match between the two sides are <mark className="matched">marked</mark>.
      </p>
      <div className="compare">
        <section aria-labelledby="screened-heading" className="side" data-testid="screened">
          <h3 id="screened-heading">What was screened</h3>
          <Facts
            items={[
              ['Name', screened.name ? <Highlighted name={screened.name} against={matchedName} /> : '—'],
              ['Type', screened.type ?? '—'],
              ['Date of birth', screened.dateOfBirth ?? '—'],
              ['Country', screened.country ?? '—'],
              [
                'Wallets',
                screened.wallets?.length ? (
                  <ul className="plain">
                    {screened.wallets.map((wallet) => (
                      <li key={wallet}>{wallet.toLowerCase() === hitWallet ? <mark className="matched">{wallet}</mark> : wallet}</li>
                    ))}
                  </ul>
                ) : (
                  '—'
                ),
              ],
            ]}
          />
        </section>
        <section aria-labelledby="listed-heading" className="side" data-testid="listed">
          <h3 id="listed-heading">Listed entry{sdnId ? `: SDN ${sdnId}` : ''}</h3>
          {listed.error ? <ErrorNotice error={listed.error} action="loading the listed entry" /> : null}
          {entry ? (
            <Facts
              items={[
                ['SDN id', String(entry.sdnId)],
                ['Name', <Highlighted name={entry.name} against={screened.name} />],
                ['Type', entry.type],
                [
                  'Aliases',
                  entry.aliases.length ? (
                    <ul className="plain">
                      {entry.aliases.map((alias) => (
                        <li key={`${alias.kind}:${alias.name}`}>
                          <Highlighted name={alias.name} against={screened.name} />{' '}
                          <span className="muted">
                            ({alias.kind}
                            {alias.strength === 'weak' ? ', weak' : ''})
                          </span>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    'none'
                  ),
                ],
                ['Programs', entry.programs.join(', ') || '—'],
                ['Dates of birth', entry.datesOfBirth.map((date) => date.text).join('; ') || '—'],
                ['Countries', entry.countries.join(', ') || '—'],
                [
                  'Addresses',
                  entry.addresses?.length ? (
                    <ul className="plain">
                      {entry.addresses.map((address) => (
                        <li key={address}>{address}</li>
                      ))}
                    </ul>
                  ) : (
                    '—'
                  ),
                ],
                [
                  'Wallets',
                  entry.wallets.length ? (
                    <ul className="plain">
                      {entry.wallets.map((wallet) => (
                        <li key={wallet.address}>
                          {wallet.currency}: {wallet.address.toLowerCase() === hitWallet ? <mark className="matched">{wallet.address}</mark> : wallet.address}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    '—'
                  ),
                ],
                ['Remarks', entry.remarks ? <p className="remarks">{entry.remarks}</p> : '—'],
              ]}
            />
          ) : listed.isPending && sdnId ? (
            <Loading what="the listed entry" />
          ) : !listed.error ? (
            <Facts
              items={[
                ['Name', evidence.entry?.name ?? '—'],
                ['Programs', evidence.entry?.programs?.join(', ') ?? '—'],
              ]}
            />
          ) : null}
        </section>
      </div>
      <section aria-labelledby="match-heading">
        <h3 id="match-heading">The match</h3>
        <Facts
          items={[
            ['Matched field', <span data-testid="matched-field">{label(evidence.matchedOn)}</span>],
            ['Listed spelling that matched', evidence.matchedName ?? '—'],
            ['Score', <span data-testid="match-score">{score(evidence.score)}</span>],
            ['Date of birth', evidence.facts?.dateOfBirth?.replace(/_/g, ' ') ?? '—'],
            ['Country', evidence.facts?.country?.replace(/_/g, ' ') ?? '—'],
            ['Individual or entity', evidence.facts?.type?.replace(/_/g, ' ') ?? '—'],
            ['List version', <code data-testid="list-version">{evidence.listVersion ?? '—'}</code>],
            ['Screened at', dateTime(evidence.screenedAt)],
          ]}
        />
      </section>
    </section>
  );
}

function OtherEvidence({ evidence }: { evidence: Readonly<Record<string, unknown>> }) {
  return (
    <section aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">Evidence</h2>
      <Facts items={Object.entries(evidence).map(([key, value]) => [key, typeof value === 'string' ? value : <pre>{JSON.stringify(value, null, 2)}</pre>])} />
    </section>
  );
}

/** Claim, release, decide, approve, reject: what the signed-in officer may do with the case as it stands now. */
function Actions({ found }: { found: CaseView }) {
  const api = useApi();
  const { subject, role } = useSession();
  const client = useQueryClient();
  const { draft, update, clear } = useCaseDraft(found.caseId);
  const [problem, setProblem] = useState<string>();
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const rejectRef = useRef<HTMLTextAreaElement>(null);
  const ids = { disposition: useId(), reason: useId(), reasonHelp: useId(), note: useId(), reject: useId() };

  const act = useMutation({
    mutationFn: ({ action, body }: { action: string; body?: unknown; clears?: readonly (keyof typeof draft)[] }) =>
      api.post<CaseView>(`/cases/${segment(found.caseId)}/${action}`, body),
    onSuccess: (next, { clears }) => {
      client.setQueryData(['case', found.caseId], next);
      if (clears) clear(clears);
      void client.invalidateQueries({ queryKey: ['case-history', found.caseId] });
      void client.invalidateQueries({ queryKey: ['cases'] });
    },
    onError: (error) => {
      // The case moved on (another officer, a lapsed claim): show it as it is now; the draft stays.
      if (error instanceof ApiError && (error.status === 409 || error.status === 403 || error.status === 404))
        void client.invalidateQueries({ queryKey: ['case', found.caseId] });
      void client.invalidateQueries({ queryKey: ['case-history', found.caseId] });
    },
  });
  const run = (action: string, body?: unknown, clears?: readonly (keyof typeof draft)[]) => {
    setProblem(undefined);
    act.mutate({ action, body, clears });
  };
  const refuse = (message: string) => {
    act.reset();
    setProblem(message);
  };

  if (!can(role, 'POST /cases/{caseId}/claim')) {
    return (
      <section aria-labelledby="actions-heading">
        <h2 id="actions-heading">Actions</h2>
        <p data-testid="no-case-actions">Your role reads cases; only compliance officers claim, decide and approve them.</p>
      </section>
    );
  }

  const mine = found.assignee === subject;
  const claimable = found.status === 'open' || found.status === 'needs_info' || (found.status === 'claimed' && (!found.leaseActive || mine));
  const holding = found.status === 'claimed' && mine;
  const disposition = draft.disposition;
  const dispositions = DISPOSITIONS.filter((option) => !option.sanctionsOnly || SANCTIONS_TYPES.has(found.type));

  const decide = (event: FormEvent) => {
    event.preventDefault();
    if (!disposition) return refuse('Choose a disposition.');
    if (!draft.reason.trim()) {
      refuse('Write a reason: it is required and recorded in the audit trail.');
      return reasonRef.current?.focus();
    }
    run('decision', { disposition, reason: draft.reason }, ['disposition', 'reason']);
  };
  const reject = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.rejectReason.trim()) {
      refuse('Write why you reject the proposal: it is required and recorded in the audit trail.');
      return rejectRef.current?.focus();
    }
    run('reject', { reason: draft.rejectReason }, ['rejectReason']);
  };
  const decideShown = holding;
  const unsentReason = !decideShown && draft.reason.trim() ? draft.reason : undefined;

  return (
    <section aria-labelledby="actions-heading" className="actions">
      <h2 id="actions-heading">Actions</h2>
      {act.error ? <ErrorNotice error={act.error} action="this action" /> : null}
      {unsentReason ? (
        <div className="notice notice-warn" data-testid="kept-draft">
          <p className="notice-title">Your decision was not sent; it is kept here.</p>
          <p>
            {draft.disposition ? `${label(draft.disposition)}: ` : ''}
            <q data-testid="kept-reason">{unsentReason}</q>
          </p>
          <p className="notice-next">Claim the case again to submit it, or discard it.</p>
          <button type="button" className="secondary" onClick={() => clear(['disposition', 'reason'])}>
            Discard the draft
          </button>
        </div>
      ) : null}
      {problem ? (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      ) : null}
      {act.isPending ? (
        <p role="status" className="loading">
          Working…
        </p>
      ) : null}

      {found.status === 'claimed' && !mine && found.leaseActive ? (
        <p data-testid="claimed-by-other">
          Claimed by <strong>{found.assignee}</strong> until {dateTime(found.leaseExpiresAt)}. You can claim it once that claim lapses or is released.
        </p>
      ) : null}

      {claimable || holding ? (
        <div className="button-row">
          {claimable && !holding ? (
            <button type="button" onClick={() => run('claim')} disabled={act.isPending}>
              Claim
            </button>
          ) : null}
          {holding ? (
            <>
              <button type="button" className="secondary" onClick={() => run('claim')} disabled={act.isPending}>
                Renew claim
              </button>
              <button type="button" className="secondary" onClick={() => run('release')} disabled={act.isPending}>
                Release
              </button>
            </>
          ) : null}
        </div>
      ) : null}

      {decideShown ? (
        <form onSubmit={decide} className="decision" aria-labelledby="decide-heading" noValidate>
          <h3 id="decide-heading">Decide</h3>
          <fieldset>
            <legend>Disposition</legend>
            {dispositions.map((option) => (
              <div key={option.value} className="radio">
                <input
                  type="radio"
                  id={`${ids.disposition}-${option.value}`}
                  name="disposition"
                  value={option.value}
                  checked={disposition === option.value}
                  onChange={() => update({ disposition: option.value })}
                />
                <label htmlFor={`${ids.disposition}-${option.value}`}>{option.text}</label>
              </div>
            ))}
          </fieldset>
          {disposition && needsSecondOfficer(found.type, disposition) ? (
            <p className="four-eyes">Four-eyes: this decision takes effect only once a second, different officer approves it.</p>
          ) : null}
          <div className="field">
            <label htmlFor={ids.reason}>Reason (required)</label>
            <textarea
              id={ids.reason}
              ref={reasonRef}
              rows={4}
              required
              aria-describedby={ids.reasonHelp}
              value={draft.reason}
              onChange={(event) => update({ reason: event.target.value })}
            />
            <p id={ids.reasonHelp} className="help">
              Recorded in the audit trail with your name. Kept in this tab until the decision is accepted.
            </p>
          </div>
          <button type="submit" disabled={act.isPending}>
            Submit decision
          </button>
        </form>
      ) : null}

      {found.status === 'pending_approval' && found.proposal ? (
        <section aria-labelledby="proposal-heading" className="proposal">
          <h3 id="proposal-heading">Proposed decision</h3>
          <Facts
            items={[
              ['Disposition', <span data-testid="proposed-disposition">{label(found.proposal.disposition)}</span>],
              ['Reason', found.proposal.reason],
              ['Proposed by', `${found.proposal.by}, ${dateTime(found.proposal.at)}`],
            ]}
          />
          {found.proposal.by === subject ? (
            <p className="notice notice-info" data-testid="own-proposal">
              You proposed this decision, so you cannot approve or reject it: four-eyes needs a second, different compliance officer.
            </p>
          ) : (
            <div className="review">
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  run('approve', draft.note.trim() ? { note: draft.note } : {}, ['note']);
                }}
              >
                <div className="field">
                  <label htmlFor={ids.note}>Approval note (optional)</label>
                  <textarea id={ids.note} rows={2} value={draft.note} onChange={(event) => update({ note: event.target.value })} />
                </div>
                <button type="submit" disabled={act.isPending}>
                  Approve
                </button>
              </form>
              <form onSubmit={reject} noValidate>
                <div className="field">
                  <label htmlFor={ids.reject}>Why you reject it (required to reject)</label>
                  <textarea
                    id={ids.reject}
                    ref={rejectRef}
                    rows={2}
                    value={draft.rejectReason}
                    onChange={(event) => update({ rejectReason: event.target.value })}
                  />
                </div>
                <button type="submit" className="danger" disabled={act.isPending}>
                  Reject and return to the queue
                </button>
              </form>
            </div>
          )}
        </section>
      ) : null}

      {found.effectsPending ? (
        <div className="notice notice-info">
          <p>The decision was approved but its effects are not all applied yet (an interruption). Approving again resumes them.</p>
          <button type="button" onClick={() => run('approve')} disabled={act.isPending}>
            Resume the effects
          </button>
        </div>
      ) : null}
      {found.status === 'closed' && !found.effectsPending ? <p>This case is closed: there is nothing left to do.</p> : null}
    </section>
  );
}

function ResolutionView({ found }: { found: CaseView }) {
  const resolution = found.resolution!;
  const effects = resolution.effects;
  return (
    <section aria-labelledby="resolution-heading">
      <h2 id="resolution-heading">Resolution</h2>
      {effects?.reportDueBy ? (
        <p className="notice notice-warn" data-testid="report-due">
          OFAC blocked-property report due by <strong>{effects.reportDueBy}</strong> (10 business days after the blocking).
        </p>
      ) : null}
      <Facts
        items={[
          ['Decision', <span data-testid="resolution-disposition">{label(resolution.disposition)}</span>],
          ['Reason', resolution.reason],
          ['Decided by', `${resolution.by}, ${dateTime(resolution.at)}`],
          ['Approved by', resolution.approvedBy ? `${resolution.approvedBy}, ${dateTime(resolution.approvedAt)}` : 'no second officer needed'],
          ['Approval note', resolution.approvalNote ?? '—'],
          ['Effects', <span data-testid="effects-summary">{effects?.summary ?? 'not applied yet'}</span>],
          ['Investor status after', effects?.investorStatus ?? '—'],
        ]}
      />
    </section>
  );
}

const DETAIL_FIELDS = [
  'disposition',
  'reason',
  'note',
  'proposedBy',
  'from',
  'status',
  'leaseExpiresAt',
  'lapsedClaimOf',
  'summary',
  'investorStatus',
  'reportDueBy',
  'fromRisk',
];

function HistoryTable({ history }: { history: CaseHistory }) {
  return (
    <div className="table-wrap">
      <table data-testid="case-history">
        <caption>{history.records.length} records of this case’s audit stream, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Who</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {history.records.map((record) => (
            <tr key={record.seq}>
              <td>{record.seq}</td>
              <td>{dateTime(record.at)}</td>
              <td>{record.type.replace(/^case\./, '').replace(/_/g, ' ')}</td>
              <td>{record.actor}</td>
              <td>
                {DETAIL_FIELDS.filter((field) => record.data[field] !== undefined)
                  .map((field) => `${field}: ${String(record.data[field])}`)
                  .join(' · ') || '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
