import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Role } from '../../lambda/config/system';
import type { AuthConfig, DevIdentity } from './config';
import { PEOPLE_ROLES } from './permissions';

export interface Session {
  readonly token: string;
  readonly subject: string;
  readonly displayName: string;
  readonly role: Role;
}

interface AuthState {
  readonly session?: Session;
  /** Set when the API no longer accepts the token: the page stays as it is until the person signs in again. */
  readonly expired: boolean;
  readonly signInDev: (identity: DevIdentity) => void;
  readonly signInCognito: () => Promise<void>;
  readonly signOut: () => void;
  readonly markExpired: () => void;
}

const AuthContext = createContext<AuthState | undefined>(undefined);
const DEV_SESSION_KEY = 'treasury-compliance-console:dev-session';

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}

/** The claims of a JWT, unverified: the API verifies it; the console only reads who and which role to show. */
function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  const json = atob(
    payload
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(payload.length / 4) * 4, '='),
  );
  return JSON.parse(json) as Record<string, unknown>;
}

/** Cognito puts a person's groups (our roles) in `cognito:groups`; someone in several is shown with the first of PEOPLE_ROLES. */
export function roleOf(token: string): Role | undefined {
  const groups = claimsOf(token)['cognito:groups'];
  const held = Array.isArray(groups) ? groups.map(String) : [];
  return PEOPLE_ROLES.find((role) => held.includes(role));
}

function sessionOfUser(user: User): Session | undefined {
  const role = roleOf(user.access_token);
  if (!role) return undefined;
  const claims = claimsOf(user.access_token);
  const displayName = String(user.profile.email ?? claims.username ?? user.profile.sub);
  return { token: user.access_token, subject: String(claims.sub), displayName, role };
}

function cognitoManager(auth: Extract<AuthConfig, { mode: 'cognito' }>): UserManager {
  const origin = window.location.origin;
  return new UserManager({
    authority: auth.authority,
    client_id: auth.clientId,
    redirect_uri: `${origin}/`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: auth.scope,
    // Tokens live as long as the tab: nothing persists in localStorage.
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: true,
  });
}

export function AuthProvider({ auth, children }: { auth: AuthConfig; children: ReactNode }) {
  const manager = useMemo(() => (auth.mode === 'cognito' ? cognitoManager(auth) : undefined), [auth]);
  const [session, setSession] = useState<Session | undefined>(() => {
    if (auth.mode !== 'dev') return undefined;
    const stored = window.sessionStorage.getItem(DEV_SESSION_KEY);
    return stored ? (JSON.parse(stored) as Session) : undefined;
  });
  const [expired, setExpired] = useState(false);
  const [loading, setLoading] = useState(auth.mode === 'cognito');
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    if (!manager) return;
    const loaded = (user: User) => {
      setSession(sessionOfUser(user));
      setExpired(false);
    };
    manager.events.addUserLoaded(loaded);
    const params = new URLSearchParams(window.location.search);
    const finish = params.has('code') && params.has('state') ? manager.signinRedirectCallback() : manager.getUser();
    finish
      .then((user) => {
        // Back where the person was when they signed in (the hash route went through Cognito as the state).
        if (params.has('code')) window.history.replaceState(null, '', `${window.location.pathname}${typeof user?.state === 'string' ? user.state : ''}`);
        if (user && !user.expired) {
          const found = sessionOfUser(user);
          if (!found) setFailure('Your account is in none of the console’s groups (compliance-officer, auditor, operator). Ask an administrator to add you.');
          setSession(found);
        }
      })
      .catch((error: Error) => setFailure(`Signing in did not complete: ${error.message}`))
      .finally(() => setLoading(false));
    return () => manager.events.removeUserLoaded(loaded);
  }, [manager]);

  const signInDev = useCallback((identity: DevIdentity) => {
    const next: Session = { token: identity.token, subject: identity.subject, displayName: identity.subject, role: identity.role };
    window.sessionStorage.setItem(DEV_SESSION_KEY, JSON.stringify(next));
    setSession(next);
    setExpired(false);
  }, []);
  const signInCognito = useCallback(async () => {
    await manager?.signinRedirect({ state: window.location.hash });
  }, [manager]);
  const signOut = useCallback(() => {
    window.sessionStorage.removeItem(DEV_SESSION_KEY);
    setSession(undefined);
    setExpired(false);
    if (manager && auth.mode === 'cognito') {
      void manager.removeUser().then(() => {
        // Cognito's logout endpoint ends the managed login session too (it has no OIDC end_session_endpoint).
        const logout = new URL('/logout', auth.domain);
        logout.searchParams.set('client_id', auth.clientId);
        logout.searchParams.set('logout_uri', `${window.location.origin}/`);
        window.location.assign(logout.toString());
      });
    }
  }, [manager, auth]);
  const markExpired = useCallback(() => setExpired(true), []);

  const value = useMemo(
    () => ({ session, expired, signInDev, signInCognito, signOut, markExpired }),
    [session, expired, signInDev, signInCognito, signOut, markExpired],
  );
  if (loading) return <p className="loading">Signing in…</p>;
  return (
    <AuthContext.Provider value={value}>
      {failure && !session ? (
        <div className="notice notice-error" role="alert">
          <p className="notice-title">{failure}</p>
        </div>
      ) : null}
      {children}
    </AuthContext.Provider>
  );
}
