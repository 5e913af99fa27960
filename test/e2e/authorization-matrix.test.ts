import { ROLES, ROUTES } from '../../lambda/config/system';
import { api, runningSystem } from '../helpers/e2e-system';

const system = runningSystem();
const CALLERS = [...ROLES, 'no token'] as const;

/**
 * Every route of system.ts, called over HTTP by each role's dev token and without one. The probes
 * cannot change anything: ids that do not exist, bodies every schema refuses. A route a role may
 * call answers something other than 401/403 (a 400, a 404, a read); any other role gets 403, no token 401.
 */
function probe(route: (typeof ROUTES)[number]): { path: string; body?: unknown } {
  const path = route.path.replace(/\{\w+\}/g, 'matrix-probe');
  if (route.method === 'GET') return { path: `${path}?stream=matrix-probe` };
  return { path, body: { matrixProbe: true } };
}

describe('authorization matrix over the local API (dev JWTs)', () => {
  it.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))('%s admits exactly its roles', async (_routeKey, route) => {
    const { path, body } = probe(route);
    const answers: Record<string, number> = {};
    for (const caller of CALLERS) {
      answers[caller] = (await api(system, route.method, path, { role: caller === 'no token' ? undefined : caller, body })).status;
    }
    for (const caller of CALLERS) {
      const status = answers[caller]!;
      if (route.auth === 'public') {
        // Signature-authenticated: a token neither helps nor hurts.
        expect([caller, status]).toEqual([caller, answers['no token']]);
        expect(status).not.toBe(403);
      } else if (caller === 'no token') {
        expect([caller, status]).toEqual([caller, 401]);
      } else if ((route.auth as readonly string[]).includes(caller)) {
        expect([caller, status < 500 && status !== 401 && status !== 403]).toEqual([caller, true]);
      } else {
        expect([caller, status]).toEqual([caller, 403]);
      }
    }
  });
});
