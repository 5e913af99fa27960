import { caseIdFor, openCase, type OpenCaseRequest } from '../../../lambda/modules/cases';
import { TransientError } from '../../../lambda/shared';
import { NOW, inMemoryWorld } from '../../helpers/in-memory-world';

const request: OpenCaseRequest = {
  type: 'potential_match',
  key: 'potential_match|inv-1|36|subject-hash|entry-hash',
  investorId: 'inv-1',
  risk: 'medium',
  evidence: { score: 0.93, listVersion: 'v-2026-03-01' },
};

function setUp() {
  const world = inMemoryWorld();
  return { ...world, deps: { cases: world.cases, audit: world.audit, now: world.clock.now } };
}

describe('openCase', () => {
  it('opens an open case under the id its key maps to, and records the opening', async () => {
    const { deps, cases, store } = setUp();
    const { case: opened, opened: isNew } = await openCase(deps, request, 'system:screening-worker');
    const caseId = caseIdFor(request.key);

    expect(isNew).toBe(true);
    expect(opened).toEqual({ ...request, caseId, status: 'open', openedAt: NOW.toISOString(), version: 1 });
    expect(await cases.get(caseId)).toEqual(opened);
    expect(store.records(`case#${caseId}`)).toMatchObject([
      { type: 'case.opened', actor: 'system:screening-worker', investorId: 'inv-1', data: { caseId, type: 'potential_match', risk: 'medium' } },
    ]);
  });

  it('returns the first case for a key opened again, however its evidence differs, recording one opening', async () => {
    const { deps, clock, store } = setUp();
    const first = await openCase(deps, request, 'system:screening-worker');
    clock.advanceMinutes(90);
    const again = await openCase(deps, { ...request, risk: 'high', evidence: { score: 0.99 } }, 'system:screening-worker');

    expect(again).toEqual({ case: first.case, opened: false });
    expect(store.all()).toHaveLength(1);
  });

  it('records the opening on a repeat when the first opener crashed before its audit record', async () => {
    const { deps, store } = setUp();
    jest.spyOn(deps.audit, 'append').mockRejectedValueOnce(new TransientError('the worker died before the audit append'));
    await expect(openCase(deps, request, 'system:screening-worker')).rejects.toThrow(TransientError);

    expect((await openCase(deps, request, 'system:screening-worker')).opened).toBe(false);
    expect(store.types(`case#${caseIdFor(request.key)}`)).toEqual(['case.opened']);
  });

  it('opens separate cases for separate reasons', async () => {
    const { deps, cases } = setUp();
    await openCase(deps, request, 'system:screening-worker');
    await openCase(deps, { ...request, key: `${request.key}-changed` }, 'system:screening-worker');
    expect(
      cases
        .all()
        .map((found) => found.caseId)
        .sort(),
    ).toEqual([caseIdFor(request.key), caseIdFor(`${request.key}-changed`)].sort());
  });

  it('opens a case that concerns no investor (drift on a registry)', async () => {
    const { deps, store } = setUp();
    const drift: OpenCaseRequest = { type: 'chain_drift', key: 'chain_drift|1|0xabc', risk: 'low', evidence: { wallet: '0xabc' } };
    const { case: opened } = await openCase(deps, drift, 'system:allowlist-reconciler');
    expect(opened).not.toHaveProperty('investorId');
    expect(store.records(`case#${opened.caseId}`)[0]!.investorId).toBeUndefined();
  });
});
