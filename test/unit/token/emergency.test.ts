import { FakeRegistryChain, InMemoryAllowlistJournal, RecordingFlushRequests } from '../../../lambda/modules/allowlist/fakes';
import { inMemoryAuditLog } from '../../../lambda/modules/audit/fakes';
import {
  approveOperation,
  executeTokenOperation,
  proposeUnpause,
  requestPause,
  showOperation,
  tokenPipelineHold,
  tokenStatus,
  type EmergencyDeps,
  type TokenWorkerDeps,
} from '../../../lambda/modules/token';
import { InMemoryTokenOperations, RecordingTokenOperationRequests, fakeTokenChain } from '../../../lambda/modules/token/fakes';

const responder = { subject: 'responder-erin', actor: 'emergency-responder:responder-erin' };
const alice = { subject: 'officer-alice', actor: 'compliance-officer:officer-alice' };
const bob = { subject: 'officer-bob', actor: 'compliance-officer:officer-bob' };

function world(chainIds: readonly number[] = [1, 2]) {
  let clock = Date.parse('2026-03-02T09:00:00.000Z');
  const now = () => new Date(clock);
  let ids = 0;
  const store = new InMemoryTokenOperations();
  const requests = new RecordingTokenOperationRequests();
  const { audit, store: auditStore } = inMemoryAuditLog(now);
  const chains = new Map(chainIds.map((chainId) => [chainId, new FakeRegistryChain({ chainId, now })]));
  const journal = new InMemoryAllowlistJournal(() => clock);
  const flushRequests = new RecordingFlushRequests();
  const deps: EmergencyDeps = { store, audit, requests, chainIds, now, newId: () => `op-${++ids}` };
  const worker = (overrides: Partial<TokenWorkerDeps> = {}): TokenWorkerDeps => ({
    store,
    audit,
    journal,
    flushRequests,
    chain: (chainId) => (chains.has(chainId) ? fakeTokenChain(chains.get(chainId)!) : undefined),
    actor: 'system:token-worker',
    now,
    sleep: async (ms) => {
      clock += ms;
      for (const chain of chains.values()) chain.mine();
    },
    ...overrides,
  });
  const runAll = async (overrides: Partial<TokenWorkerDeps> = {}) => {
    for (const message of requests.drain()) await executeTokenOperation(worker(overrides), message, { deadline: Date.now() + 10_000 });
  };
  const trail = () =>
    auditStore
      .all()
      .filter((record) => record.stream === 'token')
      .map((record) => record.type);
  return { deps, store, requests, chains, journal, flushRequests, worker, runAll, trail };
}

describe('emergency pause', () => {
  it('pauses every chain on one request, holds the pipeline and records the request and each transaction', async () => {
    const w = world();
    const { operation, alreadyPaused } = await requestPause(w.deps, { reason: 'key compromise' }, responder);
    expect(alreadyPaused).toBe(false);
    expect(await tokenPipelineHold(w.store).additionsHeld()).toBe(true);
    expect(w.requests.messages).toEqual([
      { operationId: operation.operationId, chainId: 1 },
      { operationId: operation.operationId, chainId: 2 },
    ]);
    await w.runAll();
    for (const chain of w.chains.values()) expect(await chain.paused()).toBe(true);
    const stored = await showOperation(w.deps, operation.operationId);
    expect(stored.chains['1']).toMatchObject({ status: 'done', transactionHash: expect.stringMatching(/^0x/), blockNumber: expect.any(Number) });
    expect(w.trail()).toEqual(['token.pause.requested', 'token.operation.mined', 'token.operation.mined']);
    const status = await tokenStatus({ store: w.store, readers: [...w.chains.values()].map((chain) => fakeTokenChain(chain)) });
    expect(status).toMatchObject({ paused: true, pipelineHeld: true, pauseOperation: { operationId: operation.operationId } });
    expect(status.chains.map((chain) => [chain.chainId, chain.paused, chain.operation?.status])).toEqual([
      [1, true, 'done'],
      [2, true, 'done'],
    ]);
  });

  it('refuses a request without a reason with a 400 naming the field, and changes nothing', async () => {
    const w = world();
    await expect(requestPause(w.deps, { matrixProbe: true }, responder)).rejects.toMatchObject({ kind: 'invalid_input' });
    expect((await w.store.control()).paused).toBe(false);
    expect(w.requests.asked).toEqual([]);
  });

  it('a repeated request returns the pause in force, re-queues only unfinished chains and sends nothing twice', async () => {
    const w = world();
    const first = await requestPause(w.deps, { reason: 'incident' }, responder);
    const [one] = w.requests.drain();
    await executeTokenOperation(w.worker(), one!, { deadline: Date.now() + 10_000 });
    const again = await requestPause(w.deps, { reason: 'incident, again' }, responder);
    expect(again).toMatchObject({ alreadyPaused: true, operation: { operationId: first.operation.operationId } });
    expect(w.requests.asked.slice(2)).toEqual([{ operationId: first.operation.operationId, chainId: 2 }]);
    await executeTokenOperation(w.worker(), one!, { deadline: Date.now() + 10_000 });
    expect(w.chains.get(1)!.mined()).toHaveLength(1);
    expect(w.trail().filter((type) => type === 'token.pause.requested')).toHaveLength(1);
  });

  it('a chain that fails is recorded as failed (never done) and the error is thrown for the queue to retry', async () => {
    const w = world([1]);
    const { operation } = await requestPause(w.deps, { reason: 'incident' }, responder);
    w.chains.get(1)!.goDown('node down');
    const [message] = w.requests.drain();
    await expect(executeTokenOperation(w.worker(), message!, { deadline: Date.now() + 10_000 })).rejects.toThrow(/node down/);
    expect((await showOperation(w.deps, operation.operationId)).chains['1']).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: expect.stringMatching(/node down/),
    });
    const status = await tokenStatus({ store: w.store, readers: [fakeTokenChain(w.chains.get(1)!)] });
    expect(status.chains[0]).toMatchObject({ paused: null, error: 'unavailable' });
    w.chains.get(1)!.restore();
    expect(await executeTokenOperation(w.worker(), message!, { deadline: Date.now() + 10_000 })).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('a chain already paused gets no transaction', async () => {
    const w = world([1]);
    await requestPause(w.deps, { reason: 'incident' }, responder);
    const [message] = w.requests.drain();
    await executeTokenOperation(w.worker(), message!, { deadline: Date.now() + 10_000 });
    // Redriven after the outcome was lost: the chain is in state, nothing is sent.
    await w.store.recordChainOutcome(message!.operationId, 1, { status: 'failed', attempts: 1, at: 'x' });
    await w.journal.finishSlots([]);
    expect(await executeTokenOperation(w.worker(), message!, { deadline: Date.now() + 10_000 })).toMatchObject({ status: 'done' });
    expect(w.chains.get(1)!.mined()).toHaveLength(1);
  });

  it('finishes a transaction a crashed run broadcast instead of sending another', async () => {
    const w = world([1]);
    await requestPause(w.deps, { reason: 'incident' }, responder);
    const [message] = w.requests.drain();
    const crash = async () => {
      throw new Error('crash after broadcast');
    };
    await expect(executeTokenOperation(w.worker({ afterBroadcast: crash }), message!, { deadline: Date.now() + 10_000 })).rejects.toThrow('crash');
    const outcome = await executeTokenOperation(w.worker(), message!, { deadline: Date.now() + 10_000 });
    expect(w.chains.get(1)!.mined()).toHaveLength(1);
    expect(outcome.transactionHash).toBe(w.chains.get(1)!.mined()[0]!.hash);
  });
});

describe('four-eyes unpause', () => {
  async function paused() {
    const w = world();
    await requestPause(w.deps, { reason: 'incident' }, responder);
    await w.runAll();
    return w;
  }

  it('needs a second person: self-approval is 403, a different officer approves, every chain unpauses and the registries are flushed', async () => {
    const w = await paused();
    const proposal = await proposeUnpause(w.deps, { reason: 'resolved' }, alice);
    expect(proposal.status).toBe('proposed');
    await expect(approveOperation(w.deps, proposal.operationId, alice)).rejects.toMatchObject({ kind: 'forbidden', code: 'SELF_APPROVAL' });
    expect((await w.store.control()).paused).toBe(true);
    const approved = await approveOperation(w.deps, proposal.operationId, bob);
    expect(approved).toMatchObject({ status: 'approved', approvedBy: bob.actor });
    expect(await tokenPipelineHold(w.store).additionsHeld()).toBe(false);
    await w.runAll();
    for (const chain of w.chains.values()) expect(await chain.paused()).toBe(false);
    expect(w.flushRequests.requests.map((request) => request.target.chainId)).toEqual([1, 2]);
    expect(w.trail()).toEqual([
      'token.pause.requested',
      'token.operation.mined',
      'token.operation.mined',
      'token.unpause.proposed',
      'token.unpause.approved',
      'token.operation.mined',
      'token.operation.mined',
    ]);
    const status = await tokenStatus({ store: w.store, readers: [fakeTokenChain(w.chains.get(1)!)] });
    expect(status).toMatchObject({ paused: false, lastUnpause: { operationId: proposal.operationId } });
  });

  it('the approver asking again finishes the approval; another person gets 409; an unknown id 404', async () => {
    const w = await paused();
    const proposal = await proposeUnpause(w.deps, { reason: 'resolved' }, responder);
    await approveOperation(w.deps, proposal.operationId, bob);
    await expect(approveOperation(w.deps, proposal.operationId, bob)).resolves.toMatchObject({ status: 'approved' });
    await expect(approveOperation(w.deps, proposal.operationId, alice)).rejects.toMatchObject({ kind: 'conflict' });
    await expect(approveOperation(w.deps, 'nope', alice)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(showOperation(w.deps, 'nope')).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('refuses an unpause of a running token, a second proposal and the approval of a pause', async () => {
    const w = world();
    await expect(proposeUnpause(w.deps, { reason: 'why not' }, alice)).rejects.toMatchObject({ code: 'TOKEN_STATE_CONFLICT' });
    const { operation } = await requestPause(w.deps, { reason: 'incident' }, responder);
    await proposeUnpause(w.deps, { reason: 'resolved' }, alice);
    await expect(proposeUnpause(w.deps, { reason: 'resolved' }, bob)).rejects.toMatchObject({ code: 'TOKEN_STATE_CONFLICT' });
    await expect(approveOperation(w.deps, operation.operationId, bob)).rejects.toMatchObject({ code: 'TOKEN_STATE_CONFLICT' });
  });

  it('an unpause queued behind a new pause is superseded and leaves the token paused', async () => {
    const w = await paused();
    const proposal = await proposeUnpause(w.deps, { reason: 'resolved' }, alice);
    await approveOperation(w.deps, proposal.operationId, bob);
    await requestPause(w.deps, { reason: 'it is back' }, responder);
    const messages = w.requests.drain();
    for (const message of messages) await executeTokenOperation(w.worker(), message, { deadline: Date.now() + 10_000 });
    expect((await showOperation(w.deps, proposal.operationId)).chains['1']).toMatchObject({ status: 'superseded' });
    for (const chain of w.chains.values()) expect(await chain.paused()).toBe(true);
  });
});
