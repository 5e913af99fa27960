import { TransientError } from '../../../lambda/shared';
import { JournaledSender, bumpFees, type CallToSend, type SenderDeps } from '../../../lambda/modules/allowlist/transactions';
import type { ChainCall, TransactionSlot } from '../../../lambda/modules/allowlist/ports';
import { allowlistWorld, type AllowlistWorld } from '../../helpers/allowlist-world';

const SIGNER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const signerKey = `31337:${SIGNER.toLowerCase()}`;
const soon = () => Date.now() + 60_000;
const wallet = (index: number) => `0x${String(index).padStart(40, '6')}`;
const freeze = (index: number): CallToSend => ({
  call: { kind: 'setFrozen', wallets: [wallet(index)], frozen: true },
  gasLimit: 100_000n,
  intentKeys: [`key-${index}`],
});

function senderOf(world: AllowlistWorld, overrides: Partial<SenderDeps> = {}): JournaledSender {
  return new JournaledSender({
    chain: world.chain,
    journal: world.journal,
    group: world.group,
    now: world.now,
    sleep: async (ms) => {
      world.advance(ms);
      world.chain.mine();
    },
    deadline: soon(),
    ...overrides,
  });
}

/** A slot claimed in the journal for a call signed at `nonce`, as a worker claims it before broadcasting. */
async function claimed(world: AllowlistWorld, call: ChainCall, nonce: number, intentKeys: string[] = ['key']): Promise<TransactionSlot> {
  const signed = await world.chain.sign(call, { nonce, gasLimit: '200000', fees: world.chain.fees });
  const at = world.now().toISOString();
  const slot: TransactionSlot = {
    signer: signerKey,
    nonce,
    group: world.group,
    call,
    intentKeys,
    gasLimit: '200000',
    attempts: [signed],
    status: 'pending',
    createdAt: at,
    updatedAt: at,
  };
  expect(await world.journal.claimSlots([slot])).toBe(true);
  return slot;
}

describe('sending transactions exactly once', () => {
  it('journals every nonce with its signed transaction before broadcasting it, and waits until each is mined', async () => {
    const world = allowlistWorld({ chain: { signer: SIGNER } });
    const journaledAtBroadcast: boolean[] = [];
    const broadcast = world.chain.broadcast.bind(world.chain);
    jest.spyOn(world.chain, 'broadcast').mockImplementation(async (raw) => {
      journaledAtBroadcast.push(world.journal.allSlots().some((slot) => slot.attempts.some((attempt) => attempt.raw === raw)));
      return broadcast(raw);
    });
    const broadcastSlots: number[] = [];

    const settled = await senderOf(world, { afterBroadcast: async (slot) => void broadcastSlots.push(slot.nonce) }).send([freeze(1), freeze(2), freeze(3)]);

    expect(journaledAtBroadcast).toEqual([true, true, true]);
    expect(broadcastSlots).toEqual([0, 1, 2]);
    expect(settled.map((slot) => [slot.nonce, slot.status, slot.intentKeys])).toEqual([
      [0, 'mined', ['key-1']],
      [1, 'mined', ['key-2']],
      [2, 'mined', ['key-3']],
    ]);
    expect(settled[0]).toMatchObject({
      signer: signerKey,
      group: world.group,
      gasLimit: '100000',
      attempts: [{ fees: world.chain.fees, signedAt: world.now().toISOString() }],
      receipt: { hash: settled[0]!.attempts[0]!.hash, status: 'success' },
    });
    expect(world.journal.allSlots()).toEqual(settled);
    expect(world.chain.mined().map((transaction) => transaction.nonce)).toEqual([0, 1, 2]);
  });

  it('sends nothing for no calls', async () => {
    const world = allowlistWorld();
    jest.spyOn(world.chain, 'transactionCount');
    expect(await senderOf(world).send([])).toEqual([]);
    expect(world.chain.transactionCount).not.toHaveBeenCalled();
  });

  it('claims at most 100 nonces per journal transaction, consecutive across claims', async () => {
    const world = allowlistWorld();
    const claims = jest.spyOn(world.journal, 'claimSlots');

    const settled = await senderOf(world).send(Array.from({ length: 150 }, (_, index) => freeze(index)));

    expect(claims.mock.calls.map(([slots]) => slots.length)).toEqual([100, 50]);
    expect(settled.map((slot) => slot.nonce)).toEqual(Array.from({ length: 150 }, (_, index) => index));
    expect(settled.every((slot) => slot.status === 'mined')).toBe(true);
  });

  it('settles a transaction that reverts on chain as reverted, its nonce used', async () => {
    const world = allowlistWorld();
    const [settled] = await senderOf(world).send([{ call: { kind: 'delete', wallet: wallet(1) }, gasLimit: 100_000n, intentKeys: ['key-1'] }]);
    expect(settled).toMatchObject({ status: 'reverted', receipt: { status: 'reverted' } });
    expect(await world.chain.transactionCount(SIGNER, 'latest')).toBe(1);
  });

  it('counts a receipt only after the chain has mined the required confirmations on top of it', async () => {
    const world = allowlistWorld({ chain: { confirmations: 3 } });
    const sleeps: number[] = [];
    const sender = senderOf(world, {
      sleep: async (ms) => {
        sleeps.push(ms);
        world.chain.mine();
      },
    });

    const [settled] = await sender.send([freeze(1)]);

    expect(sleeps).toEqual([world.chain.pollIntervalMs, world.chain.pollIntervalMs]);
    expect((await world.chain.blockNumber()) - settled!.receipt!.blockNumber + 1).toBe(3);
  });

  it('stops waiting at the deadline; the transactions stay journaled for the next run', async () => {
    const world = allowlistWorld({ chain: { automine: false } });
    await expect(senderOf(world, { deadline: Date.now() - 1 }).send([freeze(1), freeze(2)])).rejects.toThrow(
      new TransientError('2 transaction(s) of chain 31337 not confirmed yet; they are journaled and resume on retry'),
    );
    expect(world.journal.allSlots().map((slot) => slot.status)).toEqual(['pending', 'pending']);
    expect(world.chain.pending().map((transaction) => transaction.nonce)).toEqual([0, 1]);
  });
});

describe('choosing nonces', () => {
  it("takes the chain's pending count when it is ahead of the journal (the key used outside the journal)", async () => {
    const world = allowlistWorld();
    await world.chain.sendOutsideTheJournal({ kind: 'setFrozen', wallets: [wallet(9)], frozen: true });
    await world.chain.sendOutsideTheJournal({ kind: 'setFrozen', wallets: [wallet(9)], frozen: false });
    const [settled] = await senderOf(world).send([freeze(1)]);
    expect(settled).toMatchObject({ nonce: 2, status: 'mined' });
  });

  it('takes the nonce after the highest one claimed in the journal, even if its transaction is not broadcast yet', async () => {
    const world = allowlistWorld();
    // Another writer claimed nonce 0 and has not broadcast it yet.
    const theirs = await claimed(world, { kind: 'setFrozen', wallets: [wallet(9)], frozen: true }, 0, ['their-key']);
    const sender = senderOf(world, { deadline: Date.now() - 1 });

    // Nonce 1 cannot be mined before nonce 0: the wait ends at the deadline.
    await expect(sender.send([freeze(1)])).rejects.toThrow(TransientError);
    expect(world.journal.allSlots().map((slot) => [slot.nonce, slot.intentKeys])).toEqual([
      [0, ['their-key']],
      [1, ['key-1']],
    ]);

    // Their transaction goes out; the next run finishes both.
    await world.chain.broadcast(theirs.attempts[0]!.raw);
    const recovered = await senderOf(world).recover();
    expect(recovered.map((slot) => [slot.nonce, slot.status])).toEqual([
      [0, 'mined'],
      [1, 'mined'],
    ]);
  });

  it('claims again with fresh nonces when another writer claimed the same nonce first', async () => {
    const world = allowlistWorld();
    const claimSlots = world.journal.claimSlots.bind(world.journal);
    const claims = jest.spyOn(world.journal, 'claimSlots').mockImplementationOnce(async (slots) => {
      // The rival claims and broadcasts nonce 0 between our read of the nonces and our claim.
      const rival = await claimed(world, { kind: 'setFrozen', wallets: [wallet(9)], frozen: true }, slots[0]!.nonce, ['rival']);
      await world.chain.broadcast(rival.attempts[0]!.raw);
      return claimSlots(slots);
    });

    const [settled] = await senderOf(world).send([freeze(1)]);

    expect(claims).toHaveBeenCalledTimes(3);
    expect(settled).toMatchObject({ nonce: 1, status: 'mined', intentKeys: ['key-1'] });
    expect(world.journal.allSlots().map((slot) => slot.intentKeys)).toEqual([['rival'], ['key-1']]);
  });

  it('gives up after eight claims lost to other writers in a row', async () => {
    const world = allowlistWorld({ chain: { signer: SIGNER } });
    jest.spyOn(world.journal, 'claimSlots').mockResolvedValue(false);
    await expect(senderOf(world).send([freeze(1)])).rejects.toThrow(new TransientError(`nonces of ${signerKey} are contended; gave up after 8 claims`));
    expect(world.chain.pending()).toEqual([]);
  });
});

describe('recovering what a crashed run left open', () => {
  it('finds nothing to do when no slot is open', async () => {
    const world = allowlistWorld();
    await senderOf(world).send([freeze(1)]);
    jest.spyOn(world.chain, 'broadcast');
    expect(await senderOf(world).recover()).toEqual([]);
    expect(world.chain.broadcast).not.toHaveBeenCalled();
  });

  it('broadcasts a slot claimed but never broadcast (a crash in between)', async () => {
    const world = allowlistWorld();
    const slot = await claimed(world, { kind: 'setFrozen', wallets: [wallet(1)], frozen: true }, 0);
    const [recovered] = await senderOf(world).recover();
    expect(recovered).toMatchObject({ nonce: 0, status: 'mined', receipt: { hash: slot.attempts[0]!.hash } });
    expect(world.chain.stateOf(wallet(1)).frozen).toBe(true);
    expect(world.journal.allSlots()[0]!.status).toBe('mined');
  });

  it('re-broadcasts the same bytes of a slot already mined (a no-op for the node) and finds its receipt', async () => {
    const world = allowlistWorld();
    const slot = await claimed(world, { kind: 'setFrozen', wallets: [wallet(1)], frozen: true }, 0);
    await world.chain.broadcast(slot.attempts[0]!.raw);
    const broadcast = jest.spyOn(world.chain, 'broadcast');

    const [recovered] = await senderOf(world).recover();

    expect(await broadcast.mock.results[0]!.value).toBe('nonce-used');
    expect(recovered).toMatchObject({ status: 'mined', receipt: { hash: slot.attempts[0]!.hash } });
    expect(world.chain.mined()).toHaveLength(1);
  });

  it('re-broadcasts a slot the node still holds ("known") and waits for it to be mined', async () => {
    const world = allowlistWorld({ chain: { automine: false } });
    const slot = await claimed(world, { kind: 'setFrozen', wallets: [wallet(1)], frozen: true }, 0);
    await world.chain.broadcast(slot.attempts[0]!.raw);
    const broadcast = jest.spyOn(world.chain, 'broadcast');

    const [recovered] = await senderOf(world).recover();

    expect(await broadcast.mock.results[0]!.value).toBe('known');
    expect(recovered).toMatchObject({ status: 'mined', receipt: { hash: slot.attempts[0]!.hash } });
  });

  it('settles as superseded a slot whose nonce a transaction we never signed for it took', async () => {
    const world = allowlistWorld();
    await claimed(world, { kind: 'setFrozen', wallets: [wallet(1)], frozen: true }, 0);
    await world.chain.sendOutsideTheJournal({ kind: 'setFrozen', wallets: [wallet(2)], frozen: true });

    const [recovered] = await senderOf(world).recover();

    expect(recovered).toMatchObject({ nonce: 0, status: 'superseded' });
    expect(recovered!.receipt).toBeUndefined();
    expect(world.chain.stateOf(wallet(1)).frozen).toBe(false);
    expect(world.journal.allSlots()[0]!.status).toBe('superseded');
  });

  it('searches the journal from 256 nonces below the mined count', async () => {
    const world = allowlistWorld();
    await claimed(world, { kind: 'setFrozen', wallets: [wallet(1)], frozen: true }, 3);
    for (let index = 0; index < 260; index++) await world.chain.sendOutsideTheJournal({ kind: 'setFrozen', wallets: [wallet(2)], frozen: index % 2 === 0 });
    jest.spyOn(world.journal, 'slotsFrom');

    expect(await senderOf(world).recover()).toEqual([]);
    expect(world.journal.slotsFrom).toHaveBeenCalledWith(signerKey, 4);
  });
});

describe('replacing stuck transactions', () => {
  it('replaces a transaction not mined after stuckAfterMs with the same nonce and higher fees, recorded before it is broadcast', async () => {
    const world = allowlistWorld({ chain: { automine: false, stuckAfterMs: 30_000, bumpPercent: 20 } });
    const journaledAttempts: number[] = [];
    const broadcast = world.chain.broadcast.bind(world.chain);
    jest.spyOn(world.chain, 'broadcast').mockImplementation(async (raw) => {
      journaledAttempts.push(world.journal.allSlots()[0]?.attempts.findIndex((attempt) => attempt.raw === raw) ?? -1);
      return broadcast(raw);
    });
    // Blocks come only once the replacement is in (the first transaction's fee is too low to be picked).
    const sleep = async (ms: number) => {
      world.advance(ms);
      if (world.journal.allSlots()[0]!.attempts.length > 1) world.chain.mine();
    };

    const [settled] = await senderOf(world, { sleep: () => sleep(10_000) }).send([freeze(1)]);

    const [first, second] = settled!.attempts;
    expect(settled!.attempts).toHaveLength(2);
    expect(journaledAttempts).toEqual([0, 1]);
    expect(second!.fees).toEqual({ maxFeePerGas: '2400000000', maxPriorityFeePerGas: '1200000000' });
    expect(Date.parse(second!.signedAt) - Date.parse(first!.signedAt)).toBe(30_000);
    expect(settled).toMatchObject({ nonce: 0, status: 'mined', receipt: { hash: second!.hash } });
    expect(world.journal.allSlots()[0]!.attempts.map((attempt) => attempt.hash)).toEqual([first!.hash, second!.hash]);
  });

  it('pays what the chain asks now when that is above the bump', async () => {
    const world = allowlistWorld({ chain: { automine: false, stuckAfterMs: 30_000, bumpPercent: 20 } });
    const sleep = async () => {
      world.advance(30_000);
      world.chain.fees = { maxFeePerGas: '9000000000', maxPriorityFeePerGas: '1000000000' };
      if (world.journal.allSlots()[0]!.attempts.length > 1) world.chain.mine();
    };
    const [settled] = await senderOf(world, { sleep }).send([freeze(1)]);
    expect(settled!.attempts[1]!.fees).toEqual({ maxFeePerGas: '9000000000', maxPriorityFeePerGas: '1200000000' });
  });

  it('does not broadcast its replacement when another writer changed the slot first', async () => {
    const world = allowlistWorld({ chain: { automine: false, stuckAfterMs: 30_000 } });
    const addAttempt = world.journal.addAttempt.bind(world.journal);
    jest.spyOn(world.journal, 'addAttempt').mockImplementationOnce(async (slot, attempt) => {
      // The other writer records its own replacement first.
      await addAttempt(slot, { ...attempt, hash: '0xrival', raw: '0xrival' });
      return addAttempt(slot, attempt);
    });
    jest.spyOn(world.chain, 'broadcast');
    let sleeps = 0;
    const sleep = async () => {
      world.advance(30_000);
      if (++sleeps === 2) world.chain.mine();
    };

    const [settled] = await senderOf(world, { sleep }).send([freeze(1)]);

    expect(world.chain.broadcast).toHaveBeenCalledTimes(1);
    expect(settled).toMatchObject({ status: 'mined', receipt: { hash: settled!.attempts[0]!.hash } });
  });
});

describe('fee bumps', () => {
  it('raises both fees by the percentage (rounded up), and never below what the chain asks now', () => {
    expect(bumpFees({ maxFeePerGas: '100', maxPriorityFeePerGas: '10' }, { maxFeePerGas: '50', maxPriorityFeePerGas: '5' }, 20)).toEqual({
      maxFeePerGas: '120',
      maxPriorityFeePerGas: '12',
    });
    expect(bumpFees({ maxFeePerGas: '101', maxPriorityFeePerGas: '11' }, { maxFeePerGas: '1', maxPriorityFeePerGas: '1' }, 10)).toEqual({
      maxFeePerGas: '112',
      maxPriorityFeePerGas: '13',
    });
    expect(bumpFees({ maxFeePerGas: '100', maxPriorityFeePerGas: '10' }, { maxFeePerGas: '500', maxPriorityFeePerGas: '50' }, 20)).toEqual({
      maxFeePerGas: '500',
      maxPriorityFeePerGas: '50',
    });
  });

  it('keeps the max fee at least the priority fee', () => {
    expect(bumpFees({ maxFeePerGas: '10', maxPriorityFeePerGas: '10' }, { maxFeePerGas: '10', maxPriorityFeePerGas: '40' }, 10)).toEqual({
      maxFeePerGas: '40',
      maxPriorityFeePerGas: '40',
    });
  });
});
