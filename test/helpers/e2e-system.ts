import type { ReadyLine } from '../../bin/local/runner-process';
import { E2E_SYSTEM_ENV } from './e2e-setup';

/** What the local runner printed when it was ready: the e2e tests' view of the system. */
export type RunningSystem = Pick<ReadyLine, 'apiUrl' | 'consoleUrl' | 'vendorSimulatorUrl' | 'chains' | 'env' | 'tokens'>;

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

export async function api(
  system: RunningSystem,
  method: string,
  path: string,
  options: { role?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.role) headers.authorization = `Bearer ${tokenFor(system, options.role)}`;
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${system.apiUrl}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
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

export interface Decision {
  readonly vendor: string;
  readonly applicantId: string;
  readonly verdict: string;
  readonly externalReference?: string;
  readonly person?: { firstName: string; lastName: string; dateOfBirth: string; country: string };
  readonly at?: string;
}

/** The simulated KYC vendor decides and delivers its signed webhook to the running API. */
export async function kycDecide(system: RunningSystem, decision: Decision): Promise<{ status: number; body: string }> {
  const response = await fetch(`${system.vendorSimulatorUrl}/_simulator/decide`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(decision),
  });
  return ((await response.json()) as { delivered: { status: number; body: string } }).delivered;
}

/** The person a vendor verifies, as the portal registered them: an approval without a conflict. */
export function personOf(registration: { legalName: string; dateOfBirth?: string; countryOfResidence: string }) {
  const parts = registration.legalName.trim().split(/\s+/);
  return {
    firstName: parts[0]!,
    lastName: parts.slice(1).join(' ') || parts[0]!,
    dateOfBirth: registration.dateOfBirth ?? '1970-01-01',
    country: registration.countryOfResidence,
  };
}

/**
 * Onboards as the portal and the vendor would: registration naming a KYC applicant, then the
 * vendor's verdict (approved unless told otherwise) about the person as registered.
 */
export async function registerWithKyc(
  system: RunningSystem,
  registration: { externalId: string; legalName: string; dateOfBirth?: string; countryOfResidence: string; wallets: string[]; type?: string },
  options: { vendor?: string; verdict?: string } = {},
): Promise<{ investorId: string; applicantId: string }> {
  const vendor = options.vendor ?? 'sumsub';
  const applicantId = `applicant-${registration.externalId}`;
  const created = await api(system, 'POST', '/investors', { role: 'portal', body: { ...registration, kyc: { vendor, applicantId } } });
  if (created.status !== 201) throw new Error(`registration answered ${created.status}: ${JSON.stringify(created.body)}`);
  const delivered = await kycDecide(system, {
    vendor,
    applicantId,
    verdict: options.verdict ?? 'approved',
    externalReference: registration.externalId,
    person: personOf(registration),
  });
  if (delivered.status !== 200) throw new Error(`the KYC webhook answered ${delivered.status}: ${delivered.body}`);
  return { investorId: created.body.investorId as string, applicantId };
}
