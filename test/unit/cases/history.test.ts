import { caseHistory, claimCase, decideCase, openCase, showCase } from '../../../lambda/modules/cases';
import { InMemoryCaseRepository } from '../../../lambda/modules/cases/fakes';
import { inMemoryAuditLog } from '../../../lambda/modules/audit/fakes';
import { NotFoundError } from '../../../lambda/shared';

const alice = { subject: 'officer-alice', actor: 'compliance-officer:officer-alice' };

function deps() {
  const { audit, store } = inMemoryAuditLog();
  return { cases: new InMemoryCaseRepository(), audit, slaHours: 24, trail: store, store };
}

describe("a case's history", () => {
  it('is its audit stream, oldest first: who opened, viewed, claimed and decided it', async () => {
    const d = deps();
    const { case: opened } = await openCase(d, { type: 'chain_drift', key: 'drift|1', investorId: 'inv-1', risk: 'low', evidence: {} }, 'system:reconciler');
    await showCase(d, opened.caseId, alice);
    await claimCase(d, opened.caseId, alice);
    await decideCase(d, opened.caseId, { disposition: 'false_positive', reason: 'registry fixed by hand' }, alice);
    const history = await caseHistory(d, opened.caseId);
    expect(history.records.map((record) => `${record.seq} ${record.type} ${record.actor}`)).toEqual([
      '1 case.opened system:reconciler',
      '2 case.viewed compliance-officer:officer-alice',
      '3 case.claimed compliance-officer:officer-alice',
      '4 case.closed compliance-officer:officer-alice',
    ]);
    expect(history.records[3]).toMatchObject({ data: { disposition: 'false_positive', reason: 'registry fixed by hand' }, hash: expect.any(String) });
  });

  it('writes first a record a crash left unwritten, so the history is never behind the case', async () => {
    const d = deps();
    const { case: opened } = await openCase(d, { type: 'chain_drift', key: 'drift|2', risk: 'low', evidence: {} }, 'system:reconciler');
    // A claim saved with its record pending, as a crash between save and append leaves it.
    const pendingAudit = {
      stream: `case#${opened.caseId}`,
      type: 'case.claimed',
      actor: alice.actor,
      data: { caseId: opened.caseId },
      idempotencyKey: `case#${opened.caseId}:v2`,
    };
    await d.cases.save({ ...opened, status: 'claimed', assignee: alice.subject, version: 2, pendingAudit });
    expect((await caseHistory(d, opened.caseId)).records.map((record) => record.type)).toEqual(['case.opened', 'case.claimed']);
  });

  it('is a 404 for a case that does not exist', async () => {
    await expect(caseHistory(deps(), 'case_nope')).rejects.toThrow(NotFoundError);
  });
});
