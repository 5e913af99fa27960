import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { apiClient } from './api';
import { AppProvider } from './app-context';
import { AuthProvider, useAuth } from './auth';
import { Layout, usePageTitle } from './components';
import { loadConfig, type ConsoleConfig } from './config';
import { can } from './permissions';
import { href, useRoute, type Route } from './router';
import { AuditPage } from './pages/Audit';
import { CasePage } from './pages/Case';
import { InvestorLookup, InvestorPage } from './pages/Investor';
import { QueuePage } from './pages/Queue';
import { SignIn } from './pages/SignIn';
import type { Session } from './auth';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { refetchOnWindowFocus: false, retry: 1 },
    mutations: { retry: false },
  },
});

function NotAllowed({ what }: { what: string }) {
  usePageTitle('Not available to your role');
  return (
    <section>
      <h1>Not available to your role</h1>
      <p>Your role cannot see {what}. The menu above shows what you can use.</p>
    </section>
  );
}

/** Everyone starts where their work is. */
function Home({ session }: { session: Session }) {
  const { role } = session;
  useEffect(() => {
    window.location.replace(can(role, 'GET /cases') ? href.queue() : can(role, 'GET /investors/{investorId}') ? href.investors() : href.audit());
  }, [role]);
  return null;
}

function Page({ route, session }: { route: Route; session: Session }) {
  const { role } = session;
  switch (route.page) {
    case 'home':
      return <Home session={session} />;
    case 'queue':
      return can(role, 'GET /cases') ? <QueuePage /> : <NotAllowed what="the review queue" />;
    case 'case':
      return can(role, 'GET /cases/{caseId}') ? <CasePage key={route.caseId} caseId={route.caseId} /> : <NotAllowed what="cases" />;
    case 'investors':
      return can(role, 'GET /investors/{investorId}') ? <InvestorLookup /> : <NotAllowed what="investors" />;
    case 'investor':
      return can(role, 'GET /investors/{investorId}') ? <InvestorPage key={route.investorId} investorId={route.investorId} /> : <NotAllowed what="investors" />;
    case 'audit':
      return can(role, 'GET /audit/records') ? <AuditPage /> : <NotAllowed what="the audit trail" />;
    default:
      return (
        <section>
          <h1>No such page</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. <a href="#/">Go to the start page</a>.
          </p>
        </section>
      );
  }
}

function Console({ config }: { config: ConsoleConfig }) {
  const { session, markExpired } = useAuth();
  const route = useRoute();
  const api = useMemo(() => (session ? apiClient(config.apiUrl, session.token, markExpired) : undefined), [config.apiUrl, session, markExpired]);
  return (
    <Layout route={route}>
      {session && api ? (
        <AppProvider api={api} session={session}>
          <Page route={route} session={session} />
        </AppProvider>
      ) : (
        <SignIn config={config} />
      )}
    </Layout>
  );
}

async function start(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  try {
    const config = await loadConfig();
    root.render(
      <QueryClientProvider client={queryClient}>
        <AuthProvider auth={config.auth}>
          <Console config={config} />
        </AuthProvider>
      </QueryClientProvider>,
    );
  } catch (error) {
    root.render(
      <main id="main">
        <h1>The console could not start</h1>
        <p role="alert">Its configuration could not be read ({(error as Error).message}). Reload the page; if it persists, tell the operators.</p>
      </main>,
    );
  }
}

void start();
