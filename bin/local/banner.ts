import path from 'node:path';
import { DEFAULT_WORK_DIR, WORK_DIR_ENV } from '../cli/session';
import type { LocalSystem } from './system';

export interface BannerFacts {
  readonly readyMs: number;
  readonly workDir: string;
  /** The runner's pid: a signal to it (or to npm) stops everything. */
  readonly pid: number;
  /** The README's walk-through (bin/local/walkthrough.ts). */
  readonly walkthrough: readonly string[];
}

/**
 * What a person sees once `npm start` is up: the HTTP API, the console and the services in the
 * runner's fixed order, each chain once (its node, registry and token), who they can act as, and the
 * walk-through.
 */
export function banner(system: Pick<LocalSystem, 'apiUrl' | 'consoleUrl' | 'services' | 'chains' | 'tokens'>, facts: BannerFacts): string[] {
  const row = (label: string, value: string) => `  ${label.padEnd(28)}${value}`;
  const otherWorkDir = path.resolve(facts.workDir) !== path.resolve(DEFAULT_WORK_DIR);
  return [
    '',
    `treasury-compliance is running locally (ready in ${(facts.readyMs / 1000).toFixed(1)} s)`,
    '',
    row('HTTP API', system.apiUrl),
    row('Console', `${system.consoleUrl}   officers, auditors, operators: sign in as a dev identity below`),
    ...system.services
      .filter((service) => service.chainId === undefined && service.endpoint !== system.consoleUrl)
      .map((service) => row(service.name, service.endpoint)),
    row('Logs', path.join(facts.workDir, 'logs')),
    '',
    `Chains (the allowlist agent ${system.chains[0]?.agent ?? '-'} is Hardhat dev account #1 on each):`,
    ...system.chains.map((chain) => row(`${chain.name} (${chain.chainId})`, `${chain.rpcUrl}   registry ${chain.identityRegistry}  token ${chain.token}`)),
    '',
    'Dev credentials (local only, valid for this run; the CLI acts as one with --as <user or role>):',
    ...system.tokens.map((token) => `  ${token.subject.padEnd(15)} ${token.role.padEnd(19)} Bearer ${token.token}`),
    '',
    "Walk-through (README.md): paste these lines into a shell in this repository (the CLI finds this run's API and tokens itself); watch the cases and the audit trail in the console.",
    ...(otherWorkDir ? [`  export ${WORK_DIR_ENV}=${path.resolve(facts.workDir)}`] : []),
    ...facts.walkthrough.map((line) => (line ? `  ${line}` : '')),
    '',
    `Ctrl-C stops everything (so does a SIGTERM or SIGHUP to pid ${facts.pid}, or to the npm that started it).`,
  ];
}
