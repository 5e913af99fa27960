import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Contract, JsonRpcProvider } from 'ethers';
import { IDENTITY_REGISTRY_ABI } from '../../lambda/modules/allowlist/adapters';
import type { AuditRecord } from '../../lambda/modules/audit';
import type { CaseSummary, CaseView } from '../../lambda/modules/cases';
import { readmeWalkthrough } from '../../bin/local/walkthrough';
import { E2E_RUNNER_LOG_ENV } from '../helpers/e2e-setup';
import { api, eventually, runningSystem } from '../helpers/e2e-system';

const ROOT = path.resolve(__dirname, '..', '..');
const system = runningSystem();
/** Where the e2e runner (started as `npm start` is) left session.json: what `.local` is for a user. */
const workDir = path.dirname(process.env[E2E_RUNNER_LOG_ENV]!);

interface Step {
  readonly command: string;
  /** The README's `# →` lines under the command: text its output shows. */
  readonly shows: string[];
}

/** The walk-through's commands, each with what the README says it prints. */
function stepsOf(lines: readonly string[]): Step[] {
  const steps: { command: string; shows: string[] }[] = [];
  for (const line of lines) {
    const shown = /^#\s*→\s*(.+)$/.exec(line.trim());
    if (shown) {
      if (steps.length === 0) throw new Error(`"${line}" follows no command`);
      steps.at(-1)!.shows.push(shown[1]!.trim());
    } else if (line.trim() !== '' && !line.trim().startsWith('#')) {
      steps.push({ command: line, shows: [] });
    }
  }
  return steps;
}

const ASSIGNED = /^([A-Z_][A-Z0-9_]*)=\$\(/;
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * The walk-through as one bash script, as a user pasting it runs it (same shell, so its variables
 * carry over; an unset one or a failing command stops it), with a marker before each command's
 * output and the variables it set at the end.
 */
function scriptOf(steps: readonly Step[]): string {
  const variables = steps.map((step) => ASSIGNED.exec(step.command)?.[1]).filter((name): name is string => Boolean(name));
  return [
    'set -euo pipefail',
    ...steps.flatMap((step, index) => [`printf '\\n@@step ${index}\\n'`, `{ ${step.command}; } 2>&1`]),
    `printf '\\n@@end\\n'`,
    ...variables.map((name) => `printf '@@var ${name}=%s\\n' "$${name}"`),
  ].join('\n');
}

function runBash(file: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, TC_WORK_DIR: workDir };
    delete env.TC_API_URL;
    delete env.TC_TOKEN;
    const child = spawn('bash', [file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('close', (status) => resolve({ status, output }));
  });
}

const provider = (chain: (typeof system.chains)[number]) => new JsonRpcProvider(chain.rpcUrl, chain.chainId, { staticNetwork: true });
const registries = system.chains.map((chain) => new Contract(chain.identityRegistry, IDENTITY_REGISTRY_ABI, provider(chain)));
const verifiedOn = (wallet: string) => Promise.all(registries.map((registry) => registry.getFunction('isVerified')(wallet) as Promise<boolean>));
const investor = async (investorId: string) =>
  (await api(system, 'GET', `/investors/${investorId}`, { role: 'operator' })).body as { status: string; wallets: string[] };
const casesOf = async (investorId: string) =>
  (await api(system, 'GET', `/cases?investorId=${investorId}&status=open,claimed,pending_approval,closed`, { role: 'auditor' })).body.cases as CaseSummary[];
const recordsOf = async (investorId: string) =>
  ((await api(system, 'GET', `/audit/records?investorId=${investorId}&limit=1000`, { role: 'auditor' })).body.records as AuditRecord[]).map(
    (record) => record.type,
  );

describe("the README's walk-through, run as written against the local system", () => {
  const steps = stepsOf(readmeWalkthrough());

  it('is a list of commands, each line pasteable on its own (no continuation lines, no placeholders)', () => {
    expect(steps.length).toBeGreaterThan(10);
    for (const { command } of steps) {
      expect(command).not.toMatch(/\\$/);
      expect(command).not.toMatch(/<[a-zA-Z]+>/);
      expect(command).toMatch(ASSIGNED.test(command) ? /^[A-Z_]+=\$\(npm run --silent cli -- .+\)$/ : /^npm run --silent cli -- /);
    }
  });

  it('does what it says: every command succeeds and prints its `# →` lines; the chains, cases and audit trail agree', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tc-walkthrough-')), 'walkthrough.sh');
    writeFileSync(file, scriptOf(steps));
    const { status, output } = await runBash(file);
    const [transcript, trailer = ''] = output.split('\n@@end\n');
    if (status !== 0) throw new Error(`the walk-through stopped (exit ${status}):\n${output.slice(-3000)}`);

    const outputs = transcript!.split(/\n@@step \d+\n/).slice(1);
    expect(outputs).toHaveLength(steps.length);
    // The README speaks of `npm start`'s seven chains; this system runs fewer.
    const chains = system.chains.length;
    const onOurChains = (shown: string) => shown.replace(/\b7 of 7\b/, `${chains} of ${chains}`);
    steps.forEach((step, index) => {
      for (const shown of step.shows.map(onOurChains)) {
        if (!squash(outputs[index]!).includes(squash(shown))) throw new Error(`\`${step.command}\` did not print "${shown}"; it printed:\n${outputs[index]}`);
      }
    });

    const vars = Object.fromEntries([...trailer.matchAll(/^@@var ([A-Z_]+)=(.*)$/gm)].map((match) => [match[1]!, match[2]!]));
    const { JANE, MADURO, PAT } = vars as Record<string, string>;
    for (const id of [JANE, MADURO, PAT]) expect(id).toMatch(/^[0-9A-Z]{26}$/);

    // Jane: allowlisted on every chain, then revoked from every chain; her trail says so.
    const [janesWallet] = (await investor(JANE!)).wallets;
    expect(await investor(JANE!)).toMatchObject({ status: 'kyc_rejected' });
    await eventually(async () => (await verifiedOn(janesWallet!)).every((verified) => !verified), 30_000);
    const janesTrail = await eventually(async () => {
      const types = await recordsOf(JANE!);
      return types.filter((type) => type === 'allowlist.removed').length === system.chains.length ? types : undefined;
    }, 30_000);
    expect(janesTrail.filter((type) => type === 'allowlist.registered')).toHaveLength(system.chains.length);
    expect(janesTrail).toEqual(expect.arrayContaining(['investor.registered', 'investor.kyc_approved', 'investor.allowlisted', 'investor.kyc_revoked']));

    // The listed person: one potential match, confirmed by two officers; blocked, never on a chain.
    const [match, ...otherMatches] = await casesOf(MADURO!);
    expect(otherMatches).toEqual([]);
    const decided = (await api(system, 'GET', `/cases/${match!.caseId}`, { role: 'auditor' })).body as unknown as CaseView;
    expect(decided).toMatchObject({
      type: 'potential_match',
      status: 'closed',
      evidence: { entry: { sdnId: 22790 } },
      resolution: { disposition: 'true_match', by: 'officer-alice', approvedBy: 'officer-bob' },
    });
    expect(await investor(MADURO!)).toMatchObject({ status: 'suspended' });
    expect(await verifiedOn((await investor(MADURO!)).wallets[0]!)).toEqual(system.chains.map(() => false));

    // The listed wallet: one open high-risk wallet hit on SDN 27307; suspended, never on a chain.
    const [hit, ...otherHits] = await casesOf(PAT!);
    expect(otherHits).toEqual([]);
    expect(hit).toMatchObject({ type: 'wallet_hit', status: 'open', risk: 'high' });
    expect((await api(system, 'GET', `/cases/${hit!.caseId}`, { role: 'auditor' })).body).toMatchObject({ evidence: { entry: { sdnId: 27307 } } });
    expect(await investor(PAT!)).toMatchObject({ status: 'suspended' });
    expect(await verifiedOn((await investor(PAT!)).wallets[0]!)).toEqual(system.chains.map(() => false));
  }, 600_000);
});
