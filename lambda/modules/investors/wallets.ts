import { stateChange, type AuditLog } from '../audit';
import { ConflictError, ValidationError, fieldIssuesFrom, walletAddress } from '../../shared';
import { MAY_BE_ON_CHAIN, type Investor } from './investor';
import { loadInvestor, requestAllowlistChanges, streamOf, type LifecycleDeps } from './lifecycle';

const MAX_WALLETS = 20;

function parseWallet(input: unknown): string {
  const parsed = walletAddress.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldIssuesFrom(parsed.error.issues.map((issue) => ({ ...issue, path: ['wallet', ...issue.path] }))));
  return parsed.data;
}

function touched(investor: Investor, wallets: string[], at: Date): Investor {
  return { ...investor, wallets, version: investor.version + 1, updatedAt: at.toISOString() };
}

async function append(audit: AuditLog, investor: Investor, type: string, actor: string, wallet: string): Promise<void> {
  const stream = streamOf(investor.investorId);
  await audit.append(
    stateChange({ stream, type, actor, investorId: investor.investorId, data: { wallet, wallets: investor.wallets.length } }, investor.version),
  );
}

/**
 * Adds a wallet. The wallet is claimed for this investor in the same write (one investor per
 * wallet). An investor who may hold tokens is re-screened first: the new wallet reaches the
 * allowlist only if the screening clears it.
 */
export async function addWallet(deps: LifecycleDeps, investorId: string, input: unknown, actor: string): Promise<Investor> {
  const wallet = parseWallet(input);
  const investor = await loadInvestor(deps.investors, investorId);
  if (investor.wallets.includes(wallet)) return investor;
  if (investor.status === 'offboarded') throw new ConflictError('an offboarded investor cannot add wallets');
  if (investor.wallets.length >= MAX_WALLETS) throw new ConflictError(`an investor has at most ${MAX_WALLETS} wallets`);
  const next = touched(investor, [...investor.wallets, wallet], (deps.now ?? (() => new Date()))());
  await append(deps.audit, next, 'investor.wallet_added', actor, wallet);
  await deps.investors.save(next, { claimWallets: [wallet] });
  if (MAY_BE_ON_CHAIN.has(next.status)) await deps.screening.request(investorId, 'wallet added');
  return next;
}

/** Removes a wallet: it leaves every registry first if it may be on chain. */
export async function removeWallet(deps: LifecycleDeps, investorId: string, input: unknown, actor: string): Promise<Investor> {
  const wallet = parseWallet(input);
  const investor = await loadInvestor(deps.investors, investorId);
  if (!investor.wallets.includes(wallet)) return investor;
  if (investor.wallets.length === 1) throw new ConflictError('an investor keeps at least one wallet; offboard the investor instead');
  const next = touched(
    investor,
    investor.wallets.filter((candidate) => candidate !== wallet),
    (deps.now ?? (() => new Date()))(),
  );
  if (MAY_BE_ON_CHAIN.has(investor.status)) await requestAllowlistChanges(deps, next, ['remove'], [wallet]);
  await append(deps.audit, next, 'investor.wallet_removed', actor, wallet);
  await deps.investors.save(next, { releaseWallets: [wallet] });
  return next;
}
