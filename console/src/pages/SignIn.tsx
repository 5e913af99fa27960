import { useAuth } from '../auth';
import type { ConsoleConfig } from '../config';
import { usePageTitle } from '../components';
import { PEOPLE_ROLES, ROLE_LABELS } from '../permissions';

export function SignIn({ config }: { config: ConsoleConfig }) {
  usePageTitle('Sign in');
  const { signInDev, signInCognito } = useAuth();
  if (config.auth.mode === 'cognito') {
    return (
      <section className="sign-in">
        <h1>Sign in</h1>
        <p>Sign in with your account in the fund’s user pool. Multi-factor authentication is required.</p>
        <button type="button" onClick={() => void signInCognito()}>
          Sign in
        </button>
      </section>
    );
  }
  // The local run's dev identities; the portal is a machine and has no screens.
  const people = config.auth.identities.filter((identity) => PEOPLE_ROLES.includes(identity.role));
  return (
    <section className="sign-in">
      <h1>Sign in</h1>
      <p>
        This is the local run (<code>npm start</code>): pick one of its dev identities. On AWS, people sign in to the Cognito user pool with MFA instead.
      </p>
      <ul className="identities">
        {people.map((identity) => (
          <li key={identity.subject}>
            <button type="button" onClick={() => signInDev(identity)}>
              Sign in as {identity.subject}
              <span className="identity-role">{ROLE_LABELS[identity.role]}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
