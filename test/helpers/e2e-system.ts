import type { DeployedSuite } from '../../bin/local/chain-deploy';
import { E2E_SYSTEM_ENV } from './e2e-setup';

export interface RunningSystem {
  readonly apiUrl: string;
  readonly chains: readonly DeployedSuite[];
  readonly env: Record<string, string>;
  readonly tokens: readonly { subject: string; role: string; token: string }[];
}

/** What the local runner printed when it was ready (see e2e-setup.ts). */
export function runningSystem(): RunningSystem {
  const raw = process.env[E2E_SYSTEM_ENV];
  if (!raw) throw new Error('the local runner is not running: run this test through the jest e2e project');
  return JSON.parse(raw) as RunningSystem;
}

export function tokenFor(system: RunningSystem, role: string): string {
  const token = system.tokens.find((candidate) => candidate.role === role)?.token;
  if (!token) throw new Error(`no dev token for role ${role}`);
  return token;
}

export async function api(system: RunningSystem, method: string, path: string, options: { role?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.role) headers.authorization = `Bearer ${tokenFor(system, options.role)}`;
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${system.apiUrl}${path}`, { method, headers, body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
