import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import path from 'node:path';
import { ConfigurationError } from '../../lambda/config/env';
import { CliError, EXIT } from './output';

/** What `npm start` leaves in <work-dir>/session.json so the CLI can talk to the local API. */
export interface LocalSession {
  readonly apiUrl: string;
  readonly vendorSimulatorUrl?: string;
  readonly tokens: readonly { subject: string; role: string; token: string }[];
  /** The handlers' environment: table names, queue URLs, AWS endpoints, chain config. */
  readonly env: Readonly<Record<string, string>>;
}

export const SESSION_FILE = 'session.json';
/** Where `npm start` keeps its session unless told otherwise (`--work-dir`). */
export const DEFAULT_WORK_DIR = '.local';
/** Points every CLI command at another run's work directory (`npm start -- --work-dir <dir>`). */
export const WORK_DIR_ENV = 'TC_WORK_DIR';

/** Help of every command's `--work-dir` (no commander default: it is read when the command runs). */
export const WORK_DIR_HELP = `the local run's work directory (default: ${WORK_DIR_ENV} or ${DEFAULT_WORK_DIR})`;

/** The work directory CLI commands read the local session from: TC_WORK_DIR, else `.local`. */
export function defaultWorkDir(): string {
  return process.env[WORK_DIR_ENV] || DEFAULT_WORK_DIR;
}

/** Reads the session `npm start` left, or fails with what to do. */
export function readLocalSession(workDir = defaultWorkDir()): LocalSession {
  const file = path.join(workDir, SESSION_FILE);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LocalSession;
  } catch {
    throw new CliError(`No local session at ${file}: run \`npm start\` first (or pass --work-dir, or set ${WORK_DIR_ENV}, to the work directory of a run).`);
  }
}

/**
 * For commands that use AWS directly (queues, tables): on AWS the SDK's own configuration applies;
 * with `--local`, the endpoints, credentials and resource names of the running `npm start`.
 */
export function applyLocalEnv(options: { local?: boolean; workDir?: string }): void {
  if (options.local) Object.assign(process.env, readLocalSession(options.workDir).env);
}

/**
 * Builds a function's dependencies (its composition root in lambda/functions) for a command that
 * runs the same use case itself: the local run's resources with `--local`, else the deployment's
 * from the environment. A missing setting names what to set.
 */
export function composeFor<T>(options: { local?: boolean; workDir?: string }, compose: (env: NodeJS.ProcessEnv) => T): T {
  applyLocalEnv(options);
  try {
    return compose(process.env);
  } catch (error) {
    if (error instanceof ConfigurationError)
      throw new CliError(`${error.message}. Pass --local to use the running \`npm start\`, or set these variables for your deployment.`);
    throw error;
  }
}

export interface ApiTarget {
  readonly apiUrl: string;
  readonly token: string;
}

/**
 * Where to send API calls and with which token: flags, then TC_API_URL / TC_TOKEN, then the local
 * session of `npm start` (`--as <dev user>` picks one of its tokens).
 */
export function apiTarget(options: { apiUrl?: string; token?: string; as?: string; workDir?: string }): ApiTarget {
  const apiUrl = options.apiUrl ?? process.env.TC_API_URL;
  const token = options.token ?? process.env.TC_TOKEN;
  if (apiUrl && token) return { apiUrl, token };
  let session: LocalSession;
  try {
    session = readLocalSession(options.workDir);
  } catch {
    throw new CliError(
      `No API target: pass --api-url and --token (or set TC_API_URL and TC_TOKEN), or run \`npm start\` first so ${path.join(options.workDir ?? defaultWorkDir(), SESSION_FILE)} exists.`,
    );
  }
  if (!options.as) throw new CliError(`Pass --as <user> to act as one of the local dev users: ${session.tokens.map((t) => t.subject).join(', ')}`);
  const match = session.tokens.find((candidate) => candidate.subject === options.as || candidate.role === options.as);
  if (!match) throw new CliError(`No local dev user ${options.as}; known: ${session.tokens.map((t) => t.subject).join(', ')}`);
  return { apiUrl: apiUrl ?? session.apiUrl, token: token ?? match.token };
}

/** Calls the API; non-2xx answers become a CliError carrying the API's own message. */
export async function callApi<T>(target: ApiTarget, method: string, route: string, body?: unknown): Promise<T> {
  return (await requestApi<T>(target, method, route, body)).body;
}

/** The same, with the answer's status (e.g. 201 created or 200 already there). */
export async function requestApi<T>(target: ApiTarget, method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
  let response: Response;
  try {
    response = await fetch(`${target.apiUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${target.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new CliError(`Cannot reach the API at ${target.apiUrl}: ${(cause as Error).message}. Is \`npm start\` running?`, EXIT.failure);
  }
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string }; message?: string } | undefined) ?? {};
    throw new CliError(
      `${method} ${route} failed (${response.status}${error.error?.code ? ` ${error.error.code}` : ''}): ${error.error?.message ?? error.message ?? 'no details'}`,
      response.status >= 500 ? EXIT.failure : EXIT.refused,
    );
  }
  return { status: response.status, body: parsed as T };
}

/** The options of every command that calls the API; `defaultUser` is the local dev user or role it acts as. */
export function withApiOptions(command: Command, defaultUser: string): Command {
  return command
    .option('--api-url <url>', 'API base URL (default: TC_API_URL or the local session)')
    .option('--token <jwt>', 'bearer token (default: TC_TOKEN or the local session)')
    .option('--as <user>', 'local dev user or role from `npm start`', defaultUser)
    .option('--work-dir <dir>', WORK_DIR_HELP)
    .option('--json', 'print JSON', false);
}
