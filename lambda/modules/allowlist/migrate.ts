import type { RegistryTarget } from '../../shared';
import { requestAllowlistChanges, type AllowlistRequests } from '../investors';
import type { InvestorDirectory } from './ports';
import { MAY_HOLD_TOKENS } from './stale';

export interface MigrateIdentitiesDeps {
  readonly investors: InvestorDirectory;
  readonly allowlist: AllowlistRequests;
  readonly registries: readonly RegistryTarget[];
}

export interface MigrateIdentitiesResult {
  readonly investors: number;
  readonly changes: number;
}

/**
 * Moves every wallet of investors who may hold tokens off the per-wallet identities of before: it
 * queues their `add` changes again on every registry. The worker finds each wallet registered to
 * another identity than the investor's one and repairs it (creates the investor's identity once,
 * gives it our KYC claim, moves the wallet with `updateIdentity`); wallets already on the
 * investor's identity are left as they are, so running it twice changes nothing more.
 */
export async function migrateIdentities(
  deps: MigrateIdentitiesDeps,
  onInvestor: (changes: number) => void = () => undefined,
): Promise<MigrateIdentitiesResult> {
  let investors = 0;
  let changes = 0;
  for await (const investor of deps.investors.all()) {
    if (!MAY_HOLD_TOKENS.includes(investor.status) || investor.wallets.length === 0) continue;
    await requestAllowlistChanges(deps, investor, ['add']);
    investors++;
    changes += investor.wallets.length * deps.registries.length;
    onInvestor(investor.wallets.length * deps.registries.length);
  }
  return { investors, changes };
}
