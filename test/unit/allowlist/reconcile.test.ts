import { reconcileRegistry } from '../../../lambda/modules/allowlist';
import { InMemoryInvestorDirectory } from '../../../lambda/modules/allowlist/fakes';
import { caseIdFor } from '../../../lambda/modules/cases';
import { InMemoryCaseRepository } from '../../../lambda/modules/cases/fakes';
import type { Investor } from '../../../lambda/modules/investors';
import { flushRegistry } from '../../../lambda/modules/allowlist/flush';
import { allowlistWorld } from '../../helpers/allowlist-world';

function reconciliation(options: { blocksPerQuery?: number; claims?: boolean } = {}) {
  const { claims, ...rest } = options;
  const world = allowlistWorld({ chain: { claims } });
  const directory = new InMemoryInvestorDirectory();
  const cases = new InMemoryCaseRepository();
  const deps = {
    chain: world.chain,
    investors: directory,
    journal: world.journal,
    cases,
    audit: world.audit,
    flushRequests: world.flushRequests,
    actor: 'system:allowlist-reconciler',
    now: world.now,
    ...rest,
  };
  /** An investor as stored (the flush reads the repository, the reconciliation scans the directory). */
  const investor = (overrides: Partial<Investor>) => directory.put(world.investor(overrides));
  const caseOf = (wallet: string, kind: string) => cases.get(caseIdFor(`chain_drift|${world.group}|${wallet}|${kind}`));
  const reconcile = () => reconcileRegistry(deps);
  return { world, directory, cases, investor, caseOf, reconcile };
}

describe('reconciling the KYC claims of a registry', () => {
  it('opens a high-risk case per allowlisted investor whose identity lacks our claim, holds a revoked one or one on another KYC record', async () => {
    const { world, directory, investor, cases, reconcile } = reconciliation({ claims: true });
    const [fine, revoked, outdated] = [investor({}), investor({}), investor({})];
    const missing = investor({ status: 'allowlisted' });
    await world.pend(...[fine, revoked, outdated].map((one) => world.change(one, 'add')));
    await flushRegistry(world.deps(), { deadline: Date.now() + 60_000 });
    await world.pend(world.change(revoked, 'revoke', revoked.wallets[0], 9));
    await flushRegistry(world.deps(), { deadline: Date.now() + 60_000 });
    world.investors.put({ ...(await world.investors.get(outdated.investorId))!, kyc: { vendor: 'onfido', applicantId: 'new', verdict: 'approved' } });
    for (const one of [fine, revoked, outdated]) directory.put((await world.investors.get(one.investorId))!);

    await reconcile();

    const claimCases = cases.all().filter((found) => String(found.evidence.drift).startsWith('claim_'));
    expect(claimCases.map((found) => [found.investorId, found.evidence.drift, found.risk]).sort()).toEqual(
      [
        [missing.investorId, 'claim_missing', 'high'],
        [revoked.investorId, 'claim_revoked', 'high'],
        [outdated.investorId, 'claim_outdated', 'high'],
      ].sort(),
    );
  });
});

describe('reconciling a registry with the investors', () => {
  it('opens one chain_drift case per drift: allowlisted but not verified or frozen, registered but not allowed, registered but nobody’s', async () => {
    const { world, investor, caseOf, reconcile, cases } = reconciliation();
    const missing = investor({ status: 'allowlisted' });
    const unverified = investor({ status: 'allowlisted' });
    const frozen = investor({ status: 'allowlisted' });
    const fine = investor({ status: 'allowlisted' });
    const suspended = investor({ status: 'suspended' });
    const offboarded = investor({ status: 'offboarded' });
    const eligible = investor({ status: 'eligible' });
    const stranger = '0x7000000000000000000000000000000000000001';
    world.chain.registerByHand(unverified.wallets[0]!, { verified: false });
    world.chain.registerByHand(frozen.wallets[0]!);
    world.chain.freezeByHand(frozen.wallets[0]!);
    world.chain.registerByHand(fine.wallets[0]!);
    world.chain.registerByHand(suspended.wallets[0]!);
    world.chain.registerByHand(stranger);

    const result = await reconcile();

    expect(result).toEqual({ walletsChecked: 7, drifts: 5, casesOpened: 5, pending: 0 });
    expect(await caseOf(missing.wallets[0]!, 'not_verified')).toMatchObject({
      type: 'chain_drift',
      status: 'open',
      investorId: missing.investorId,
      risk: 'medium',
      openedAt: world.now().toISOString(),
      evidence: {
        chainId: world.chain.chainId,
        identityRegistry: world.chain.identityRegistry,
        wallet: missing.wallets[0],
        drift: 'not_verified',
        investorStatus: 'allowlisted',
        observed: { contains: false, verified: false, frozen: false },
        checkedAt: world.now().toISOString(),
      },
    });
    expect(await caseOf(unverified.wallets[0]!, 'not_verified')).toMatchObject({ evidence: { observed: { contains: true, verified: false } } });
    expect(await caseOf(frozen.wallets[0]!, 'frozen')).toMatchObject({ investorId: frozen.investorId, risk: 'medium' });
    expect(await caseOf(suspended.wallets[0]!, 'should_not_be_registered')).toMatchObject({
      investorId: suspended.investorId,
      risk: 'high',
      evidence: { investorStatus: 'suspended' },
    });
    const nobodys = await caseOf(stranger, 'unknown_wallet');
    expect(nobodys).toMatchObject({ risk: 'high', evidence: { investorStatus: null, observed: { contains: true } } });
    expect(nobodys?.investorId).toBeUndefined();
    const wallets = cases.all().map((opened) => opened.evidence?.wallet);
    for (const untouched of [fine, offboarded, eligible]) expect(wallets).not.toContain(untouched.wallets[0]);
    expect(world.store.types(`case#${(await caseOf(stranger, 'unknown_wallet'))!.caseId}`)).toEqual(['case.opened']);
    expect(world.flushRequests.requests).toEqual([]);
  });

  it('finds the same drifts again without opening another case, and reads only the registry events since its last run', async () => {
    const { world, investor, reconcile } = reconciliation();
    const suspended = investor({ status: 'suspended' });
    world.chain.registerByHand(suspended.wallets[0]!);
    world.chain.registerByHand('0x7000000000000000000000000000000000000001');
    expect(await reconcile()).toMatchObject({ drifts: 2, casesOpened: 2 });
    const events = jest.spyOn(world.chain, 'registryEvents');

    expect(await reconcile()).toEqual({ walletsChecked: 1, drifts: 1, casesOpened: 0, pending: 0 });
    // No block since the last run: no events to read, the checkpoint stays after the head.
    expect(events).not.toHaveBeenCalled();
    expect(await world.journal.eventCheckpoint(world.group)).toBe((await world.chain.blockNumber()) + 1);
  });

  it('opens a new case for a drift still there after an officer closed its case (a closure is not a clearance)', async () => {
    const { cases, investor, caseOf, reconcile } = reconciliation();
    const missing = investor({ status: 'allowlisted' });
    await reconcile();
    const close = async (caseId: string) => {
      const open = (await cases.get(caseId))!;
      await cases.save({ ...open, status: 'closed', version: open.version + 1 });
    };
    const first = (await caseOf(missing.wallets[0]!, 'not_verified'))!;
    await close(first.caseId);

    expect(await reconcile()).toMatchObject({ drifts: 1, casesOpened: 1 });
    const key = (await caseOf(missing.wallets[0]!, 'not_verified'))!.key;
    const second = (await cases.get(caseIdFor(`${key}|after:${first.caseId}`)))!;
    expect(second).toMatchObject({ status: 'open', investorId: missing.investorId });
    expect(await reconcile()).toMatchObject({ casesOpened: 0 });

    await close(second.caseId);
    expect(await reconcile()).toMatchObject({ casesOpened: 1 });
    expect(await cases.get(caseIdFor(`${key}|after:${second.caseId}`))).toMatchObject({ status: 'open' });
  });

  it('leaves wallets with pending changes alone (they are in flight) and asks for a flush of them', async () => {
    const { world, investor, reconcile, cases } = reconciliation();
    const missing = investor({ status: 'allowlisted' });
    const leaving = investor({ status: 'offboarded' });
    const stranger = '0x7000000000000000000000000000000000000001';
    world.chain.registerByHand(leaving.wallets[0]!);
    world.chain.registerByHand(stranger);
    const [first] = await world.pend(world.change(missing, 'add'), world.change(leaving, 'remove'), world.change(leaving, 'remove', stranger));
    await world.journal.recordFailure(world.group, [first!.key], 'node down');

    expect(await reconcile()).toEqual({ walletsChecked: 0, drifts: 0, casesOpened: 0, pending: 3 });
    expect(cases.all()).toEqual([]);
    expect(world.flushRequests.summary()).toEqual([`${world.group} sweep:${first!.key}:1`]);
  });

  it('reads registry events in ranges of blocksPerQuery, counting a wallet by its last event', async () => {
    const { world, reconcile, caseOf } = reconciliation({ blocksPerQuery: 2 });
    const [stays, leaves, returns] = [
      '0x7000000000000000000000000000000000000001',
      '0x7000000000000000000000000000000000000002',
      '0x7000000000000000000000000000000000000003',
    ];
    world.chain.registerByHand(stays);
    world.chain.registerByHand(leaves);
    world.chain.registerByHand(returns);
    world.chain.removeByHand(leaves);
    world.chain.removeByHand(returns);
    world.chain.registerByHand(returns);
    const events = jest.spyOn(world.chain, 'registryEvents');

    expect(await reconcile()).toMatchObject({ walletsChecked: 2, drifts: 2, casesOpened: 2 });
    const head = await world.chain.blockNumber();
    expect(events.mock.calls).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
    ]);
    expect(head).toBe(7);
    expect(await caseOf(stays, 'unknown_wallet')).toBeDefined();
    expect(await caseOf(returns, 'unknown_wallet')).toBeDefined();
    expect(await caseOf(leaves, 'unknown_wallet')).toBeUndefined();
  });

  it('checks every wallet of every investor, in pages of 100', async () => {
    const { world, investor, reconcile } = reconciliation();
    const many = Array.from({ length: 120 }, (_, index) => `0x71${String(index).padStart(38, '0')}`);
    investor({ status: 'allowlisted', wallets: many.slice(0, 60) });
    investor({ status: 'kyc_rejected', wallets: many.slice(60) });
    for (const wallet of many) world.chain.registerByHand(wallet);
    const states = jest.spyOn(world.chain, 'walletStates');

    expect(await reconcile()).toEqual({ walletsChecked: 120, drifts: 60, casesOpened: 60, pending: 0 });
    expect(states.mock.calls.map(([wallets]) => wallets.length)).toEqual([100, 20]);
  });
});
