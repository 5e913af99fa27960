import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLocalSystem, type LocalSystem } from '../bin/local/system';
import type { TokenOperation, TokenStatus } from '../lambda/modules/token';
import type { Benchmark } from './benchmarks';

const CHAINS = 7;

async function call<T>(system: LocalSystem, role: string, method: string, route: string, body?: unknown, subject?: string): Promise<T> {
  const token = system.tokens.find((candidate) => (subject ? candidate.subject === subject : candidate.role === role))!.token;
  const response = await fetch(`${system.apiUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Polls the status until every chain answers `paused` as wanted with the operation done there; returns the status. */
async function until(system: LocalSystem, paused: boolean): Promise<TokenStatus> {
  for (;;) {
    const status = await call<TokenStatus>(system, 'auditor', 'GET', '/token/status');
    if (status.chains.length === CHAINS && status.chains.every((chain) => chain.paused === paused && chain.operation?.status === 'done')) return status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function gasOf(status: TokenStatus): string {
  const gas = status.chains.map((chain) => Number(chain.operation?.gasUsed ?? 0));
  return `${Math.min(...gas)}-${Math.max(...gas)} gas per chain`;
}

/**
 * The emergency pause on the local runner's seven Hardhat chains with the real T-REX token: the
 * time from the pause request to the token paused on every chain (each chain's `paused()` read
 * back through GET /token/status), and the same for a four-eyes unpause from its approval; gas
 * per operation from the receipts.
 */
export const emergencyBenchmark: Benchmark = {
  name: 'emergency',
  description: 'pause request to the token paused on all 7 local chains; unpause approval to unpaused; gas per operation',
  async run() {
    const workDir = mkdtempSync(path.join(tmpdir(), 'tc-bench-emergency-'));
    const system = await startLocalSystem({ chains: CHAINS, workDir });
    try {
      for (let round = 1; round <= 3; round++) {
        const started = performance.now();
        await call(system, 'emergency-responder', 'POST', '/token/pause', { reason: `benchmark round ${round}` });
        const paused = await until(system, true);
        const pauseMs = performance.now() - started;
        const { operation } = await call<{ operation: TokenOperation }>(
          system,
          'compliance-officer',
          'POST',
          '/token/unpause',
          { reason: 'benchmark' },
          'officer-alice',
        );
        const approved = performance.now();
        await call(system, 'compliance-officer', 'POST', `/token/operations/${operation.operationId}/approve`, undefined, 'officer-bob');
        const unpaused = await until(system, false);
        const unpauseMs = performance.now() - approved;
        console.log(
          `round ${round}: pause on ${CHAINS} chains ${pauseMs.toFixed(0)} ms (${gasOf(paused)}); unpause after approval ${unpauseMs.toFixed(0)} ms (${gasOf(unpaused)})`,
        );
      }
    } finally {
      await system.stop();
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};
