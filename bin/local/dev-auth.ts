import jwt from 'jsonwebtoken';
import { randomBytes } from 'node:crypto';
import { API_SCOPE_SERVER, MACHINE_ROLES, type Role } from '../../lambda/config/system';

export interface DevUser {
  readonly subject: string;
  readonly role: Role;
}

/** Local users, one or two per role: four-eyes needs two different officers. */
export const DEV_USERS: readonly DevUser[] = [
  { subject: 'portal-app', role: 'portal' },
  { subject: 'officer-alice', role: 'compliance-officer' },
  { subject: 'officer-bob', role: 'compliance-officer' },
  { subject: 'auditor-carol', role: 'auditor' },
  { subject: 'operator-dave', role: 'operator' },
  { subject: 'responder-erin', role: 'emergency-responder' },
];

const ISSUER = 'treasury-compliance-local';

/**
 * Stands in for Cognito and API Gateway's JWT authorizer in the local run: issues HS256 tokens
 * with a per-run secret and verifies them, yielding the claims API Gateway would pass on.
 */
export class DevAuthority {
  private readonly secret = randomBytes(32);

  /** As Cognito issues them: people's roles as groups, a machine's (the portal's) as its client-credentials scope. */
  issue(user: DevUser): string {
    const role = MACHINE_ROLES.includes(user.role) ? { scope: `${API_SCOPE_SERVER}/${user.role}` } : { 'cognito:groups': [user.role] };
    return jwt.sign({ ...role, token_use: 'access' }, this.secret, { subject: user.subject, issuer: ISSUER, expiresIn: '30d', algorithm: 'HS256' });
  }

  /** Claims as API Gateway presents them (arrays flattened to `[a b]`), or undefined if the token is bad. */
  verify(authorization: string | undefined): Record<string, string | number | boolean> | undefined {
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return undefined;
    try {
      const claims = jwt.verify(token, this.secret, { issuer: ISSUER, algorithms: ['HS256'] }) as Record<string, unknown>;
      return Object.fromEntries(
        Object.entries(claims).map(([key, value]) => [key, Array.isArray(value) ? `[${value.join(' ')}]` : (value as string | number | boolean)]),
      );
    } catch {
      return undefined;
    }
  }
}
