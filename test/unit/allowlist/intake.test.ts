import { TransientError, changeGroupId, type AllowlistChange, type RegistryTarget } from '../../../lambda/shared';
import { handleAllowlistBatch, type AllowlistMessage, type AllowlistWorkerDeps, type FlushDeps } from '../../../lambda/modules/allowlist';
import type { AllowlistJournal, PendingIntent } from '../../../lambda/modules/allowlist/ports';

// Error paths of the batch intake that DynamoDB Local and fauxqs cannot produce on demand (one write
// of a batch failing, the flush request failing); the happy paths run on real parts in
// test/integration/allowlist-worker.test.ts.

const registryG = '0x2279b7a0a67db372996a5fab50d91eaa73d2ebe6';
const registryH = '0x8a791620dd6260079bf849dc5567adc3f2fdc318';
const change = (identityRegistry: string, index: number): AllowlistChange => ({
  action: 'add',
  investorId: `i-${index}`,
  wallet: `0x${String(index).padStart(40, '0')}`,
  country: 'US',
  chainId: 31337,
  identityRegistry,
  version: 3,
});
const message = (body: unknown, index: number, group: string, receiveCount = 1): AllowlistMessage => ({
  body: typeof body === 'string' ? body : JSON.stringify(body),
  messageId: `m-${index}`,
  sequence: String(index).padStart(40, '0'),
  receiveCount,
  group,
});
const G = changeGroupId({ chainId: 31337, identityRegistry: registryG });
const H = changeGroupId({ chainId: 31337, identityRegistry: registryH });

/** A journal in memory whose writes of the keys in `failing` fail as a throttled DynamoDB would. */
function world(options: { failing?: string[]; flushFails?: boolean } = {}) {
  const intents = new Map<string, PendingIntent>();
  const flushes: { target: RegistryTarget; token: string }[] = [];
  const deadLetters: { key: string; code: string }[] = [];
  const summaries: string[] = [];
  const journal = {
    async recordIntent(intent: PendingIntent) {
      if (options.failing?.includes(intent.key)) throw new TransientError('throughput exceeded');
      if (intents.has(intent.key)) return false;
      intents.set(intent.key, intent);
      return true;
    },
    async pendingSummary(group: string) {
      summaries.push(group);
      const oldest = [...intents.values()].filter((intent) => intent.group === group).sort((a, b) => a.key.localeCompare(b.key))[0];
      return { count: oldest ? 1 : 0, oldest: oldest && { key: oldest.key, attempts: oldest.attempts } };
    },
  } as unknown as AllowlistJournal;
  const deps: AllowlistWorkerDeps = {
    journal,
    deadLetters: { send: async (letter, reason) => void deadLetters.push({ key: letter.key, code: reason.code }) },
    flushRequests: {
      requestFlush: async (target, token) => {
        if (options.flushFails) throw new TransientError('SQS unavailable');
        flushes.push({ target, token });
      },
    },
    registry: () => ({}) as FlushDeps,
    maxReceiveCount: 5,
    retryBaseSeconds: 5,
  };
  return { deps, intents, flushes, deadLetters, summaries };
}

describe('allowlist intake of a Lambda batch', () => {
  it('stores every change of the batch, dead-letters what can never apply, and asks once per registry for a flush', async () => {
    const { deps, intents, flushes, deadLetters, summaries } = world();
    const batch = [
      message(change(registryG, 1), 1, G),
      message('not json', 2, G),
      message(change(registryG, 3), 3, G),
      message(change(registryH, 4), 4, H),
      message(change(registryG, 5), 5, G),
    ];
    const outcomes = await handleAllowlistBatch(deps, batch, Date.now() + 10_000);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['accepted', 'dead-lettered', 'accepted', 'accepted', 'accepted']);
    expect([...intents.keys()].sort()).toEqual([1, 3, 4, 5].map((index) => String(index).padStart(40, '0')));
    expect(deadLetters).toEqual([{ key: 'm-2', code: 'INVALID_MESSAGE' }]);
    expect(summaries.sort()).toEqual([G, H].sort());
    expect(flushes.map(({ target, token }) => [changeGroupId(target), token])).toEqual(
      expect.arrayContaining([
        [G, `${'1'.padStart(40, '0')}:0`],
        [H, `${'4'.padStart(40, '0')}:0`],
      ]),
    );
    expect(flushes).toHaveLength(2);
  });

  it('retries a change whose write failed and holds back the later records of its group (even those stored), not other groups', async () => {
    const { deps, flushes } = world({ failing: ['3'.padStart(40, '0')] });
    const batch = [
      message(change(registryG, 1), 1, G),
      message(change(registryG, 3), 3, G, 2),
      message(change(registryH, 4), 4, H),
      message(change(registryG, 5), 5, G),
    ];
    const outcomes = await handleAllowlistBatch(deps, batch, Date.now() + 10_000);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['accepted', 'retry', 'accepted', 'retry']);
    // The second receive backs off 10 s; the record held behind it comes back with it.
    expect(outcomes[1]).toMatchObject({ afterSeconds: 10 });
    expect(outcomes[3]).toMatchObject({
      afterSeconds: 10,
      error: expect.objectContaining({ message: 'an earlier message of its FIFO group is retried first' }),
    });
    expect(flushes.map(({ target }) => changeGroupId(target)).sort()).toEqual([G, H].sort());
  });

  it('dead-letters a change whose write keeps failing after maxReceiveCount receives, and goes on with the rest', async () => {
    const { deps, deadLetters } = world({ failing: ['1'.padStart(40, '0')] });
    const outcomes = await handleAllowlistBatch(deps, [message(change(registryG, 1), 1, G, 5), message(change(registryG, 2), 2, G)], Date.now() + 10_000);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['dead-lettered', 'accepted']);
    expect(deadLetters).toEqual([{ key: 'm-1', code: 'RETRIES_EXHAUSTED' }]);
  });

  it('retries the stored changes when the flush request cannot be sent (a redelivery stores nothing twice)', async () => {
    const { deps, intents } = world({ flushFails: true });
    const batch = [message(change(registryG, 1), 1, G), message('{"action":"add"}', 2, G), message(change(registryG, 3), 3, G)];
    const outcomes = await handleAllowlistBatch(deps, batch, Date.now() + 10_000);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['retry', 'dead-lettered', 'retry']);
    expect(intents.size).toBe(2);
    const again = await handleAllowlistBatch({ ...deps, flushRequests: { requestFlush: async () => undefined } }, [batch[0]!, batch[2]!], Date.now() + 10_000);
    expect(again.map((outcome) => outcome.status)).toEqual(['accepted', 'accepted']);
    expect(intents.size).toBe(2);
  });
});
