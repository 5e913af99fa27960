import { ROUTES, type Role } from '../../lambda/config/system';

/** A route as the API names it, e.g. `POST /cases/{caseId}/claim`. */
export type RouteKey = `${'GET' | 'POST' | 'PUT' | 'DELETE'} /${string}`;

/**
 * Whether the role may call the route, from the same table the API enforces (lambda/config/system.ts):
 * the console hides what a role may not do, and the API refuses it all the same.
 */
export function can(role: Role, route: RouteKey): boolean {
  const spec = ROUTES.find((candidate) => `${candidate.method} ${candidate.path}` === route);
  if (!spec) throw new Error(`no route ${route}`);
  return spec.auth !== 'public' && spec.auth.includes(role);
}

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  'compliance-officer': 'Compliance officer',
  auditor: 'Auditor',
  operator: 'Operator',
  portal: 'Fund portal',
  'emergency-responder': 'Emergency responder',
};

/** People's roles, in the order a person holding several is shown as. */
export const PEOPLE_ROLES: readonly Role[] = ['compliance-officer', 'auditor', 'operator'];
