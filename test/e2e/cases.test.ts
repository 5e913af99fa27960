import path from 'node:path';
import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import { IDENTITY_REGISTRY_ABI } from '../../lambda/modules/allowlist/adapters';
import { TOKEN_ABI } from '../../lambda/modules/allowlist/adapters/abi';
import type { AuditRecord } from '../../lambda/modules/audit';
import { blockedPropertyReportDueBy } from '../../lambda/modules/cases/business-days';
import type { CaseSummary, CaseView } from '../../lambda/modules/cases';
import { EXIT } from '../../bin/cli/output';
import { runCliAsync } from '../helpers/cli';
import { E2E_RUNNER_LOG_ENV } from '../helpers/e2e-setup';
import { api, eventually, registerWithKyc, runningSystem } from '../helpers/e2e-system';

const system = runningSystem();
const provider = (chain: (typeof system.chains)[number]) => new JsonRpcProvider(chain.rpcUrl, chain.chainId, { staticNetwork: true });
const registries = system.chains.map((chain) => new Contract(chain.identityRegistry, IDENTITY_REGISTRY_ABI, provider(chain)));
const tokens = system.chains.map((chain) => new Contract(chain.token, TOKEN_ABI, provider(chain)));
/** Where `npm start` (here: the e2e runner) left session.json, for the CLI's `--as`. */
const workDir = path.dirname(process.env[E2E_RUNNER_LOG_ENV]!);

function as(subject: string) {
  const token = system.tokens.find((candidate) => candidate.subject === subject)!.token;
  return (method: string, route: string, body?: unknown) => api(system, method, route, { body, headers: { authorization: `Bearer ${token}` } });
}
const alice = as('officer-alice');
const bob = as('officer-bob');
const auditor = as('auditor-carol');

/** A registered, KYC-approved investor whose name is on the list: screening holds them in `screened` with one potential-match case. */
async function potentialMatch(): Promise<{ investorId: string; wallet: string; caseId: string }> {
  const wallet = Wallet.createRandom().address.toLowerCase();
  const { investorId } = await registerWithKyc(system, {
    externalId: `e2e-case-${wallet}`,
    legalName: 'Nicolás Maduro Moros',
    dateOfBirth: '1962-11-23',
    countryOfResidence: 'VE',
    wallets: [wallet],
  });
  const listed = await eventually(async () => {
    const { body } = await alice('GET', `/cases?investorId=${investorId}&type=potential_match`);
    const found = body.cases as CaseSummary[];
    return found.length > 0 ? found : undefined;
  });
  expect(listed).toHaveLength(1);
  // The case opens before the move to `screened`, the screening's last step.
  await eventually(async () => (await api(system, 'GET', `/investors/${investorId}`, { role: 'portal' })).body.status === 'screened');
  return { investorId, wallet, caseId: listed[0]!.caseId };
}

const investorStatus = async (investorId: string) => (await api(system, 'GET', `/investors/${investorId}`, { role: 'operator' })).body.status;

describe('the review queue over the local API', () => {
  it('clears a potential match with two officers: the investor is allowlisted and the wallet verified on every chain', async () => {
    const { investorId, wallet, caseId } = await potentialMatch();

    const shown = await alice('GET', `/cases/${caseId}`);
    expect(shown.body).toMatchObject({
      caseId,
      type: 'potential_match',
      status: 'open',
      pastSla: false,
      evidence: { entry: { sdnId: 22790 }, matchedOn: 'name', screened: { name: 'Nicolás Maduro Moros' }, listVersion: expect.stringMatching(/^ofac-sdn:/) },
    });
    expect((shown.body as unknown as CaseView).evidence.score).toBeGreaterThanOrEqual(0.84);

    // Bad input changes nothing: deciding an unclaimed case, no reason, approving one's own decision.
    const unclaimed = await alice('POST', `/cases/${caseId}/decision`, { disposition: 'false_positive', reason: 'not him' });
    expect(unclaimed.status).toBe(409);
    expect((await alice('POST', `/cases/${caseId}/claim`)).body).toMatchObject({ status: 'claimed', assignee: 'officer-alice', leaseActive: true });
    expect((await bob('POST', `/cases/${caseId}/claim`)).status).toBe(409);
    const noReason = await alice('POST', `/cases/${caseId}/decision`, { disposition: 'false_positive', reason: '  ' });
    expect(noReason).toMatchObject({ status: 422, body: { error: { code: 'DECISION_UNPROCESSABLE', issues: [{ field: 'reason' }] } } });
    const badDisposition = await alice('POST', `/cases/${caseId}/decision`, { disposition: 'SECRET-DISPOSITION', reason: 'x' });
    expect(badDisposition.status).toBe(400);
    expect(JSON.stringify(badDisposition.body)).not.toContain('SECRET-DISPOSITION');

    expect((await alice('POST', `/cases/${caseId}/decision`, { disposition: 'false_positive', reason: 'different person: passport seen' })).body).toMatchObject(
      { status: 'pending_approval' },
    );
    const before = (await alice('GET', `/cases/${caseId}`)).body;
    const selfApproval = await alice('POST', `/cases/${caseId}/approve`);
    expect(selfApproval).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect((await alice('GET', `/cases/${caseId}`)).body).toMatchObject({ status: 'pending_approval', version: before.version });
    expect(await investorStatus(investorId)).toBe('screened');
    expect((await auditor('POST', `/cases/${caseId}/approve`)).status).toBe(403);

    const approved = await bob('POST', `/cases/${caseId}/approve`, { note: 'agreed' });
    expect(approved.body).toMatchObject({
      status: 'closed',
      resolution: { disposition: 'false_positive', by: 'officer-alice', approvedBy: 'officer-bob', effects: { investorStatus: 'eligible' } },
    });
    expect((await bob('POST', `/cases/${caseId}/approve`)).status).toBe(409);

    await eventually(
      async () => (await Promise.all(registries.map((registry) => registry.getFunction('isVerified')(wallet) as Promise<boolean>))).every(Boolean),
      30_000,
    );
    expect(await investorStatus(investorId)).toBe('allowlisted');

    const trail = await auditor('GET', `/audit/records?caseId=${caseId}&limit=50`);
    const actions = (trail.body.records as AuditRecord[]).map((record) => `${record.type} ${record.actor}`);
    expect(actions).toEqual([
      'case.opened system:screening-worker',
      'case.viewed compliance-officer:officer-alice',
      'case.claimed compliance-officer:officer-alice',
      'case.decision_proposed compliance-officer:officer-alice',
      'case.viewed compliance-officer:officer-alice',
      'case.viewed compliance-officer:officer-alice',
      'case.approved compliance-officer:officer-bob',
      'case.effects_applied compliance-officer:officer-bob',
    ]);
    expect(JSON.stringify(trail.body)).not.toMatch(/Maduro|1962-11-23/);
  });

  it('blocks a true match through the CLI (--json): the wallet is frozen on every chain, never verified, and the report deadline is shown', async () => {
    const { investorId, wallet, caseId } = await potentialMatch();
    const cli = async (user: string, ...args: string[]) => {
      const result = await runCliAsync(['cases', ...args, '--as', user, '--work-dir', workDir, '--json']);
      if (result.status !== 0) throw new Error(`cli ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
      return JSON.parse(result.stdout) as Record<string, unknown>;
    };

    const listed = (await cli('officer-alice', 'list', '--investor-id', investorId, '--type', 'potential_match')) as { cases: CaseSummary[] };
    expect(listed.cases.map((summary) => summary.caseId)).toEqual([caseId]);
    expect(await cli('officer-alice', 'claim', caseId)).toMatchObject({ case: { caseId, status: 'claimed', assignee: 'officer-alice' } });
    expect(
      await cli('officer-alice', 'decide', caseId, '--disposition', 'true_match', '--reason', 'passport and date of birth match the listing'),
    ).toMatchObject({ status: 'pending_approval' });
    const selfApproval = await runCliAsync(['cases', 'approve', caseId, '--as', 'officer-alice', '--work-dir', workDir, '--json']);
    // The API refused (403): not a usage error.
    expect(selfApproval.status).toBe(EXIT.refused);
    expect(selfApproval.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: POST \/cases\/.+\/approve failed \(403 FORBIDDEN\): four-eyes/)]);

    const approved = (await cli('officer-bob', 'approve', caseId)) as unknown as CaseView;
    const reportDueBy = blockedPropertyReportDueBy(new Date(approved.resolution!.approvedAt!));
    expect(approved.resolution!.effects).toMatchObject({ investorStatus: 'suspended', reportDueBy });
    expect(await cli('auditor-carol', 'show', caseId)).toMatchObject({ status: 'closed', resolution: { disposition: 'true_match', effects: { reportDueBy } } });
    expect(await investorStatus(investorId)).toBe('suspended');

    await eventually(async () => (await Promise.all(tokens.map((token) => token.getFunction('isFrozen')(wallet) as Promise<boolean>))).every(Boolean), 30_000);
    for (const registry of registries) expect(await registry.getFunction('isVerified')(wallet)).toBe(false);
    const human = await runCliAsync(['cases', 'show', caseId, '--as', 'officer-bob', '--work-dir', workDir]);
    expect(human.stdout).toContain(`OFAC report due by ${reportDueBy}`);
  });
});
