import { Fragment, useEffect, useRef, type ReactNode } from 'react';
import { useAuth } from './auth';
import { can, ROLE_LABELS } from './permissions';
import { href, type Route } from './router';
import { matchedWords, normalised, wordsOf } from './names';

/** Sets the tab's title, so a person with several tabs (and a screen reader) knows which page this is. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Treasury compliance`;
  }, [title]);
}

function NavLink({ to, current, children }: { to: string; current: boolean; children: ReactNode }) {
  return (
    <a href={to} aria-current={current ? 'page' : undefined} className={current ? 'nav-current' : undefined}>
      {children}
    </a>
  );
}

export function Layout({ route, children }: { route: Route; children: ReactNode }) {
  const { session, signOut, expired } = useAuth();
  const main = useRef<HTMLElement>(null);
  // A new page moves focus to its content, as a page load would for keyboard and screen-reader users.
  useEffect(() => main.current?.focus(), [route]);
  const role = session?.role;
  return (
    <>
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="top">
        <p className="brand">Treasury compliance console</p>
        {role ? (
          <nav aria-label="Main">
            {can(role, 'GET /cases') ? (
              <NavLink to={href.queue()} current={route.page === 'queue' || route.page === 'case'}>
                Review queue
              </NavLink>
            ) : null}
            {can(role, 'GET /investors/{investorId}') ? (
              <NavLink to={href.investors()} current={route.page === 'investors' || route.page === 'investor'}>
                Investors
              </NavLink>
            ) : null}
            {can(role, 'GET /audit/records') ? (
              <NavLink to={href.audit()} current={route.page === 'audit'}>
                Audit trail
              </NavLink>
            ) : null}
          </nav>
        ) : null}
        {session ? (
          <div className="who" aria-label="Signed in">
            <span>
              Signed in as <strong data-testid="signed-in-subject">{session.displayName}</strong>
            </span>
            <span className="role-badge" data-testid="signed-in-role">
              {ROLE_LABELS[session.role]}
            </span>
            <button type="button" className="secondary" onClick={signOut}>
              Sign out
            </button>
          </div>
        ) : null}
      </header>
      {expired ? (
        <div className="notice notice-error" role="alert">
          <p className="notice-title">Your session has ended.</p>
          <p className="notice-next">Sign out and sign in again; what you typed on this page is kept until then in this tab.</p>
        </div>
      ) : null}
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

/** Label/value pairs as a description list. */
export function Facts({ items }: { items: readonly (readonly [string, ReactNode])[] }) {
  return (
    <dl className="facts">
      {items.map(([term, value]) => (
        <Fragment key={term}>
          <dt>{term}</dt>
          <dd>{value ?? '—'}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

export function Badge({ tone, children }: { tone: 'neutral' | 'good' | 'warn' | 'bad'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** A name with the words that match `against` marked: what the screening matched on. */
export function Highlighted({ name, against }: { name: string; against?: string }) {
  if (!against) return <>{name}</>;
  const matched = matchedWords(name, against);
  return (
    <>
      {wordsOf(name).map((part, index) =>
        matched.has(normalised(part)) && part.trim() !== '' ? (
          <mark key={index} className="matched">
            {part}
          </mark>
        ) : (
          <Fragment key={index}>{part}</Fragment>
        ),
      )}
    </>
  );
}
