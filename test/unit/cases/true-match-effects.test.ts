import { applyCaseEffects } from '../../../lambda/modules/cases/effects';
import type { Case } from '../../../lambda/modules/cases/case';
import { inMemoryAuditLog } from '../../../lambda/modules/audit/fakes';
import { InMemoryInvestorRepository, RecordingAllowlistRequests, anInvestor } from '../../../lambda/modules/investors/fakes';

const REGISTRIES = [{ chainId: 31337, identityRegistry: '0x5FbDB2315678afecb367f032d93F642f64180aa3' }];

function confirmed(investorId: string, list?: object): Case {
  return {
    caseId: 'case-1',
    type: 'potential_match',
    key: 'k',
    investorId,
    risk: 'high',
    status: 'closed',
    openedAt: '2026-01-05T10:00:00.000Z',
    version: 4,
    evidence: { listVersion: 'v', entry: { sdnId: 17022 }, ...(list ? { list } : {}) },
    resolution: {
      disposition: 'true_match',
      reason: 'same entity',
      by: 'alice',
      at: '2026-01-06T10:00:00.000Z',
      approvedBy: 'bob',
      approvedAt: '2026-01-06T11:00:00.000Z',
    },
  };
}

async function effectsOf(list?: object) {
  const investor = anInvestor({ status: 'allowlisted' });
  const investors = new InMemoryInvestorRepository([investor]);
  const allowlist = new RecordingAllowlistRequests();
  const sanctions = { standing: async () => 'clear' as const, isClear: async () => true };
  const effects = await applyCaseEffects(
    { investors, audit: inMemoryAuditLog().audit, allowlist, registries: REGISTRIES, sanctions, now: () => new Date('2026-01-06T11:00:00.000Z') },
    confirmed(investor.investorId, list),
    'compliance-officer:bob',
  );
  return { effects, investor: (await investors.get(investor.investorId))!, actions: allowlist.requests.map((request) => request.action) };
}

describe('a confirmed match, by the list it is on', () => {
  it('on the SDN list: blocked property, frozen and removed, report due in 10 business days', async () => {
    const { effects, investor, actions } = await effectsOf({ id: 'ofac-sdn', blocking: true });
    expect(effects.reportDueBy).toBeDefined();
    expect(actions).toEqual(['freeze', 'remove']);
    expect(investor).toMatchObject({
      status: 'suspended',
      suspension: { kind: 'sanctions', confirmedMatchCaseId: 'case-1', reason: 'confirmed sanctions match' },
    });
  });

  it('on a case from before several lists: the SDN list, as before', async () => {
    const { effects, actions } = await effectsOf();
    expect(effects.reportDueBy).toBeDefined();
    expect(actions).toEqual(['freeze', 'remove']);
  });

  it('on a non-SDN list (SSI): no property is blocked, so nothing is frozen and no report falls due; the investor is suspended and removed', async () => {
    const { effects, investor, actions } = await effectsOf({ id: 'ofac-cons', blocking: false, subLists: ['SSI (Sectoral Sanctions Identifications)'] });
    expect(effects.reportDueBy).toBeUndefined();
    expect(effects.summary).toMatch(/non-SDN listing \(SSI .*no blocked-property report/);
    expect(actions).toEqual(['remove']);
    expect(investor).toMatchObject({
      status: 'suspended',
      suspension: { kind: 'sanctions', confirmedMatchCaseId: 'case-1', reason: 'confirmed non-SDN listing' },
    });
  });
});
