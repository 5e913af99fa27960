import { anInvestor } from '../../../lambda/modules/investors/fakes';
import { addWallet, removeWallet, streamOf, type Investor } from '../../../lambda/modules/investors';
import { ConflictError, NotFoundError, ValidationError } from '../../../lambda/shared';
import { errorResponse } from '../../../lambda/platform/http';
import { NOW, REGISTRIES, inMemoryWorld, rejectionOf, requestsOn, wallet } from '../../helpers/in-memory-world';

function setUp(overrides: Partial<Investor> = {}) {
  const world = inMemoryWorld();
  const investor = world.investors.put(anInvestor({ wallets: [wallet('1'), wallet('2')], ...overrides }));
  return { ...world, investor, stream: streamOf(investor.investorId) };
}

describe('addWallet', () => {
  it.each(['eligible', 'allowlisted'] as const)(
    'claims the wallet for a %s investor and asks for a screening first: nothing reaches the chain yet',
    async (status) => {
      const { lifecycle, investors, screening, allowlist, store, investor, stream } = setUp({ status });
      const next = await addWallet(lifecycle, investor.investorId, `0x${'C'.repeat(40)}`, 'portal:fund');

      expect(next).toMatchObject({ wallets: [wallet('1'), wallet('2'), wallet('c')], version: 2, updatedAt: NOW.toISOString() });
      expect(await investors.get(investor.investorId)).toEqual(next);
      expect(investors.walletOwner(wallet('c'))).toBe(investor.investorId);
      expect(screening.requests).toEqual([{ investorId: investor.investorId, reason: 'wallet added' }]);
      expect(allowlist.requests).toEqual([]);
      expect(store.records(stream)).toMatchObject([{ type: 'investor.wallet_added', actor: 'portal:fund', data: { wallet: wallet('c'), wallets: 3 } }]);
      expect(store.records(stream)[0]!.idempotencyKey).toMatch(new RegExp(`^${stream}:v2:`));
    },
  );

  it.each(['registered', 'kyc_pending', 'kyc_approved', 'suspended'] as const)('asks for no screening for a %s investor', async (status) => {
    const { lifecycle, screening, investor } = setUp({ status });
    expect((await addWallet(lifecycle, investor.investorId, wallet('c'), 'portal:fund')).wallets).toHaveLength(3);
    expect(screening.requests).toEqual([]);
  });

  it('returns the investor as it is for a wallet they hold already, in any letter case', async () => {
    const { lifecycle, store, screening, investor, stream } = setUp({ status: 'eligible', wallets: [wallet('d')] });
    expect(await addWallet(lifecycle, investor.investorId, `0x${'D'.repeat(40)}`, 'portal:fund')).toEqual(investor);
    expect(store.records(stream)).toEqual([]);
    expect(screening.requests).toEqual([]);
  });

  it("refuses another investor's wallet with a 409 naming the field, not the address", async () => {
    const { lifecycle, investors, investor } = setUp({ status: 'eligible' });
    const holder = investors.put(anInvestor({ wallets: [wallet('e')] }));
    const error = await rejectionOf(addWallet(lifecycle, investor.investorId, wallet('e'), 'portal:fund'));

    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe('wallet already belongs to another investor');
    expect(investors.walletOwner(wallet('e'))).toBe(holder.investorId);
    expect(await investors.get(investor.investorId)).toEqual(investor);
  });

  it('refuses an offboarded investor and a twenty-first wallet', async () => {
    const offboarded = setUp({ status: 'offboarded' });
    await expect(addWallet(offboarded.lifecycle, offboarded.investor.investorId, wallet('c'), 'portal:fund')).rejects.toThrow(ConflictError);

    const twenty = Array.from({ length: 20 }, (_, index) => `0x${index.toString(16).padStart(40, '0')}`);
    const full = setUp({ status: 'eligible', wallets: twenty });
    const error = await rejectionOf(addWallet(full.lifecycle, full.investor.investorId, wallet('c'), 'portal:fund'));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/at most 20 wallets/);
    expect((await full.investors.get(full.investor.investorId))!.wallets).toHaveLength(20);
  });

  it('answers 400 naming the wallet field without echoing it, and 404 for an unknown investor', async () => {
    const { lifecycle, investor } = setUp();
    const error = await rejectionOf(addWallet(lifecycle, investor.investorId, '0xSECRET', 'portal:fund'));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.field)).toEqual(['wallet']);
    expect(errorResponse(error)).toMatchObject({ statusCode: 400 });
    expect(errorResponse(error).body).not.toMatch(/SECRET/);

    await expect(addWallet(lifecycle, 'inv-unknown', wallet('c'), 'portal:fund')).rejects.toThrow(NotFoundError);
  });
});

describe('removeWallet', () => {
  it.each(['eligible', 'allowlisted'] as const)('takes the wallet of a %s investor off every registry and releases it', async (status) => {
    const { lifecycle, investors, allowlist, store, investor, stream } = setUp({ status });
    const next = await removeWallet(lifecycle, investor.investorId, `0x${'2'.repeat(40)}`, 'portal:fund');

    expect(next).toMatchObject({ wallets: [wallet('1')], version: 2, status });
    expect(await investors.get(investor.investorId)).toEqual(next);
    for (const registry of REGISTRIES) expect(requestsOn(allowlist, registry)).toEqual([`remove ${wallet('2')}`]);
    expect(allowlist.requests.every((request) => request.version === 2)).toBe(true);
    expect(store.records(stream)).toMatchObject([{ type: 'investor.wallet_removed', data: { wallet: wallet('2'), wallets: 1 } }]);
    expect(investors.walletOwner(wallet('2'))).toBeUndefined();
    expect(investors.walletOwner(wallet('1'))).toBe(investor.investorId);
  });

  it('lets another investor add a released wallet', async () => {
    const { lifecycle, investors, investor } = setUp({ status: 'kyc_approved' });
    const other = investors.put(anInvestor({ status: 'kyc_approved' }));
    await removeWallet(lifecycle, investor.investorId, wallet('2'), 'portal:fund');
    expect((await addWallet(lifecycle, other.investorId, wallet('2'), 'portal:fund')).wallets).toContain(wallet('2'));
    expect(investors.walletOwner(wallet('2'))).toBe(other.investorId);
  });

  it('asks nothing of the chain for an investor whose wallets cannot be on it', async () => {
    const { lifecycle, allowlist, investor } = setUp({ status: 'suspended', suspension: { kind: 'operator', reason: 'r', at: NOW.toISOString() } });
    expect((await removeWallet(lifecycle, investor.investorId, wallet('2'), 'portal:fund')).wallets).toEqual([wallet('1')]);
    expect(allowlist.requests).toEqual([]);
  });

  it('keeps the last wallet: offboarding is the way out', async () => {
    const { lifecycle, investors, investor } = setUp({ status: 'allowlisted', wallets: [wallet('1')] });
    const error = await rejectionOf(removeWallet(lifecycle, investor.investorId, wallet('1'), 'portal:fund'));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/offboard/);
    expect(await investors.get(investor.investorId)).toEqual(investor);
  });

  it('returns the investor as it is for a wallet that is not theirs', async () => {
    const { lifecycle, allowlist, store, investor, stream } = setUp({ status: 'allowlisted' });
    expect(await removeWallet(lifecycle, investor.investorId, wallet('9'), 'portal:fund')).toEqual(investor);
    expect(allowlist.requests).toEqual([]);
    expect(store.records(stream)).toEqual([]);
  });

  it('answers 400 for a malformed wallet', async () => {
    const { lifecycle, investor } = setUp();
    await expect(removeWallet(lifecycle, investor.investorId, 42, 'portal:fund')).rejects.toThrow(ValidationError);
  });
});
