import type { AllowlistChange } from '../../shared';
import type { Investor, InvestorRepository, InvestorStatus } from '../investors';
import { distinctInvestors, forEachInvestor } from './per-investor';
import type { PendingIntent } from './ports';

/** An add or unfreeze that no longer holds, and why. */
export interface StaleIntent {
  readonly intent: PendingIntent;
  readonly reason: string;
}

/** Investor statuses in which an add or an unfreeze may be applied, and the investor's KYC claim stands. */
export const MAY_HOLD_TOKENS: readonly InvestorStatus[] = ['eligible', 'allowlisted'];

/**
 * An add applies only while its investor may hold tokens (eligible or allowlisted) and the wallet
 * is still theirs; an unfreeze only while they may hold tokens and no sanctions suspension
 * blocks them. One that arrives late or is redriven from the DLQ after the investor was
 * suspended, offboarded or blocked, or the wallet released, is stale: it is skipped, audited with
 * the reason, and never sent. Removals, freezes and revocations always apply. Reads each investor
 * concerned once, and returns what it read (an add's claim rests on the investor's KYC record).
 */
export async function splitStale(
  investors: Pick<InvestorRepository, 'get'>,
  page: readonly PendingIntent[],
): Promise<{ fresh: PendingIntent[]; stale: StaleIntent[]; investors: ReadonlyMap<string, Investor | undefined> }> {
  const checked = page.filter((intent) => intent.change.action === 'add' || intent.change.action === 'unfreeze');
  // A removal's investor is read too: one who may no longer hold tokens loses the KYC claim as well.
  const concerned = page.filter((intent) => intent.change.action !== 'freeze' && intent.change.action !== 'revoke');
  const read = new Map<string, Investor | undefined>();
  await forEachInvestor(distinctInvestors(concerned.map((intent) => ({ intent }))), async ({ intent }) => {
    read.set(intent.change.investorId, await investors.get(intent.change.investorId));
  });
  const stale = checked.flatMap((intent) => {
    const reason = staleReason(intent.change, read.get(intent.change.investorId));
    return reason ? [{ intent, reason }] : [];
  });
  const skipped = new Set(stale.map(({ intent }) => intent));
  return { fresh: page.filter((intent) => !skipped.has(intent)), stale, investors: read };
}

/** Why an add or unfreeze no longer holds, or undefined when it does. */
export function staleReason(change: AllowlistChange, investor: Investor | undefined): string | undefined {
  if (!investor) return 'no such investor';
  if (!MAY_HOLD_TOKENS.includes(investor.status)) return `the investor is ${investor.status}`;
  if (change.action === 'add' && !investor.wallets.includes(change.wallet)) return "the wallet is no longer one of the investor's";
  if (change.action === 'unfreeze' && investor.suspension?.kind === 'sanctions') return 'the investor has a sanctions suspension';
  return undefined;
}
