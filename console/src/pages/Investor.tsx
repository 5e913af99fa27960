import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { query, segment } from '../api';
import { useApi, useSession } from '../app-context';
import { Badge, Facts, Loading, usePageTitle } from '../components';
import { ErrorNotice } from '../errors';
import { age, dateTime, label, score, shortId } from '../format';
import { can } from '../permissions';
import { href } from '../router';
import type { CaseSummary, Investor, KycHistory, Screening, WalletStates } from '../types';

export function InvestorLookup() {
  usePageTitle('Investors');
  const [investorId, setInvestorId] = useState('');
  const id = useId();
  const open = (event: FormEvent) => {
    event.preventDefault();
    if (investorId.trim()) window.location.hash = href.investor(investorId.trim());
  };
  return (
    <section>
      <h1>Investors</h1>
      <form onSubmit={open} className="lookup">
        <div className="field">
          <label htmlFor={id}>Investor id</label>
          <input id={id} type="text" value={investorId} onChange={(event) => setInvestorId(event.target.value)} autoComplete="off" />
        </div>
        <button type="submit">Open</button>
      </form>
      <p className="help">Cases link to their investor; the id is also in the portal’s registration answer.</p>
    </section>
  );
}

function StatusBadge({ status }: { status: string }) {
  const tone =
    status === 'allowlisted' || status === 'eligible'
      ? 'good'
      : status === 'suspended' || status === 'kyc_rejected' || status === 'offboarded'
        ? 'bad'
        : 'warn';
  return (
    <Badge tone={tone}>
      <span data-testid="investor-status">{status.replace(/_/g, ' ')}</span>
    </Badge>
  );
}

export function InvestorPage({ investorId }: { investorId: string }) {
  usePageTitle(`Investor ${investorId}`);
  const api = useApi();
  const { role } = useSession();
  const path = `/investors/${segment(investorId)}`;
  const investor = useQuery({ queryKey: ['investor', investorId], queryFn: () => api.get<Investor>(path), retry: false, refetchInterval: 10_000 });
  const kyc = useQuery({
    queryKey: ['investor-kyc', investorId],
    queryFn: () => api.get<KycHistory>(`${path}/kyc`),
    retry: false,
    enabled: can(role, 'GET /investors/{investorId}/kyc'),
  });
  const screenings = useQuery({
    queryKey: ['investor-screenings', investorId],
    queryFn: () => api.get<{ screenings: Screening[] }>(`${path}/screenings`),
    retry: false,
    enabled: can(role, 'GET /investors/{investorId}/screenings'),
  });
  const wallets = useQuery({
    queryKey: ['investor-wallets', investorId],
    queryFn: () => api.get<WalletStates>(`${path}/wallets`),
    retry: false,
    refetchInterval: 10_000,
    enabled: can(role, 'GET /investors/{investorId}/wallets'),
  });
  const showCases = can(role, 'GET /cases');
  const cases = useQuery({
    queryKey: ['investor-cases', investorId],
    queryFn: () => api.get<{ cases: CaseSummary[] }>(`/cases${query({ investorId })}`),
    retry: false,
    enabled: showCases,
    refetchInterval: 10_000,
  });

  if (investor.error)
    return (
      <section>
        <h1>Investor {investorId}</h1>
        <ErrorNotice error={investor.error} action="opening this investor" />
      </section>
    );
  if (!investor.data) return <Loading what="the investor" />;
  const found = investor.data;
  return (
    <article>
      <h1>
        {found.legalName} <code className="case-id">{found.investorId}</code>
      </h1>
      <Facts
        items={[
          ['Status', <StatusBadge status={found.status} />],
          ['Suspension', found.suspension ? `${found.suspension.kind}: ${found.suspension.reason} (${dateTime(found.suspension.at)})` : '—'],
          ['Type', found.type],
          ['Date of birth', found.dateOfBirth ?? '—'],
          ['Country of residence', found.countryOfResidence],
          ['Nationality', found.nationality ?? '—'],
          ['External id', found.externalId],
          ['Registered', dateTime(found.createdAt)],
          ['Last change', dateTime(found.updatedAt)],
        ]}
      />

      <section aria-labelledby="wallets-heading">
        <h2 id="wallets-heading">Wallets on every chain</h2>
        {wallets.error ? <ErrorNotice error={wallets.error} action="reading the chains" /> : null}
        {wallets.data ? <ChainProgress states={wallets.data} /> : null}
        {wallets.data ? <WalletTable states={wallets.data} /> : !wallets.error ? <Loading what="the chains" /> : null}
      </section>

      {showCases ? (
        <section aria-labelledby="cases-heading">
          <h2 id="cases-heading">Open cases</h2>
          {cases.error ? <ErrorNotice error={cases.error} action="loading the cases" /> : null}
          {cases.data ? (
            cases.data.cases.length === 0 ? (
              <p>No open case.</p>
            ) : (
              <ul className="plain" data-testid="investor-cases">
                {cases.data.cases.map((summary) => (
                  <li key={summary.caseId}>
                    <a href={href.case(summary.caseId)}>
                      {label(summary.type)} {shortId(summary.caseId)}
                    </a>{' '}
                    · {label(summary.status)} · risk {label(summary.risk)} · {age(summary.ageHours)}
                    {summary.pastSla ? (
                      <>
                        {' '}
                        · <Badge tone="bad">Past SLA</Badge>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            )
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="kyc-heading">
        <h2 id="kyc-heading">KYC</h2>
        {found.kyc ? (
          <Facts
            items={[
              ['Vendor', found.kyc.vendor],
              ['Applicant', found.kyc.applicantId],
              ['Verdict', found.kyc.verdict ?? 'none yet'],
              ['Approved', dateTime(found.kyc.approvedAt)],
              ['Approval expires', dateTime(found.kyc.expiresAt)],
            ]}
          />
        ) : (
          <p>No KYC applicant yet.</p>
        )}
        {kyc.error ? <ErrorNotice error={kyc.error} action="loading the KYC history" /> : null}
        {kyc.data ? (
          <div className="table-wrap">
            <table data-testid="kyc-history">
              <caption>KYC history, oldest first{kyc.data.truncated ? ' (the oldest part of a very long trail)' : ''}</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">What</th>
                  <th scope="col">Who</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {kyc.data.events.map((event, index) => (
                  <tr key={`${event.stream}:${index}`}>
                    <td>{dateTime(event.at)}</td>
                    <td>{event.type}</td>
                    <td>{event.actor}</td>
                    <td>
                      {['vendor', 'verdict', 'reason', 'from', 'to', 'conflictingFields']
                        .filter((field) => event.data[field] !== undefined)
                        .map((field) => `${field}: ${String(event.data[field])}`)
                        .join(' · ') || '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="screenings-heading">
        <h2 id="screenings-heading">Screenings per list version</h2>
        {screenings.error ? <ErrorNotice error={screenings.error} action="loading the screenings" /> : null}
        {screenings.data ? (
          <div className="table-wrap">
            <table data-testid="screenings">
              <caption>{screenings.data.screenings.length} screenings, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">List version</th>
                  <th scope="col">Screened</th>
                  <th scope="col">Why</th>
                  <th scope="col">Verdict</th>
                  <th scope="col">Hits</th>
                </tr>
              </thead>
              <tbody>
                {screenings.data.screenings.map((screening) => (
                  <tr key={`${screening.listVersion}:${screening.screenedAt}`}>
                    <td>
                      <code>{screening.listVersion}</code>
                    </td>
                    <td>{dateTime(screening.screenedAt)}</td>
                    <td>{screening.reason}</td>
                    <td>{screening.verdict}</td>
                    <td>
                      {screening.matches.length === 0
                        ? 'no hit'
                        : screening.matches.map((match) => `SDN ${match.sdnId} ${match.name} (${label(match.matchedOn)}, ${score(match.score)})`).join('; ')}
                      {screening.staleMatches.length > 0 ? `; no longer listed: ${screening.staleMatches.map((match) => `SDN ${match.sdnId}`).join(', ')}` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </article>
  );
}

const flag = (value: boolean | undefined, yes: string, no: string) => (value ? <strong>{yes}</strong> : <span className="muted">{no}</span>);

/** Only an eligible or allowlisted investor's wallets are on their way to a chain that lacks them. */
const chainStateWords = (investorStatus: string): Record<WalletStates['chains'][number]['state'], string> => {
  const missing = investorStatus === 'eligible' || investorStatus === 'allowlisted' ? 'pending' : 'not registered';
  return { allowlisted: 'allowlisted', partial: missing, absent: missing, frozen: 'frozen', unavailable: 'could not be read' };
};

/** The investor's status turns allowlisted when the first chain confirms: this says which chains have every wallet. */
function ChainProgress({ states }: { states: WalletStates }) {
  const done = states.chains.filter((chain) => chain.state === 'allowlisted').length;
  const others = states.chains.filter((chain) => chain.state !== 'allowlisted');
  const words = chainStateWords(states.investorStatus);
  return (
    <p data-testid="chain-progress">
      Allowlisted on {done} of {states.chains.length} chains
      {others.length > 0 ? ` (${others.map((chain) => `${chain.chainName ?? chain.chainId}: ${words[chain.state]}`).join(', ')})` : ''}
    </p>
  );
}

function WalletTable({ states }: { states: WalletStates }) {
  const chains = states.wallets[0]?.chains ?? [];
  return (
    <div className="table-wrap">
      <table data-testid="wallet-states">
        <caption>Each wallet on each configured chain, read from the registries and tokens now</caption>
        <thead>
          <tr>
            <th scope="col">Wallet</th>
            {chains.map((chain) => (
              <th key={chain.chainId} scope="col">
                {chain.chainName ?? 'chain'} ({chain.chainId})
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {states.wallets.map((wallet) => (
            <tr key={wallet.wallet}>
              <th scope="row">
                <code>{wallet.wallet}</code>
              </th>
              {wallet.chains.map((chain) => (
                <td key={chain.chainId} data-testid={`wallet-${wallet.wallet}-${chain.chainId}`}>
                  {chain.state === 'unavailable' ? (
                    <span>could not be read just now</span>
                  ) : (
                    <>
                      {flag(chain.registered, 'registered', 'not registered')} · {flag(chain.verified, 'verified', 'not verified')} ·{' '}
                      {chain.frozen ? <Badge tone="bad">frozen</Badge> : <span className="muted">not frozen</span>}
                    </>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
