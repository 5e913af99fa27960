import { ConflictError, TransientError } from '../../../lambda/shared';
import { flushRegistry } from '../../../lambda/modules/allowlist/flush';
import { ZERO_ADDRESS } from '../../../lambda/modules/allowlist/fakes';
import type { ChainCall, TransactionSlot } from '../../../lambda/modules/allowlist/ports';
import { allowlistWorld, gate, settle, type AllowlistWorld } from '../../helpers/allowlist-world';

const soon = () => Date.now() + 60_000;
const flush = (world: AllowlistWorld, overrides: Parameters<AllowlistWorld['deps']>[0] = {}) => flushRegistry(world.deps(overrides), { deadline: soon() });
const sent = (world: AllowlistWorld, kind: ChainCall['kind']) => world.chain.mined().filter((transaction) => transaction.call.kind === kind);
const wallets = (call: ChainCall) =>
  call.kind === 'register' ? call.entries.map((entry) => entry.wallet) : call.kind === 'setFrozen' ? [...call.wallets] : 'wallet' in call ? [call.wallet] : [];

describe('flushing a registry: adds, removes, freezes, unfreezes', () => {
  it("registers an eligible investor's wallet with a new identity, audits it with its transaction and moves the investor to allowlisted", async () => {
    const world = allowlistWorld();
    const investor = world.investor({ countryOfResidence: 'DE' });
    const wallet = investor.wallets[0]!;
    await world.pend(world.change(investor, 'add'));

    const result = await flush(world);

    expect(result).toEqual({ applied: 1, alreadyInState: 0, skipped: 0, deadLettered: 0, transactions: 2, remaining: 0, held: 0 });
    expect(world.chain.stateOf(wallet)).toEqual({ contains: true, verified: true, frozen: false });
    expect(world.chain.countryOf(wallet)).toBe(276);
    expect(world.chain.mined().map((transaction) => transaction.call.kind)).toEqual(['createInvestorIdentity', 'register']);
    expect(world.trail(investor)).toEqual(['allowlist.registered', 'investor.allowlisted']);
    const [registered, allowlisted] = world.records(investor);
    const register = sent(world, 'register')[0]!;
    expect(registered!.data).toEqual({
      chainId: world.chain.chainId,
      identityRegistry: world.chain.identityRegistry,
      wallet,
      transactionHash: register.hash,
      nonce: register.nonce,
      blockNumber: expect.any(Number),
      batchSize: 1,
    });
    expect(registered!.idempotencyKey).toBe(`allowlist#${world.chain.chainId}:${world.chain.identityRegistry}:${wallet}:add:v3`);
    expect(allowlisted!.data).toEqual({ chainId: world.chain.chainId, identityRegistry: world.chain.identityRegistry, wallet });
    expect(await world.investors.get(investor.investorId)).toMatchObject({ status: 'allowlisted', version: 4 });
    expect(await world.pending()).toEqual([]);
    expect(world.journal.allSlots().map((slot) => slot.status)).toEqual(['mined', 'mined']);
    expect(world.journal.leaseHolder(world.group)).toBeUndefined();
  });

  it("registers every wallet of an investor to the investor's one identity, and does not move an investor who is allowlisted already", async () => {
    const world = allowlistWorld();
    const investor = world.investor({
      status: 'allowlisted',
      wallets: ['0x1000000000000000000000000000000000000001', '0x1000000000000000000000000000000000000002'],
    });
    const [first, second] = investor.wallets as [string, string];
    world.chain.registerByHand(first);
    world.chain.removeByHand(first);
    await world.pend(world.change(investor, 'add', first), world.change(investor, 'add', second));

    const result = await flush(world);

    expect(result).toMatchObject({ applied: 2, transactions: 2, remaining: 0 });
    expect(world.chain.mined().map((transaction) => `${transaction.call.kind} ${wallets(transaction.call).join(',')}`)).toEqual([
      'createInvestorIdentity ',
      `register ${first},${second}`,
    ]);
    const identity = world.chain.identityOfInvestor(investor.investorId);
    expect([...(await world.chain.registeredIdentities([first, second])).values()]).toEqual([identity, identity]);
    expect(world.trail(investor)).toEqual(['allowlist.registered', 'allowlist.registered']);
    expect(world.records(investor).map((record) => record.data.batchSize)).toEqual([2, 2]);
    expect(await world.investors.get(investor.investorId)).toEqual(investor);
  });

  it('freezes then removes a wallet (a sanctions hit), and unfreezes it later, one audit record per change', async () => {
    const world = allowlistWorld();
    const investor = world.investor({ status: 'allowlisted' });
    const wallet = investor.wallets[0]!;
    world.chain.registerByHand(wallet);
    await world.pend(world.change(investor, 'freeze', wallet, 5), world.change(investor, 'remove', wallet, 5));

    expect(await flush(world)).toMatchObject({ applied: 2, transactions: 2, remaining: 0 });
    expect(world.chain.stateOf(wallet)).toEqual({ contains: false, verified: false, frozen: true });
    // One stage, in nonce order: the freeze goes first, so the wallet is never registered and unfrozen after the hit.
    expect(world.chain.mined().map((transaction) => [transaction.call.kind, transaction.nonce])).toEqual([
      ['setFrozen', 0],
      ['delete', 1],
    ]);

    await world.pend(world.change(investor, 'unfreeze', wallet, 6));
    expect(await flush(world)).toMatchObject({ applied: 1, transactions: 1, remaining: 0 });
    expect(world.chain.stateOf(wallet).frozen).toBe(false);
    expect(world.trail(investor)).toEqual(['allowlist.frozen', 'allowlist.removed', 'allowlist.unfrozen']);
  });

  it('counts a change already in place on chain as done without a transaction, audited as observed on chain', async () => {
    const world = allowlistWorld();
    const investor = world.investor();
    const wallet = investor.wallets[0]!;
    world.chain.registerByHand(wallet);
    await world.pend(world.change(investor, 'add'), world.change(investor, 'unfreeze'));

    expect(await flush(world)).toEqual({ applied: 0, alreadyInState: 2, skipped: 0, deadLettered: 0, transactions: 0, remaining: 0, held: 0 });
    expect(world.chain.mined()).toEqual([]);
    expect(world.trail(investor)).toEqual(['allowlist.registered', 'allowlist.unfrozen', 'investor.allowlisted']);
    expect(world.records(investor)[0]!.data).toEqual({
      chainId: world.chain.chainId,
      identityRegistry: world.chain.identityRegistry,
      wallet,
      observedOnChain: true,
    });
    expect((await world.investors.get(investor.investorId))?.status).toBe('allowlisted');
  });

  it('records one audit entry for a change queued twice (past de-duplication) and sends it once', async () => {
    const world = allowlistWorld();
    const investor = world.investor();
    await world.pend(world.change(investor, 'add'), world.change(investor, 'add'));

    expect(await flush(world)).toMatchObject({ applied: 2, transactions: 2, remaining: 0 });
    expect(sent(world, 'register')).toHaveLength(1);
    expect(world.trail(investor)).toEqual(['allowlist.registered', 'investor.allowlisted']);
  });

  it('does nothing when nothing is pending', async () => {
    const world = allowlistWorld();
    expect(await flush(world)).toEqual({ applied: 0, alreadyInState: 0, skipped: 0, deadLettered: 0, transactions: 0, remaining: 0, held: 0 });
    expect(world.chain.mined()).toEqual([]);
  });
});

describe('flushing a burst in batches', () => {
  it('sends adds as batchRegisterIdentity transactions of at most maxBatchSize wallets, a page each', async () => {
    const world = allowlistWorld({ chain: { maxBatchSize: 3 } });
    const investors = Array.from({ length: 7 }, () => world.investor());
    await world.pend(...investors.map((investor) => world.change(investor, 'add')));

    const result = await flush(world);

    expect(result).toMatchObject({ applied: 7, transactions: 10, remaining: 0 });
    expect(sent(world, 'register').map((transaction) => wallets(transaction.call).length)).toEqual([3, 3, 1]);
    expect(sent(world, 'register').flatMap((transaction) => wallets(transaction.call))).toEqual(investors.map((investor) => investor.wallets[0]));
    expect(investors.map((investor) => world.records(investor)[0]!.data.batchSize)).toEqual([3, 3, 3, 3, 3, 3, 1]);
    for (const investor of investors) expect(world.trail(investor)).toEqual(['allowlist.registered', 'investor.allowlisted']);
    // Nonces are consecutive, one transaction each.
    expect(world.chain.mined().map((transaction) => transaction.nonce)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('batches freezes and unfreezes of one page into batchSetAddressFrozen transactions', async () => {
    const world = allowlistWorld({ chain: { maxBatchSize: 4 } });
    const investors = Array.from({ length: 4 }, () => world.investor({ status: 'allowlisted' }));
    for (const investor of investors) world.chain.registerByHand(investor.wallets[0]!);
    await world.pend(...investors.map((investor) => world.change(investor, 'freeze')));
    expect(await flush(world)).toMatchObject({ applied: 4, transactions: 1 });

    await world.pend(...investors.map((investor) => world.change(investor, 'unfreeze', undefined, 6)));
    expect(await flush(world)).toMatchObject({ applied: 4, transactions: 1 });
    expect(world.chain.mined().map((transaction) => transaction.call)).toEqual([
      { kind: 'setFrozen', wallets: investors.map((investor) => investor.wallets[0]), frozen: true },
      { kind: 'setFrozen', wallets: investors.map((investor) => investor.wallets[0]), frozen: false },
    ]);
  });
});

describe('flushing what the chain refuses', () => {
  it('splits a batch that would revert until the refused wallets are found: those go to the DLQ with the revert reason, the rest goes through', async () => {
    const world = allowlistWorld();
    const investors = Array.from({ length: 4 }, () => world.investor({ status: 'allowlisted' }));
    const [w1, w2, w3, w4] = investors.map((investor) => investor.wallets[0]!) as [string, string, string, string];
    world.chain.refuse(w2, 'sanctioned address');
    world.chain.refuse(w4, 'sanctioned address');
    const intents = await world.pend(...investors.map((investor) => world.change(investor, 'freeze')));

    const result = await flush(world);

    expect(result).toMatchObject({ applied: 2, deadLettered: 2, transactions: 2, remaining: 0 });
    expect(world.chain.mined().map((transaction) => wallets(transaction.call))).toEqual([[w1], [w3]]);
    expect(world.deadLetters.letters).toEqual([
      {
        body: JSON.stringify(intents[1]!.change),
        group: world.group,
        key: intents[1]!.key,
        reason: { code: 'CHAIN_REVERTED', reason: 'sanctioned address', attempts: 0 },
      },
      {
        body: JSON.stringify(intents[3]!.change),
        group: world.group,
        key: intents[3]!.key,
        reason: { code: 'CHAIN_REVERTED', reason: 'sanctioned address', attempts: 0 },
      },
    ]);
    expect(world.trail(investors[1]!)).toEqual(['allowlist.failed']);
    expect(world.records(investors[1]!)[0]!.data).toEqual({
      chainId: world.chain.chainId,
      identityRegistry: world.chain.identityRegistry,
      wallet: w2,
      action: 'freeze',
      code: 'CHAIN_REVERTED',
      reason: 'sanctioned address',
    });
    expect(world.trail(investors[0]!)).toEqual(['allowlist.frozen']);
    expect(await world.pending()).toEqual([]);
  });

  it('dead-letters the one add of a registration batch the registry refuses (a zero address), registering the others', async () => {
    const world = allowlistWorld();
    const holder = world.investor({ wallets: ['0x2000000000000000000000000000000000000001', ZERO_ADDRESS] });
    const other = world.investor();
    await world.pend(world.change(holder, 'add', ZERO_ADDRESS), world.change(holder, 'add'), world.change(other, 'add'));

    expect(await flush(world)).toMatchObject({ applied: 2, deadLettered: 1, remaining: 0 });
    // [zero, holder's] and [other's]; then [zero] alone and [holder's] alone.
    expect(sent(world, 'register').map((transaction) => wallets(transaction.call))).toEqual([[holder.wallets[0]], [other.wallets[0]]]);
    expect(world.deadLetters.reasons()).toEqual(['CHAIN_REVERTED: invalid argument - zero address']);
    expect(world.trail(holder)).toEqual(['allowlist.failed', 'allowlist.registered', 'investor.allowlisted']);
  });

  it('dead-letters every change of a registry whose agent role was revoked, and redriven ones go through once it is back', async () => {
    const world = allowlistWorld();
    const investors = [world.investor(), world.investor()];
    world.chain.removeAgent('registry');
    await world.pend(...investors.map((investor) => world.change(investor, 'add')));

    expect(await flush(world)).toMatchObject({ applied: 0, deadLettered: 2, remaining: 0 });
    expect(world.deadLetters.reasons()).toEqual([
      'CHAIN_REVERTED: AgentRole: caller does not have the Agent role',
      'CHAIN_REVERTED: AgentRole: caller does not have the Agent role',
    ]);
    // The identities were created before the registration was simulated; a redrive reuses them.
    expect(sent(world, 'createInvestorIdentity')).toHaveLength(2);

    world.chain.addAgent('registry');
    await world.pend(...world.deadLetters.changes());
    expect(await flush(world)).toMatchObject({ applied: 2, transactions: 1, remaining: 0 });
    for (const investor of investors) expect(world.trail(investor)).toEqual(['allowlist.failed', 'allowlist.registered', 'investor.allowlisted']);
  });

  it("rejects an add of a wallet registered to the investor's identity, which holds our claim, and still not verified (registering again cannot fix it)", async () => {
    const world = allowlistWorld({ chain: { claims: true } });
    const investor = world.investor({ wallets: ['0x1000000000000000000000000000000000000001', '0x1000000000000000000000000000000000000002'] });
    await world.pend(world.change(investor, 'add'));
    await flush(world);
    world.chain.registerByHand(investor.wallets[1]!, { verified: false, identity: world.chain.identityOfInvestor(investor.investorId) });
    await world.pend(world.change(investor, 'add', investor.wallets[1]));

    expect(await flush(world)).toMatchObject({ applied: 0, deadLettered: 1, transactions: 0, remaining: 0, held: 0 });
    expect(world.deadLetters.reasons()).toEqual([
      'REJECTED: the wallet is registered to the investor identity, which holds our current KYC claim, and still not verified (another required claim is missing)',
    ]);
    expect(world.trail(investor)).toEqual(['allowlist.registered', 'investor.allowlisted', 'allowlist.failed']);
  });
});

describe('flushing changes that no longer hold', () => {
  it('skips adds and unfreezes of investors suspended, offboarded, unknown or holding the wallet no more, audited with the reason and never sent; removes and freezes still apply', async () => {
    const world = allowlistWorld();
    const suspended = world.investor({ status: 'suspended' });
    const offboarded = world.investor({ status: 'offboarded' });
    const released = world.investor({ wallets: ['0x3000000000000000000000000000000000000001'] });
    const sanctioned = world.investor({ status: 'allowlisted', suspension: { kind: 'sanctions', reason: 'wallet hit', at: world.now().toISOString() } });
    const unknown = { ...world.investor(), investorId: 'inv-unknown' };
    world.chain.registerByHand(suspended.wallets[0]!);
    world.chain.freezeByHand(sanctioned.wallets[0]!);
    await world.pend(
      world.change(suspended, 'add', '0x3000000000000000000000000000000000000009'),
      world.change(suspended, 'freeze'),
      world.change(suspended, 'remove'),
      world.change(offboarded, 'add'),
      world.change(released, 'add', '0x3000000000000000000000000000000000000002'),
      world.change(sanctioned, 'unfreeze'),
      world.change(offboarded, 'unfreeze'),
      world.change(unknown, 'add'),
    );

    const result = await flush(world);

    expect(result).toEqual({ applied: 2, alreadyInState: 0, skipped: 6, deadLettered: 0, transactions: 2, remaining: 0, held: 0 });
    expect(world.chain.mined().map((transaction) => transaction.call.kind)).toEqual(['setFrozen', 'delete']);
    const skipped = (investorId: string) =>
      world.store
        .records(`investor#${investorId}`)
        .filter((record) => record.type === 'allowlist.skipped')
        .map(({ data }) => `${data.action} ${data.wallet}: ${data.reason}`);
    expect(skipped(suspended.investorId)).toEqual(['add 0x3000000000000000000000000000000000000009: the investor is suspended']);
    expect(skipped(offboarded.investorId)).toEqual([
      `add ${offboarded.wallets[0]}: the investor is offboarded`,
      `unfreeze ${offboarded.wallets[0]}: the investor is offboarded`,
    ]);
    expect(skipped(released.investorId)).toEqual(["add 0x3000000000000000000000000000000000000002: the wallet is no longer one of the investor's"]);
    expect(skipped(sanctioned.investorId)).toEqual([`unfreeze ${sanctioned.wallets[0]}: the investor has a sanctions suspension`]);
    expect(skipped('inv-unknown')).toEqual([`add ${unknown.wallets[0]}: no such investor`]);
    expect(world.trail(suspended)).toEqual(['allowlist.skipped', 'allowlist.frozen', 'allowlist.removed']);
    expect(world.chain.stateOf(sanctioned.wallets[0]!).frozen).toBe(true);
    expect((await world.investors.get(offboarded.investorId))?.status).toBe('offboarded');
    expect(world.deadLetters.letters).toEqual([]);
    expect(await world.pending()).toEqual([]);
  });
});

describe('eligible → allowlisted', () => {
  it('redoes the transition from a fresh read when a concurrent save of the investor wins (the losing attempt stays audited)', async () => {
    const world = allowlistWorld();
    const investor = world.investor();
    await world.pend(world.change(investor, 'add'));
    const save = world.investors.save.bind(world.investors);
    let raced = false;
    jest.spyOn(world.investors, 'save').mockImplementation(async (next, claims) => {
      if (!raced) {
        raced = true;
        // Another writer (a wallet added) saves the investor first, still eligible.
        await save({ ...investor, wallets: [...investor.wallets, '0x4000000000000000000000000000000000000001'], version: investor.version + 1 });
      }
      return save(next, claims);
    });

    await flush(world);

    expect(await world.investors.get(investor.investorId)).toMatchObject({
      status: 'allowlisted',
      version: 5,
      wallets: [investor.wallets[0], expect.any(String)],
    });
    expect(world.trail(investor)).toEqual(['allowlist.registered', 'investor.allowlisted', 'investor.allowlisted']);
    expect(world.records(investor).map((record) => record.idempotencyKey?.split(':')[1])).toEqual([expect.any(String), 'v4', 'v5']);
  });

  it('leaves the investor alone when the concurrent writer moved them out of eligible', async () => {
    const world = allowlistWorld();
    const investor = world.investor();
    await world.pend(world.change(investor, 'add'));
    const save = world.investors.save.bind(world.investors);
    jest.spyOn(world.investors, 'save').mockImplementationOnce(async (next, claims) => {
      await save({ ...investor, status: 'suspended', version: investor.version + 1 });
      return save(next, claims);
    });

    expect(await flush(world)).toMatchObject({ applied: 1, remaining: 0 });
    expect((await world.investors.get(investor.investorId))?.status).toBe('suspended');
    expect(world.trail(investor)).toEqual(['allowlist.registered', 'investor.allowlisted']);
  });

  it('fails the flush on a save that fails for another reason than a race, and the add is retried', async () => {
    const world = allowlistWorld();
    const investor = world.investor();
    await world.pend(world.change(investor, 'add'));
    jest.spyOn(world.investors, 'save').mockRejectedValueOnce(new TransientError('throughput exceeded'));

    await expect(flush(world)).rejects.toThrow('throughput exceeded');
    expect((await world.pending()).map((intent) => intent.attempts)).toEqual([1]);

    expect(await flush(world)).toMatchObject({ alreadyInState: 1, transactions: 0, remaining: 0, held: 0 });
    expect((await world.investors.get(investor.investorId))?.status).toBe('allowlisted');
    expect(world.trail(investor)).toEqual(['allowlist.registered', 'investor.allowlisted']);
  });

  it('gives up the transition after three lost races in a row', async () => {
    const world = allowlistWorld();
    const investor = world.investor();
    await world.pend(world.change(investor, 'add'));
    jest.spyOn(world.investors, 'save').mockRejectedValue(new ConflictError('changed concurrently'));

    expect(await flush(world)).toMatchObject({ applied: 1, remaining: 0 });
    expect(world.investors.save).toHaveBeenCalledTimes(4);
    expect((await world.investors.get(investor.investorId))?.status).toBe('eligible');
  });
});

describe('order across pages', () => {
  it('waits with a second change of a wallet for the next round, so the audit stream keeps queue order', async () => {
    const world = allowlistWorld();
    const investor = world.investor();
    const wallet = investor.wallets[0]!;
    await world.pend(world.change(investor, 'add'), world.change(investor, 'remove', wallet, 5), world.change(investor, 'add', wallet, 6));

    expect(await flush(world)).toMatchObject({ applied: 3, remaining: 0 });
    expect(world.chain.mined().map((transaction) => transaction.call.kind)).toEqual(['createInvestorIdentity', 'register', 'delete', 'register']);
    expect(world.trail(investor)).toEqual(['allowlist.registered', 'investor.allowlisted', 'allowlist.removed', 'allowlist.registered']);
    expect(world.chain.stateOf(wallet).contains).toBe(true);
  });

  it('starts again from the oldest pending intent after a page that left one pending (a reverted registration): a later removal of the wallet waits for it', async () => {
    const world = allowlistWorld({ chain: { maxBatchSize: 2 } });
    const [a, b] = [world.investor(), world.investor({ status: 'allowlisted' })];
    const [walletA, walletB] = [a.wallets[0]!, b.wallets[0]!];
    world.chain.registerByHand(walletB);
    // Page 1: add A, freeze B; page 2: remove A.
    await world.pend(world.change(a, 'add'), world.change(b, 'freeze'), world.change(a, 'remove', walletA, 5));
    // Another agent registers A between the worker's simulation and its transaction: the registration reverts on chain.
    const sign = world.chain.sign.bind(world.chain);
    jest.spyOn(world.chain, 'sign').mockImplementation(async (call, options) => {
      if (call.kind === 'register' && !world.chain.stateOf(walletA).contains) world.chain.registerByHand(walletA);
      return sign(call, options);
    });

    const result = await flush(world);

    expect(result).toMatchObject({ applied: 2, alreadyInState: 1, deadLettered: 0, remaining: 0 });
    expect(
      world.journal
        .allSlots()
        .filter((slot) => slot.call.kind === 'register')
        .map((slot) => slot.status),
    ).toEqual(['reverted']);
    expect([world.chain.stateOf(walletA).contains, world.chain.stateOf(walletB).frozen]).toEqual([false, true]);
    expect(world.trail(a)).toEqual(['allowlist.registered', 'investor.allowlisted', 'allowlist.removed']);
    expect(world.records(a)[0]!.data).toMatchObject({ observedOnChain: true });
  });

  it("records a page's transactions while the next page is planned and sent, pages one after another, each stream in queue order", async () => {
    const world = allowlistWorld({ chain: { maxBatchSize: 1 } });
    const [x, y] = [
      world.investor({ status: 'allowlisted', wallets: ['0x5000000000000000000000000000000000000001', '0x5000000000000000000000000000000000000002'] }),
      world.investor({ status: 'allowlisted' }),
    ];
    for (const wallet of [...x.wallets, ...y.wallets]) world.chain.registerByHand(wallet);
    await world.pend(world.change(x, 'freeze', x.wallets[0]), world.change(y, 'freeze'), world.change(x, 'freeze', x.wallets[1]));
    const recording = gate();
    const appendAll = world.audit.appendAll.bind(world.audit);
    jest.spyOn(world.audit, 'appendAll').mockImplementation(async (events) => {
      await recording.opened;
      return appendAll(events);
    });

    const flushed = flush(world);
    await settle(() => world.chain.mined().length === 3);
    // All three pages are sent while the first one's records still wait.
    expect(world.store.all()).toEqual([]);
    expect((await world.pending()).length).toBe(3);
    recording.open();

    expect(await flushed).toMatchObject({ applied: 3, transactions: 3, remaining: 0 });
    expect(world.records(x).map((record) => `${record.type} ${record.data.wallet}`)).toEqual([
      `allowlist.frozen ${x.wallets[0]}`,
      `allowlist.frozen ${x.wallets[1]}`,
    ]);
    expect(world.trail(y)).toEqual(['allowlist.frozen']);
  });

  it("records a later page's dead letters after the pages before it, so an investor's stream keeps queue order", async () => {
    const world = allowlistWorld({ chain: { maxBatchSize: 1 } });
    const investor = world.investor({
      status: 'allowlisted',
      wallets: ['0x5000000000000000000000000000000000000001', '0x5000000000000000000000000000000000000002'],
    });
    const [frozen, unverified] = investor.wallets as [string, string];
    world.chain.registerByHand(frozen);
    world.chain.refuse(unverified, 'wallet refused by the registry');
    // Page 1: freeze the first wallet (applied); page 2: add the second, which the chain refuses (CHAIN_REVERTED).
    await world.pend(world.change(investor, 'freeze', frozen), world.change(investor, 'add', unverified));
    const recording = gate();
    const appendAll = world.audit.appendAll.bind(world.audit);
    jest.spyOn(world.audit, 'appendAll').mockImplementation(async (events) => {
      await recording.opened;
      return appendAll(events);
    });
    const reads = jest.spyOn(world.journal, 'pendingIntents');

    const flushed = flush(world);
    // Pages 1 and 2 are read, then the page after them; from the oldest again, the flush waits for its records.
    await settle(() => reads.mock.calls.length >= 3);
    await settle(() => false, 50).catch(() => undefined);
    expect(world.trail(investor)).toEqual([]);
    expect(world.deadLetters.letters).toEqual([]);
    recording.open();

    expect(await flushed).toMatchObject({ applied: 1, deadLettered: 1, remaining: 0 });
    expect(world.trail(investor)).toEqual(['allowlist.frozen', 'allowlist.failed']);
    expect(world.deadLetters.reasons()).toEqual(['CHAIN_REVERTED: wallet refused by the registry']);
  });

  it('reports a failed recording as the flush error once what was recorded before it is in, and leaves the rest pending', async () => {
    const world = allowlistWorld({ chain: { maxBatchSize: 1 } });
    const [x, y] = [world.investor({ status: 'allowlisted' }), world.investor({ status: 'allowlisted' })];
    for (const wallet of [x.wallets[0]!, y.wallets[0]!]) world.chain.registerByHand(wallet);
    await world.pend(world.change(x, 'freeze'), world.change(y, 'freeze'));
    const appendAll = world.audit.appendAll.bind(world.audit);
    jest.spyOn(world.audit, 'appendAll').mockImplementationOnce(appendAll).mockRejectedValueOnce(new TransientError('audit table throttled'));

    await expect(flush(world)).rejects.toThrow('audit table throttled');
    expect(world.trail(x)).toEqual(['allowlist.frozen']);
    expect(world.trail(y)).toEqual([]);
    expect((await world.pending()).map((intent) => [intent.change.investorId, intent.attempts])).toEqual([[y.investorId, 1]]);

    expect(await flush(world)).toMatchObject({ alreadyInState: 1, remaining: 0 });
    expect(world.trail(y)).toEqual(['allowlist.frozen']);
  });
});

describe('flush failures', () => {
  it('counts a failed flush against each waiting intent and dead-letters those out of attempts (RETRIES_EXHAUSTED)', async () => {
    const world = allowlistWorld({ maxAttempts: 3, chain: { maxBatchSize: 2 } });
    const investors = [world.investor(), world.investor(), world.investor()];
    await world.pend(...investors.map((investor) => world.change(investor, 'add')));
    world.chain.goDown();

    for (let attempt = 1; attempt <= 2; attempt++) {
      await expect(flush(world)).rejects.toThrow(`chain ${world.chain.chainId} RPC failed: connect ECONNREFUSED`);
      expect(world.journal.leaseHolder(world.group)).toBeUndefined();
    }
    // The node was down from the start: each failure counts for the first page (maxBatchSize) only.
    expect((await world.pending()).map((intent) => intent.attempts)).toEqual([2, 2, 0]);
    expect((await world.pending())[0]!.lastError).toBe(`chain ${world.chain.chainId} RPC failed: connect ECONNREFUSED`);

    await expect(flush(world)).rejects.toThrow(TransientError);
    expect(world.deadLetters.reasons()).toEqual([
      `RETRIES_EXHAUSTED: gave up after 3 attempts: chain ${world.chain.chainId} RPC failed: connect ECONNREFUSED`,
      `RETRIES_EXHAUSTED: gave up after 3 attempts: chain ${world.chain.chainId} RPC failed: connect ECONNREFUSED`,
    ]);
    expect(world.deadLetters.letters.map((letter) => letter.reason.attempts)).toEqual([3, 3]);
    expect(world.trail(investors[0]!)).toEqual(['allowlist.failed']);
    expect((await world.pending()).map((intent) => intent.change.investorId)).toEqual([investors[2]!.investorId]);

    world.chain.restore();
    expect(await flush(world)).toMatchObject({ applied: 1, remaining: 0 });
  });

  it('counts a transaction that reverts on chain as a failed attempt, and dead-letters the change once it is out of attempts (CHAIN_REVERTED)', async () => {
    const world = allowlistWorld({ maxAttempts: 1 });
    const investor = world.investor();
    const wallet = investor.wallets[0]!;
    await world.pend(world.change(investor, 'add'));
    const sign = world.chain.sign.bind(world.chain);
    jest.spyOn(world.chain, 'sign').mockImplementation(async (call, options) => {
      if (call.kind === 'register' && !world.chain.stateOf(wallet).contains) world.chain.registerByHand(wallet);
      return sign(call, options);
    });

    const result = await flush(world);

    const reverted = world.journal.allSlots().find((slot) => slot.status === 'reverted')!;
    expect(result).toMatchObject({ applied: 0, deadLettered: 1, remaining: 0 });
    expect(world.deadLetters.reasons()).toEqual([`CHAIN_REVERTED: transaction ${reverted.receipt!.hash} reverted 1 times`]);
    expect(world.trail(investor)).toEqual(['allowlist.failed']);
  });

  it('never counts a failure against an intent whose transaction is broadcast and may still be mined', async () => {
    const world = allowlistWorld({ maxAttempts: 1, chain: { automine: false } });
    const investor = world.investor({ status: 'allowlisted' });
    const wallet = investor.wallets[0]!;
    world.chain.registerByHand(wallet);
    // The unfreeze waits for the freeze (a second change of the same dimension); the freeze is not mined in time.
    await world.pend(world.change(investor, 'freeze'), world.change(investor, 'unfreeze', wallet, 6));

    await expect(flushRegistry(world.deps({ sleep: () => new Promise((resolve) => setTimeout(resolve, 5)) }), { deadline: Date.now() + 50 })).rejects.toThrow(
      '1 transaction(s) of chain 31337 not confirmed yet; they are journaled and resume on retry',
    );

    expect(world.deadLetters.reasons()).toEqual([expect.stringMatching(/^RETRIES_EXHAUSTED: gave up after 1 attempts: 1 transaction\(s\)/)]);
    expect(world.deadLetters.changes().map((change) => change.action)).toEqual(['unfreeze']);
    expect((await world.pending()).map((intent) => [intent.change.action, intent.attempts])).toEqual([['freeze', 0]]);

    world.chain.mine();
    expect(await flush(world)).toMatchObject({ applied: 1, transactions: 0, remaining: 0, held: 0 });
    expect(world.trail(investor)).toEqual(['allowlist.failed', 'allowlist.frozen']);
  });

  it('holds the registry: a second worker is refused while the lease is held, and gets it once released or expired', async () => {
    const world = allowlistWorld();
    const investor = world.investor();
    await world.pend(world.change(investor, 'add'));
    await world.journal.acquireLease(world.group, 'other-worker', 10_000);

    await expect(flush(world)).rejects.toThrow(new TransientError(`another worker is applying the changes of registry ${world.group}`));
    expect(world.chain.mined()).toEqual([]);
    expect(await world.pending()).toHaveLength(1);
    expect((await world.pending())[0]!.attempts).toBe(0);
    expect(world.journal.leaseHolder(world.group)).toBe('other-worker');

    world.advance(10_001);
    expect(await flush(world)).toMatchObject({ applied: 1 });
    expect(world.journal.leaseHolder(world.group)).toBeUndefined();
  });
});

describe('crash recovery', () => {
  it('after a crash between broadcast and journal update, finds the sent transaction instead of sending it again', async () => {
    const world = allowlistWorld();
    const investor = world.investor();
    await world.pend(world.change(investor, 'add'));
    let crashed: TransactionSlot | undefined;
    // The first worker "dies" right after broadcasting the registration: it never returns and never releases its lease.
    void flushRegistry(
      world.deps({
        holder: 'doomed',
        leaseTtlMs: 1_000,
        afterBroadcast: async (slot) => {
          if (slot.call.kind !== 'register') return;
          crashed = slot;
          await new Promise(() => undefined);
        },
      }),
      { deadline: soon() },
    );
    await settle(() => crashed !== undefined);
    expect(world.chain.stateOf(investor.wallets[0]!).verified).toBe(true);
    expect(world.journal.allSlots().find((slot) => slot.nonce === crashed!.nonce)?.status).toBe('pending');
    await expect(flush(world, { holder: 'survivor' })).rejects.toThrow(TransientError);

    world.advance(1_001);
    const result = await flush(world, { holder: 'survivor' });

    expect(result).toMatchObject({ applied: 1, transactions: 0, remaining: 0, held: 0 });
    expect(sent(world, 'register')).toHaveLength(1);
    expect(world.journal.allSlots().find((slot) => slot.nonce === crashed!.nonce)).toMatchObject({
      status: 'mined',
      receipt: { hash: crashed!.attempts[0]!.hash, status: 'success' },
    });
    expect(world.records(investor)[0]!.data).toMatchObject({ transactionHash: crashed!.attempts[0]!.hash, batchSize: 1 });
    expect(world.trail(investor)).toEqual(['allowlist.registered', 'investor.allowlisted']);
  });

  it('finishes a crashed transaction that reverted by counting a failed attempt, and applies the intent afresh', async () => {
    const world = allowlistWorld({ chain: { automine: false } });
    const investor = world.investor({ status: 'allowlisted' });
    const wallet = investor.wallets[0]!;
    world.chain.registerByHand(wallet);
    await world.pend(world.change(investor, 'remove'));
    let crashed = false;
    void flushRegistry(
      world.deps({
        holder: 'doomed',
        leaseTtlMs: 1_000,
        afterBroadcast: async () => {
          crashed = true;
          await new Promise(() => undefined);
        },
      }),
      { deadline: soon() },
    );
    await settle(() => crashed);
    // Someone removes the wallet by hand before the worker's removal is mined: it reverts.
    world.chain.removeByHand(wallet);
    world.chain.mine();
    world.chain.automine = true;
    world.advance(1_001);

    const result = await flush(world, { holder: 'survivor' });

    expect(result).toMatchObject({ applied: 0, alreadyInState: 1, transactions: 0, remaining: 0, held: 0 });
    expect(world.journal.allSlots().map((slot) => slot.status)).toEqual(['reverted']);
    expect(world.trail(investor)).toEqual(['allowlist.removed']);
    expect(world.records(investor)[0]!.data).toMatchObject({ observedOnChain: true });
  });
  it("never counts a failure against the intent of a crashed run's transaction while it may still be mined", async () => {
    const world = allowlistWorld({ maxAttempts: 1, chain: { automine: false } });
    const investor = world.investor({ status: 'allowlisted' });
    world.chain.registerByHand(investor.wallets[0]!);
    await world.pend(world.change(investor, 'freeze'));
    let crashed = false;
    void flushRegistry(
      world.deps({
        holder: 'doomed',
        leaseTtlMs: 1_000,
        afterBroadcast: async () => {
          crashed = true;
          await new Promise(() => undefined);
        },
      }),
      { deadline: soon() },
    );
    await settle(() => crashed);
    world.advance(1_001);

    // The survivor re-broadcasts the crashed run's freeze and waits for it, but it is not mined before the deadline.
    await expect(
      flushRegistry(world.deps({ holder: 'survivor', sleep: () => new Promise((resolve) => setTimeout(resolve, 5)) }), { deadline: Date.now() + 50 }),
    ).rejects.toThrow('1 transaction(s) of chain 31337 not confirmed yet');
    expect(world.deadLetters.letters).toEqual([]);
    expect((await world.pending()).map((intent) => intent.attempts)).toEqual([0]);

    world.chain.mine();
    expect(await flush(world, { holder: 'survivor' })).toMatchObject({ applied: 1, transactions: 0, remaining: 0, held: 0 });
    expect(world.trail(investor)).toEqual(['allowlist.frozen']);
  });
});

describe('a flush that stops at its deadline', () => {
  it('stops before the next page once the deadline has passed, leaving the rest pending', async () => {
    const world = allowlistWorld();
    const investor = world.investor();
    await world.pend(world.change(investor, 'add'));
    const result = await flushRegistry(world.deps(), { deadline: Date.now() - 1 });

    expect(result).toMatchObject({ applied: 0, transactions: 0, remaining: 1 });
  });
});
