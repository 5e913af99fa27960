import { ConflictError, TransientError, changeGroupId, type AllowlistChange } from '../../../lambda/shared';
import { handleAllowlistBatch, type AllowlistMessage, type AllowlistWorkerDeps } from '../../../lambda/modules/allowlist';
import { flushRequestDeduplicationId, handleAllowlistMessage } from '../../../lambda/modules/allowlist/intake';
import { FakeRegistryChain } from '../../../lambda/modules/allowlist/fakes';
import { allowlistWorld } from '../../helpers/allowlist-world';

// The batch intake on the fakes: what DynamoDB Local and fauxqs cannot produce on demand (one write
// of a batch failing, the flush request failing) as well as the ordinary paths; the same paths run
// on real parts in test/integration/allowlist-worker.test.ts.

const registryG = '0x2279b7a0a67db372996a5fab50d91eaa73d2ebe6';
const registryH = '0x8a791620dd6260079bf849dc5567adc3f2fdc318';
const G = changeGroupId({ chainId: 31337, identityRegistry: registryG });
const H = changeGroupId({ chainId: 31337, identityRegistry: registryH });
const sequence = (index: number) => String(index).padStart(40, '0');
const change = (identityRegistry: string, index: number): AllowlistChange => ({
  action: 'add',
  investorId: `i-${index}`,
  wallet: `0x${String(index).padStart(40, '0')}`,
  country: 'US',
  chainId: 31337,
  identityRegistry,
  version: 3,
});
const message = (body: unknown, index: number, group: string | undefined, receiveCount = 1): AllowlistMessage => ({
  body: typeof body === 'string' ? body : JSON.stringify(body),
  messageId: `m-${index}`,
  sequence: sequence(index),
  receiveCount,
  group,
});
const flushOf = (identityRegistry: string) => ({ flush: { chainId: 31337, identityRegistry } });
const soon = () => Date.now() + 60_000;

/** A worker serving registries G and H (two chains' worth of fakes on one journal, DLQ and queue). */
function intake(options: { maxReceiveCount?: number; maxAttempts?: number } = {}) {
  const world = allowlistWorld({ chain: { identityRegistry: registryG }, maxAttempts: options.maxAttempts });
  const chainH = new FakeRegistryChain({ identityRegistry: registryH, now: world.now });
  const registries = { [G]: world.deps(), [H]: world.deps({ chain: chainH }) };
  const deps: AllowlistWorkerDeps = {
    journal: world.journal,
    deadLetters: world.deadLetters,
    flushRequests: world.flushRequests,
    registry: (target) => registries[changeGroupId(target)],
    maxReceiveCount: options.maxReceiveCount ?? 5,
    retryBaseSeconds: 5,
  };
  const keys = async (group: string) => (await world.journal.pendingIntents(group, 100)).map((intent) => intent.key);
  return { world, chainH, deps, keys };
}

describe('allowlist intake of a Lambda batch', () => {
  it('stores every change of the batch, dead-letters what can never apply, and asks once per registry for a flush', async () => {
    const { world, deps, keys } = intake();
    const summaries = jest.spyOn(world.journal, 'pendingSummary');
    const batch = [
      message(change(registryG, 1), 1, G),
      message('not json', 2, G),
      message(change(registryG, 3), 3, G),
      message(change(registryH, 4), 4, H),
      message(change(registryG, 5), 5, G),
    ];
    const outcomes = await handleAllowlistBatch(deps, batch, soon());
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['accepted', 'dead-lettered', 'accepted', 'accepted', 'accepted']);
    expect(await keys(G)).toEqual([1, 3, 5].map(sequence));
    expect(await keys(H)).toEqual([sequence(4)]);
    expect(world.deadLetters.letters.map((letter) => [letter.key, letter.reason.code])).toEqual([['m-2', 'INVALID_MESSAGE']]);
    expect(summaries.mock.calls.map(([group]) => group).sort()).toEqual([G, H].sort());
    expect(world.flushRequests.summary().sort()).toEqual([`${G} ${sequence(1)}:0`, `${H} ${sequence(4)}:0`].sort());
  });

  it('retries a change whose write failed and holds back the later records of its group (even those stored), not other groups', async () => {
    const { world, deps } = intake();
    const recordIntent = world.journal.recordIntent.bind(world.journal);
    jest
      .spyOn(world.journal, 'recordIntent')
      .mockImplementation(async (intent) => (intent.key === sequence(3) ? Promise.reject(new TransientError('throughput exceeded')) : recordIntent(intent)));
    const batch = [
      message(change(registryG, 1), 1, G),
      message(change(registryG, 3), 3, G, 2),
      message(change(registryH, 4), 4, H),
      message(change(registryG, 5), 5, G),
    ];
    const outcomes = await handleAllowlistBatch(deps, batch, soon());
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['accepted', 'retry', 'accepted', 'retry']);
    // The second receive backs off 10 s; the record held behind it comes back with it.
    expect(outcomes[1]).toMatchObject({ afterSeconds: 10, error: new TransientError('throughput exceeded') });
    expect(outcomes[3]).toMatchObject({
      afterSeconds: 10,
      error: expect.objectContaining({ message: 'an earlier message of its FIFO group is retried first' }),
    });
    expect(world.flushRequests.requests.map(({ target }) => changeGroupId(target)).sort()).toEqual([G, H].sort());
  });

  it('dead-letters a change whose write keeps failing after maxReceiveCount receives, and goes on with the rest', async () => {
    const { world, deps } = intake();
    jest.spyOn(world.journal, 'recordIntent').mockRejectedValueOnce(new TransientError('throughput exceeded'));
    const outcomes = await handleAllowlistBatch(deps, [message(change(registryG, 1), 1, G, 5), message(change(registryG, 2), 2, G)], soon());
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['dead-lettered', 'accepted']);
    expect(world.deadLetters.letters).toEqual([
      {
        body: JSON.stringify(change(registryG, 1)),
        group: G,
        key: 'm-1',
        reason: { code: 'RETRIES_EXHAUSTED', reason: 'gave up after 5 receives: throughput exceeded', attempts: 5 },
      },
    ]);
  });

  it('dead-letters a change whose write fails for good at once, with the error code', async () => {
    const { world, deps } = intake();
    jest.spyOn(world.journal, 'recordIntent').mockRejectedValueOnce(new ConflictError('the item is malformed'));
    const outcomes = await handleAllowlistBatch(deps, [message(change(registryG, 1), 1, G)], soon());
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['dead-lettered']);
    expect(world.deadLetters.reasons()).toEqual(['CONFLICT: the item is malformed']);
  });

  it('retries the stored changes when the flush request cannot be sent (a redelivery stores nothing twice)', async () => {
    const { world, deps, keys } = intake();
    const requestFlush = jest.spyOn(world.flushRequests, 'requestFlush').mockRejectedValue(new TransientError('SQS unavailable'));
    const batch = [message(change(registryG, 1), 1, G), message('{"action":"add"}', 2, G), message(change(registryG, 3), 3, G)];
    const outcomes = await handleAllowlistBatch(deps, batch, soon());
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['retry', 'dead-lettered', 'retry']);
    expect(outcomes[0]).toMatchObject({ afterSeconds: 5, error: new TransientError('SQS unavailable') });
    expect(outcomes[2]).toMatchObject({ error: expect.objectContaining({ message: 'an earlier message of its FIFO group is retried first' }) });
    expect(await keys(G)).toEqual([sequence(1), sequence(3)]);

    requestFlush.mockRestore();
    const again = await handleAllowlistBatch(deps, [batch[0]!, batch[2]!], soon());
    expect(again.map((outcome) => outcome.status)).toEqual(['accepted', 'accepted']);
    expect(await keys(G)).toEqual([sequence(1), sequence(3)]);
    expect(world.flushRequests.summary()).toEqual([`${G} ${sequence(1)}:0`]);
  });

  it('stores a change delivered twice once, and a burst over several batches asks for one flush while its oldest change waits', async () => {
    const { world, deps, keys } = intake();
    await handleAllowlistBatch(deps, [message(change(registryG, 1), 1, G), message(change(registryG, 2), 2, G)], soon());
    const outcomes = await handleAllowlistBatch(deps, [message(change(registryG, 2), 2, G, 2), message(change(registryG, 3), 3, G)], soon());
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['accepted', 'accepted']);
    expect(await keys(G)).toEqual([1, 2, 3].map(sequence));
    expect(world.flushRequests.summary()).toEqual([`${G} ${sequence(1)}:0`]);
  });
});

describe('allowlist intake: messages that can never apply', () => {
  it('dead-letters bodies that are not JSON or not a change, bad countries and registries it does not serve, with the reason', async () => {
    const { world, deps, keys } = intake();
    const unserved = '0x9999999999999999999999999999999999999999';
    const batch = [
      message('{"action":', 1, G),
      message({ action: 'add', wallet: 'nope' }, 2, G, 3),
      message({ ...change(registryG, 3), country: 'QQ' }, 3, G),
      message(change(unserved, 4), 4, `31337:${unserved}`),
      message(flushOf(unserved), 5, `31337:${unserved}`),
    ];
    const outcomes = await handleAllowlistBatch(deps, batch, soon());
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['dead-lettered', 'dead-lettered', 'dead-lettered', 'dead-lettered', 'dead-lettered']);
    const [notJson, notAChange, badCountry, unknownChange, unknownFlush] = world.deadLetters.letters;
    expect(notJson).toEqual({
      body: '{"action":',
      group: undefined,
      key: 'm-1',
      reason: { code: 'INVALID_MESSAGE', reason: 'the body is not JSON', attempts: 1 },
    });
    expect(notAChange!.reason).toMatchObject({ code: 'INVALID_MESSAGE', attempts: 3 });
    expect(notAChange!.reason.reason).toMatch(/^Invalid input: .*investorId/);
    expect(notAChange!.reason.reason).toMatch(/wallet must be a 0x-prefixed 20-byte hex address/);
    expect(notAChange!.reason.reason).not.toContain('nope');
    expect(badCountry).toMatchObject({ group: G, reason: { code: 'INVALID_MESSAGE', reason: 'country must be an ISO 3166-1 alpha-2 code' } });
    expect(unknownChange).toMatchObject({
      group: `31337:${unserved}`,
      reason: { code: 'UNKNOWN_REGISTRY', reason: `registry 31337:${unserved} is not configured for this worker` },
    });
    expect(unknownFlush).toMatchObject({ body: JSON.stringify(flushOf(unserved)), reason: { code: 'UNKNOWN_REGISTRY' } });
    expect(await keys(G)).toEqual([]);
    expect(world.flushRequests.requests).toEqual([]);
  });
});

describe('allowlist intake: flush requests', () => {
  it("applies what is pending when the worker's own flush request arrives behind the changes", async () => {
    const { world, deps } = intake();
    const investors = [world.investor(), world.investor()];
    const changes = investors.map((investor) => world.change(investor, 'add'));
    expect(
      (
        await handleAllowlistBatch(
          deps,
          changes.map((body, index) => message(body, index + 1, world.group)),
          soon(),
        )
      ).map((o) => o.status),
    ).toEqual(['accepted', 'accepted']);
    const [request] = world.flushRequests.take();

    const outcome = await handleAllowlistMessage(deps, message(request!, 3, world.group), soon());

    expect(outcome).toEqual({
      status: 'flushed',
      flush: { applied: 2, alreadyInState: 0, skipped: 0, deadLettered: 0, transactions: 3, remaining: 0, held: 0 },
    });
    for (const investor of investors) expect(world.chain.stateOf(investor.wallets[0]!).verified).toBe(true);
  });

  it('retries with backoff (doubling, at most 15 minutes) while the flush fails or leaves changes pending', async () => {
    const { world, deps } = intake({ maxReceiveCount: 20, maxAttempts: 20 });
    await world.pend(world.change(world.investor(), 'add'));
    world.chain.goDown();
    const backoffs = [];
    for (const receiveCount of [1, 2, 3, 8, 9]) {
      const outcome = await handleAllowlistMessage(deps, message(flushOf(registryG), 9, G, receiveCount), soon());
      expect(outcome).toMatchObject({ status: 'retry', error: new TransientError('chain 31337 RPC failed: connect ECONNREFUSED') });
      backoffs.push(outcome.status === 'retry' && outcome.afterSeconds);
    }
    expect(backoffs).toEqual([5, 10, 20, 640, 900]);

    world.chain.restore();
    // Out of time before the first page: the change is still pending.
    expect(await handleAllowlistMessage(deps, message(flushOf(registryG), 9, G, 1), Date.now() - 1)).toMatchObject({
      status: 'retry',
      afterSeconds: 5,
      error: new TransientError(`1 change(s) of registry ${G} are still pending`),
    });
  });

  it('after maxReceiveCount receives, sends a fresh flush request for what is pending instead of giving up on it', async () => {
    const { world, deps } = intake();
    const [pending] = await world.pend(world.change(world.investor(), 'add'));
    world.chain.goDown();

    const outcome = await handleAllowlistMessage(deps, message(flushOf(registryG), 9, G, 5), soon());

    expect(outcome).toMatchObject({ status: 'retry', afterSeconds: 0, error: new TransientError('chain 31337 RPC failed: connect ECONNREFUSED') });
    // The failed flush counted one attempt against the change.
    expect(world.flushRequests.summary()).toEqual([`${G} ${pending!.key}:1:m-9`]);
    expect(world.deadLetters.letters).toEqual([]);
  });

  it('after maxReceiveCount receives, retries with backoff when the fresh request cannot be sent either', async () => {
    const { world, deps } = intake();
    await world.pend(world.change(world.investor(), 'add'));
    world.chain.goDown();
    jest.spyOn(world.flushRequests, 'requestFlush').mockRejectedValue(new TransientError('SQS unavailable'));

    expect(await handleAllowlistMessage(deps, message(flushOf(registryG), 9, G, 5), soon())).toMatchObject({
      status: 'retry',
      afterSeconds: 80,
      error: new TransientError('SQS unavailable'),
    });
  });

  it('after maxReceiveCount receives with nothing left pending, asks for nothing more', async () => {
    const { world, deps } = intake();
    await world.journal.acquireLease(G, 'another-worker', 60_000);

    expect(await handleAllowlistMessage(deps, message(flushOf(registryG), 9, G, 5), soon())).toMatchObject({
      status: 'retry',
      afterSeconds: 0,
      error: new TransientError(`another worker is applying the changes of registry ${G}`),
    });
    expect(world.flushRequests.requests).toEqual([]);
  });

  it('holds back the later messages of a group whose flush is retried, and handles other groups', async () => {
    const { world, chainH, deps, keys } = intake();
    await world.pend(world.change(world.investor(), 'add'));
    world.chain.goDown();
    const batch = [
      message(flushOf(registryG), 1, G, 2),
      message(change(registryG, 2), 2, G),
      message(flushOf(registryG), 3, G),
      message(change(registryH, 4), 4, H),
    ];

    const outcomes = await handleAllowlistBatch(deps, batch, soon());

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['retry', 'retry', 'retry', 'accepted']);
    for (const held of [outcomes[1], outcomes[2]]) {
      expect(held).toMatchObject({ afterSeconds: 10, error: expect.objectContaining({ message: 'an earlier message of its FIFO group is retried first' }) });
    }
    expect(await keys(G)).toHaveLength(1);
    expect(await keys(H)).toEqual([sequence(4)]);
    expect(chainH.mined()).toEqual([]);
  });

  it('flushes in the middle of a batch: changes before the request are stored first, changes after it ask for the next flush', async () => {
    const { world, deps, keys } = intake();
    const [a, b] = [world.investor(), world.investor()];
    const batch = [message(world.change(a, 'add'), 1, G), message(flushOf(registryG), 2, G), message(world.change(b, 'add'), 3, G)];

    const outcomes = await handleAllowlistBatch(deps, batch, soon());

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['accepted', 'flushed', 'accepted']);
    expect(world.chain.stateOf(a.wallets[0]!).verified).toBe(true);
    expect(world.chain.stateOf(b.wallets[0]!).contains).toBe(false);
    expect(await keys(G)).toEqual([sequence(3)]);
    expect(world.flushRequests.summary()).toEqual([`${G} ${sequence(1)}:0`, `${G} ${sequence(3)}:0`]);
  });
});

describe('flush request de-duplication ids', () => {
  it('are the same for the same registry and pending state, whatever the case of the address, and differ otherwise', () => {
    const id = flushRequestDeduplicationId({ chainId: 31337, identityRegistry: registryG }, 'k:0');
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(flushRequestDeduplicationId({ chainId: 31337, identityRegistry: registryG.toUpperCase().replace('0X', '0x') }, 'k:0')).toBe(id);
    expect(flushRequestDeduplicationId({ chainId: 31337, identityRegistry: registryG }, 'k:1')).not.toBe(id);
    expect(flushRequestDeduplicationId({ chainId: 31337, identityRegistry: registryH }, 'k:0')).not.toBe(id);
    expect(flushRequestDeduplicationId({ chainId: 1, identityRegistry: registryG }, 'k:0')).not.toBe(id);
  });
});
