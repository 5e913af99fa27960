import { useEffect, useState } from 'react';

/** The screens, as hash routes (`#/cases/<id>`), so the console is static files behind any host, CloudFront included. */
export type Route =
  | { readonly page: 'queue' }
  | { readonly page: 'case'; readonly caseId: string }
  | { readonly page: 'investors' }
  | { readonly page: 'investor'; readonly investorId: string }
  | { readonly page: 'audit' }
  | { readonly page: 'home' }
  | { readonly page: 'unknown'; readonly path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const [, first, second] = path.split('/').map(decodeURIComponent);
  if (path === '/') return { page: 'home' };
  if (first === 'queue' && !second) return { page: 'queue' };
  if (first === 'cases' && second) return { page: 'case', caseId: second };
  if (first === 'investors' && !second) return { page: 'investors' };
  if (first === 'investors' && second) return { page: 'investor', investorId: second };
  if (first === 'audit' && !second) return { page: 'audit' };
  return { page: 'unknown', path };
}

export const href = {
  queue: () => '#/queue',
  case: (caseId: string) => `#/cases/${encodeURIComponent(caseId)}`,
  investors: () => '#/investors',
  investor: (investorId: string) => `#/investors/${encodeURIComponent(investorId)}`,
  audit: () => '#/audit',
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}
