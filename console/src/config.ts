import type { Role } from '../../lambda/config/system';

/** A dev identity of the local run (`npm start` prints the same ones): never served on AWS. */
export interface DevIdentity {
  readonly subject: string;
  readonly role: Role;
  readonly token: string;
}

export type AuthConfig =
  | { readonly mode: 'dev'; readonly identities: readonly DevIdentity[] }
  | {
      readonly mode: 'cognito';
      /** The user pool's issuer: `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
      readonly authority: string;
      readonly clientId: string;
      /** The managed login domain: `https://<prefix>.auth.<region>.amazoncognito.com`. */
      readonly domain: string;
      readonly scope: string;
    };

/** `config.json`, written next to the console: by the local runner, or by the stack's deployment on AWS. */
export interface ConsoleConfig {
  readonly apiUrl: string;
  readonly auth: AuthConfig;
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  const config = (await response.json()) as ConsoleConfig;
  return { ...config, apiUrl: config.apiUrl.replace(/\/+$/, '') };
}
