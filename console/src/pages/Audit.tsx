import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { query } from '../api';
import { useApi } from '../app-context';
import { Facts, usePageTitle } from '../components';
import { ErrorNotice } from '../errors';
import { dateTime } from '../format';
import type { AuditRecord, ExportResult, VerifyReport } from '../types';

const SUBJECTS = [
  ['stream', 'Stream (e.g. investor#<id>, case#<id>)'],
  ['investorId', 'Investor id'],
  ['caseId', 'Case id'],
  ['wallet', 'Wallet'],
] as const;
type Subject = (typeof SUBJECTS)[number][0];

interface AuditQueryForm {
  readonly subject: Subject;
  readonly value: string;
  readonly type: string;
  readonly from: string;
  readonly to: string;
}

const toQuery = (form: AuditQueryForm) => ({
  ...(form.value.trim() ? { [form.subject]: form.value.trim() } : {}),
  ...(form.type.trim() ? { type: form.type.trim() } : {}),
  ...(form.from ? { from: new Date(form.from).toISOString() } : {}),
  ...(form.to ? { to: new Date(form.to).toISOString() } : {}),
});

/** A file the browser saves, from text the API answered. */
function useDownload(text: string | undefined, type: string): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (text === undefined) return setUrl(undefined);
    const created = URL.createObjectURL(new Blob([text], { type }));
    setUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [text, type]);
  return url;
}

export function AuditPage() {
  usePageTitle('Audit trail');
  const api = useApi();
  const ids = { subject: useId(), value: useId(), type: useId(), from: useId(), to: useId(), verify: useId() };
  const [form, setForm] = useState<AuditQueryForm>({ subject: 'stream', value: '', type: '', from: '', to: '' });
  const [verifyStream, setVerifyStream] = useState('');
  const [records, setRecords] = useState<{ records: AuditRecord[]; cursor?: string }>();
  const set = (patch: Partial<AuditQueryForm>) => setForm((current) => ({ ...current, ...patch }));

  const browse = useMutation({
    mutationFn: (cursor?: string) => api.get<{ records: AuditRecord[]; cursor?: string }>(`/audit/records${query({ ...toQuery(form), limit: 100, cursor })}`),
    onSuccess: (page, cursor) =>
      setRecords((current) => ({ records: cursor && current ? [...current.records, ...page.records] : page.records, cursor: page.cursor })),
  });
  const verify = useMutation({ mutationFn: () => api.get<VerifyReport>(`/audit/verify${query({ stream: verifyStream.trim() || undefined })}`) });
  const exported = useMutation({ mutationFn: () => api.post<ExportResult>('/audit/exports', { query: toQuery(form), delivery: 'auto' }) });
  const publicKey = useMutation({ mutationFn: () => api.get<{ keyId: string; fingerprint: string; publicKeyPem: string }>('/audit/public-key') });

  const inline = exported.data?.delivery === 'inline' ? exported.data : undefined;
  const trailUrl = useDownload(inline?.jsonl, 'application/x-ndjson');
  const manifestUrl = useDownload(inline ? JSON.stringify(inline.manifest, null, 2) : undefined, 'application/json');
  const keyUrl = useDownload(publicKey.data?.publicKeyPem, 'application/x-pem-file');

  const search = (event: FormEvent) => {
    event.preventDefault();
    browse.mutate(undefined);
  };

  return (
    <section>
      <h1>Audit trail</h1>
      <section aria-labelledby="browse-heading">
        <h2 id="browse-heading">Browse</h2>
        <form onSubmit={search} className="filters">
          <div className="field">
            <label htmlFor={ids.subject}>Look up by</label>
            <select id={ids.subject} value={form.subject} onChange={(event) => set({ subject: event.target.value as Subject })}>
              {SUBJECTS.map(([value, text]) => (
                <option key={value} value={value}>
                  {text}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.value}>Value</label>
            <input id={ids.value} type="text" value={form.value} onChange={(event) => set({ value: event.target.value })} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor={ids.type}>Event type (optional)</label>
            <input id={ids.type} type="text" value={form.type} placeholder="e.g. investor.eligible" onChange={(event) => set({ type: event.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={ids.from}>From (optional)</label>
            <input id={ids.from} type="datetime-local" value={form.from} onChange={(event) => set({ from: event.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={ids.to}>To (optional)</label>
            <input id={ids.to} type="datetime-local" value={form.to} onChange={(event) => set({ to: event.target.value })} />
          </div>
          <div className="field field-actions">
            <button type="submit" disabled={browse.isPending}>
              Show records
            </button>
            <button type="button" className="secondary" disabled={exported.isPending} onClick={() => exported.mutate()}>
              Export these records
            </button>
          </div>
        </form>
        {browse.error ? <ErrorNotice error={browse.error} action="reading the audit trail" /> : null}
        {exported.error ? <ErrorNotice error={exported.error} action="the export" /> : null}
        {exported.data ? (
          <div className="notice notice-info" data-testid="export-ready">
            <p className="notice-title">
              Export ready: {exported.data.rowCount} records, with a signed manifest. Verify it offline with{' '}
              <code>cli audit verify-export trail.jsonl --manifest trail.jsonl.manifest.json --public-key audit-key.pem</code>.
            </p>
            {inline && trailUrl && manifestUrl ? (
              <p className="button-row">
                <a className="button" href={trailUrl} download="trail.jsonl">
                  Download the records (trail.jsonl)
                </a>
                <a className="button" href={manifestUrl} download="trail.jsonl.manifest.json">
                  Download the signed manifest
                </a>
              </p>
            ) : null}
            {exported.data.delivery === 'link' ? (
              <p className="button-row">
                <a className="button" href={exported.data.exportUrl} download="trail.jsonl">
                  Download the records (trail.jsonl)
                </a>
                <a className="button" href={exported.data.manifestUrl} download="trail.jsonl.manifest.json">
                  Download the signed manifest
                </a>
                <span className="help">The links expire in {Math.round(exported.data.expiresInSeconds / 60)} minutes.</span>
              </p>
            ) : null}
          </div>
        ) : null}
        {records ? (
          <div className="table-wrap">
            <table data-testid="audit-records">
              <caption>{records.records.length} records, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Stream</th>
                  <th scope="col">#</th>
                  <th scope="col">Type</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Data</th>
                </tr>
              </thead>
              <tbody>
                {records.records.map((record) => (
                  <tr key={`${record.stream}:${record.seq}`}>
                    <td>{dateTime(record.at)}</td>
                    <td>
                      <code>{record.stream}</code>
                    </td>
                    <td>{record.seq}</td>
                    <td>{record.type}</td>
                    <td>{record.actor}</td>
                    <td>
                      <code className="data">{JSON.stringify(record.data)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {records.cursor ? (
              <button type="button" className="secondary" disabled={browse.isPending} onClick={() => browse.mutate(records.cursor)}>
                Load more
              </button>
            ) : null}
          </div>
        ) : null}
      </section>

      <section aria-labelledby="verify-heading">
        <h2 id="verify-heading">Verify</h2>
        <form
          className="filters"
          onSubmit={(event) => {
            event.preventDefault();
            verify.mutate();
          }}
        >
          <div className="field">
            <label htmlFor={ids.verify}>Stream (empty: the whole trail)</label>
            <input id={ids.verify} type="text" value={verifyStream} onChange={(event) => setVerifyStream(event.target.value)} autoComplete="off" />
          </div>
          <div className="field field-actions">
            <button type="submit" disabled={verify.isPending}>
              Run verification
            </button>
          </div>
        </form>
        {verify.isPending ? (
          <p role="status" className="loading">
            Recomputing hash chains and checkpoints…
          </p>
        ) : null}
        {verify.error ? <ErrorNotice error={verify.error} action="the verification" /> : null}
        {verify.data ? <VerifyResult report={verify.data} /> : null}
      </section>

      <section aria-labelledby="key-heading">
        <h2 id="key-heading">Audit public key</h2>
        <p>Checks the signatures of checkpoints and export manifests. Compare its fingerprint with the one the fund publishes.</p>
        <button type="button" className="secondary" onClick={() => publicKey.mutate()} disabled={publicKey.isPending}>
          Get the public key
        </button>
        {publicKey.error ? <ErrorNotice error={publicKey.error} action="fetching the key" /> : null}
        {publicKey.data && keyUrl ? (
          <>
            <Facts
              items={[
                ['Key id', publicKey.data.keyId],
                ['SHA-256 fingerprint', <code>{publicKey.data.fingerprint}</code>],
              ]}
            />
            <a className="button" href={keyUrl} download="audit-key.pem">
              Download the public key (audit-key.pem)
            </a>
          </>
        ) : null}
      </section>
    </section>
  );
}

function VerifyResult({ report }: { report: VerifyReport }) {
  return (
    <div className={`notice ${report.ok ? 'notice-good' : 'notice-error'}`} data-testid="verify-result" role="status">
      <p className="notice-title">
        {report.ok
          ? `Verified: ${report.records} record${report.records === 1 ? '' : 's'} in ${report.streams} stream${report.streams === 1 ? '' : 's'}, ${report.checkpoints} checkpoint${report.checkpoints === 1 ? '' : 's'}; no break.`
          : `${report.breaks.length} break${report.breaks.length === 1 ? '' : 's'} found in ${report.records} records.`}
      </p>
      {report.lastCheckpoint ? (
        <p>
          Last checkpoint #{report.lastCheckpoint.number}, cut off {dateTime(report.lastCheckpoint.cutoff)}.
        </p>
      ) : null}
      {report.breaks.length > 0 ? (
        <ul>
          {report.breaks.map((found, index) => (
            <li key={index}>
              {found.kind}
              {found.stream ? ` in ${found.stream}` : ''}
              {found.seq !== undefined ? ` at seq ${found.seq}` : ''}: {found.message}
            </li>
          ))}
        </ul>
      ) : null}
      {report.warnings.length > 0 ? (
        <p>
          Worth a look: {report.warnings.length} record{report.warnings.length === 1 ? '' : 's'} that no checkpoint covers yet; only their hash links vouch for
          them until one does.
        </p>
      ) : null}
    </div>
  );
}
