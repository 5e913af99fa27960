import { flushRegistry } from '../../../lambda/modules/allowlist/flush';
import { issuedClaimData, kycClaimData } from '../../../lambda/modules/allowlist/claims';
import type { ChainCall, TransactionSlot } from '../../../lambda/modules/allowlist/ports';
import { migrateIdentities } from '../../../lambda/modules/allowlist';
import { InMemoryInvestorDirectory } from '../../../lambda/modules/allowlist/fakes';
import { RecordingAllowlistRequests, anInvestor } from '../../../lambda/modules/investors/fakes';
import { allowlistWorld, settle, type AllowlistWorld } from '../../helpers/allowlist-world';

const soon = () => Date.now() + 60_000;
const flush = (world: AllowlistWorld, overrides: Parameters<AllowlistWorld['deps']>[0] = {}) => flushRegistry(world.deps(overrides), { deadline: soon() });
const kinds = (world: AllowlistWorld) => world.chain.mined().map((transaction) => transaction.call.kind);
const FIVE = Array.from({ length: 5 }, (_, index) => `0x70000000000000000000000000000000000000${String(index + 1).padStart(2, '0')}`);

function claimWorld() {
  return allowlistWorld({ chain: { claims: true } });
}

/** An allowlisted investor whose five wallets are registered to their identity, which holds our claim. */
async function allowlistedWithFive(world: AllowlistWorld) {
  const investor = world.investor({ wallets: FIVE });
  await world.pend(...FIVE.map((wallet) => world.change(investor, 'add', wallet)));
  await flush(world);
  for (const wallet of FIVE) expect(world.chain.stateOf(wallet).verified).toBe(true);
  const allowlisted = (await world.investors.get(investor.investorId))!;
  expect(allowlisted.status).toBe('allowlisted');
  return allowlisted;
}

describe('one identity per investor, with our KYC claim', () => {
  it("creates the investor's identity once, gives it our claim, then registers every wallet to it in one batch, claim first", async () => {
    const world = claimWorld();
    const investor = world.investor({ wallets: FIVE.slice(0, 2) });
    await world.pend(...investor.wallets.map((wallet) => world.change(investor, 'add', wallet)));

    expect(await flush(world)).toMatchObject({ applied: 2, deadLettered: 0, transactions: 3, remaining: 0 });

    expect(kinds(world)).toEqual(['createInvestorIdentity', 'addClaim', 'register']);
    const identity = world.chain.identityOfInvestor(investor.investorId)!;
    const [, claim, register] = world.chain.mined().map((transaction) => transaction.call);
    expect(claim).toMatchObject({ kind: 'addClaim', identity, claim: { topic: 1, data: issuedClaimData(kycClaimData(investor), world.now()) } });
    expect((register as Extract<ChainCall, { kind: 'register' }>).entries.map((entry) => entry.identity)).toEqual([identity, identity]);
    for (const wallet of investor.wallets) expect(world.chain.stateOf(wallet)).toEqual({ contains: true, verified: true, frozen: false });
  });

  it('registers a further wallet of an investor to the same identity with nothing but the registration (the claim stands)', async () => {
    const world = claimWorld();
    const investor = world.investor({ wallets: FIVE.slice(0, 2) });
    await world.pend(world.change(investor, 'add', FIVE[0]));
    await flush(world);
    const before = world.chain.mined().length;

    await world.pend(world.change(investor, 'add', FIVE[1]));
    expect(await flush(world)).toMatchObject({ applied: 1, transactions: 1 });

    expect(kinds(world).slice(before)).toEqual(['register']);
    expect(world.chain.stateOf(FIVE[1]!).verified).toBe(true);
  });

  it('a crash right after the identity creation was broadcast does not create a second identity', async () => {
    const world = claimWorld();
    const investor = world.investor({ wallets: FIVE.slice(0, 2) });
    await world.pend(...investor.wallets.map((wallet) => world.change(investor, 'add', wallet)));
    let crashed: TransactionSlot | undefined;
    void flushRegistry(
      world.deps({
        holder: 'doomed',
        leaseTtlMs: 1_000,
        afterBroadcast: async (slot) => {
          if (slot.call.kind !== 'createInvestorIdentity') return;
          crashed = slot;
          await new Promise(() => undefined);
        },
      }),
      { deadline: soon() },
    );
    await settle(() => crashed !== undefined);
    world.advance(1_001);

    expect(await flush(world, { holder: 'survivor' })).toMatchObject({ applied: 2, remaining: 0 });

    expect(kinds(world).filter((kind) => kind === 'createInvestorIdentity')).toHaveLength(1);
    for (const wallet of investor.wallets) expect(world.chain.stateOf(wallet).verified).toBe(true);
  });

  it("moves a wallet registered to a per-wallet identity of before to the investor's identity, which gets our claim", async () => {
    const world = claimWorld();
    const investor = world.investor({ status: 'allowlisted', wallets: FIVE.slice(0, 1) });
    world.chain.registerByHand(FIVE[0]!);
    expect(world.chain.stateOf(FIVE[0]!)).toMatchObject({ contains: true, verified: false });
    await world.pend(world.change(investor, 'add', FIVE[0]));

    expect(await flush(world)).toMatchObject({ applied: 1, deadLettered: 0, remaining: 0 });

    expect(kinds(world)).toEqual(['createInvestorIdentity', 'addClaim', 'updateIdentity']);
    expect((await world.chain.registeredIdentities([FIVE[0]!])).get(FIVE[0]!)).toBe(world.chain.identityOfInvestor(investor.investorId));
    expect(world.chain.stateOf(FIVE[0]!).verified).toBe(true);
  });
});

describe('migrating per-wallet identities', () => {
  it("moves a verified wallet of a per-wallet identity to the investor's identity with our claim when its add is queued again, then leaves it be", async () => {
    const world = allowlistWorld({ chain: { claims: true, claimsRequired: false } });
    const investor = world.investor({ status: 'allowlisted', wallets: FIVE.slice(0, 2) });
    for (const wallet of investor.wallets) world.chain.registerByHand(wallet);
    await world.pend(...investor.wallets.map((wallet) => world.change(investor, 'add', wallet)));

    expect(await flush(world)).toMatchObject({ applied: 2, alreadyInState: 0, deadLettered: 0, remaining: 0 });

    expect(kinds(world)).toEqual(['createInvestorIdentity', 'addClaim', 'updateIdentity', 'updateIdentity']);
    const identity = world.chain.identityOfInvestor(investor.investorId)!;
    expect([...(await world.chain.registeredIdentities(investor.wallets)).values()]).toEqual([identity, identity]);
    expect(world.chain.hasValidClaim(identity)).toBe(true);

    await world.pend(world.change(investor, 'add', FIVE[0], investor.version + 1));
    expect(await flush(world)).toMatchObject({ applied: 0, alreadyInState: 1, transactions: 0 });
  });
});

describe('revoking the KYC claim', () => {
  it('unverifies all five wallets of an offboarded investor with one revocation, ahead of the removals that clean up', async () => {
    const world = claimWorld();
    const investor = await allowlistedWithFive(world);
    const offboarded = world.investors.put({ ...investor, status: 'offboarded', version: investor.version + 1 });
    const before = world.chain.mined().length;
    await world.pend(...FIVE.map((wallet) => world.change(offboarded, 'remove', wallet)));

    expect(await flush(world)).toMatchObject({ applied: 5, remaining: 0 });

    expect(kinds(world).slice(before)).toEqual(['revokeClaim', 'delete', 'delete', 'delete', 'delete', 'delete']);
    expect(world.chain.hasValidClaim(world.chain.identityOfInvestor(investor.investorId)!)).toBe(false);
  });

  it('an explicit revoke of each wallet is folded into one transaction, which alone makes every wallet unverified', async () => {
    const world = claimWorld();
    const investor = await allowlistedWithFive(world);
    const before = world.chain.mined().length;
    await world.pend(...FIVE.map((wallet) => world.change(investor, 'revoke', wallet, investor.version + 1)));

    expect(await flush(world)).toMatchObject({ applied: 5, transactions: 1, remaining: 0 });

    expect(kinds(world).slice(before)).toEqual(['revokeClaim']);
    for (const wallet of FIVE) expect(world.chain.stateOf(wallet)).toEqual({ contains: true, verified: false, frozen: false });
    expect(world.trail(investor).filter((type) => type === 'allowlist.claim_revoked')).toHaveLength(5);

    // Redelivered (or another worker): the claim is revoked already, nothing is sent.
    await world.pend(world.change(investor, 'revoke', FIVE[0], investor.version + 2));
    expect(await flush(world)).toMatchObject({ applied: 0, alreadyInState: 1, transactions: 0 });
  });

  it('keeps the claim when an investor in good standing releases one wallet: only that wallet leaves', async () => {
    const world = claimWorld();
    const investor = await allowlistedWithFive(world);
    const before = world.chain.mined().length;
    await world.pend(world.change(investor, 'remove', FIVE[4]));

    await flush(world);

    expect(kinds(world).slice(before)).toEqual(['delete']);
    for (const wallet of FIVE.slice(0, 4)) expect(world.chain.stateOf(wallet).verified).toBe(true);
  });

  it('on a new approval, gives the identity a new claim: the wallets still registered are verified again without registering them again', async () => {
    const world = claimWorld();
    const investor = await allowlistedWithFive(world);
    await world.pend(...FIVE.map((wallet) => world.change(investor, 'revoke', wallet, investor.version + 1)));
    await flush(world);
    const approved = world.investors.put({
      ...investor,
      version: investor.version + 2,
      kyc: { vendor: 'sumsub', applicantId: 'applicant-2', verdict: 'approved', approvedAt: '2026-03-02T10:00:00.000Z' },
    });
    const before = world.chain.mined().length;
    await world.pend(...FIVE.map((wallet) => world.change(approved, 'add', wallet)));

    expect(await flush(world)).toMatchObject({ applied: 5, deadLettered: 0, remaining: 0 });

    expect(kinds(world).slice(before)).toEqual(['addClaim']);
    for (const wallet of FIVE) expect(world.chain.stateOf(wallet).verified).toBe(true);
  });
});

describe('a claim issued again on the same KYC record', () => {
  it('after a revocation (an operator suspension lifted) gets other data and a new signature, so the wallets are verified again', async () => {
    const world = claimWorld();
    const investor = await allowlistedWithFive(world);
    const suspended = world.investors.put({ ...investor, status: 'suspended', version: investor.version + 1 });
    await world.pend(world.change(suspended, 'remove', FIVE[0]));
    await flush(world);
    expect(world.chain.stateOf(FIVE[1]!).verified).toBe(false);
    const reinstated = world.investors.put({ ...suspended, status: 'eligible', version: suspended.version + 1 });
    world.advance(1_000);
    await world.pend(world.change(reinstated, 'add', FIVE[0]));

    expect(await flush(world)).toMatchObject({ applied: 1, deadLettered: 0, remaining: 0 });

    const claims = world.chain.mined().filter((transaction) => transaction.call.kind === 'addClaim');
    expect(claims).toHaveLength(2);
    const [first, second] = claims.map((transaction) => (transaction.call as Extract<ChainCall, { kind: 'addClaim' }>).claim);
    expect(second!.signature).not.toBe(first!.signature);
    expect(second!.data.slice(0, 66)).toBe(first!.data.slice(0, 66));
    for (const wallet of FIVE) expect(world.chain.stateOf(wallet).verified).toBe(true);
  });
});

describe('kycClaimData', () => {
  it('hashes the KYC record and its validity: another approval or expiry gives other data, and nothing personal shows', () => {
    const base = {
      investorId: 'inv-1',
      kyc: { vendor: 'sumsub' as const, applicantId: 'a-1', approvedAt: '2026-01-01T00:00:00Z', expiresAt: '2027-01-01T00:00:00Z' },
    };
    const data = kycClaimData(base);
    expect(data).toMatch(/^0x[0-9a-f]{64}$/);
    expect(kycClaimData({ ...base, kyc: { ...base.kyc, approvedAt: '2026-02-01T00:00:00Z' } })).not.toBe(data);
    expect(kycClaimData({ ...base, kyc: { ...base.kyc, expiresAt: '2028-01-01T00:00:00Z' } })).not.toBe(data);
    expect(kycClaimData({ investorId: 'inv-1' })).not.toBe(kycClaimData({ investorId: 'inv-2' }));
  });
});

describe('migrateIdentities (cli allowlist migrate-identities)', () => {
  it('queues an add of every wallet of eligible and allowlisted investors on every registry, and nothing for the others', async () => {
    const directory = new InMemoryInvestorDirectory([
      anInvestor({ investorId: 'inv-a', status: 'allowlisted', wallets: FIVE.slice(0, 2) }),
      anInvestor({ investorId: 'inv-e', status: 'eligible', wallets: FIVE.slice(2, 3) }),
      anInvestor({ investorId: 'inv-s', status: 'suspended', wallets: FIVE.slice(3, 4) }),
      anInvestor({ investorId: 'inv-o', status: 'offboarded', wallets: FIVE.slice(4, 5) }),
    ]);
    const allowlist = new RecordingAllowlistRequests();
    const registries = [
      { chainId: 1, identityRegistry: '0x00000000000000000000000000000000000000aa' },
      { chainId: 2, identityRegistry: '0x00000000000000000000000000000000000000bb' },
    ];
    const ticks: number[] = [];

    expect(await migrateIdentities({ investors: directory, allowlist, registries }, (changes) => ticks.push(changes))).toEqual({ investors: 2, changes: 6 });

    expect(allowlist.requests.map((request) => `${request.chainId} ${request.action} ${request.investorId} ${request.wallet}`).sort()).toEqual(
      [1, 2].flatMap((chainId) => [`${chainId} add inv-a ${FIVE[0]}`, `${chainId} add inv-a ${FIVE[1]}`, `${chainId} add inv-e ${FIVE[2]}`]).sort(),
    );
    expect(ticks).toEqual([4, 2]);
  });
});
