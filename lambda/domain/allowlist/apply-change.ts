import type { AuditLog } from '../audit';
import { NotFoundError, ValidationError } from '../errors';
import { transition, type InvestorRepository } from '../investors';
import type { AllowlistChange } from './change';

/** One chain's ERC-3643 identity registry, as the allowlist needs it. */
export interface IdentityRegistryGateway {
  readonly chainId: number;
  isVerified(wallet: string): Promise<boolean>;
  /** Registers the wallet under the investor's on-chain identity (created if missing); resolves once confirmed. */
  register(wallet: string, investorId: string, country: string): Promise<{ transactionHash: string; identity: string }>;
}

export interface ApplyChangeDeps {
  readonly investors: InvestorRepository;
  readonly audit: AuditLog;
  readonly registryFor: (chainId: number) => IdentityRegistryGateway;
  readonly actor: string;
  readonly now?: () => Date;
}

export type ApplyResult = 'applied' | 'already_in_state';

/**
 * Applies one allowlist change. Reads the chain first: a wallet already in the desired state is
 * success, which makes redelivered messages harmless. The audit record is keyed by the change, so
 * a redelivery after a crash between the transaction and the append still records it, once.
 */
export async function applyAllowlistChange(deps: ApplyChangeDeps, change: AllowlistChange): Promise<ApplyResult> {
  const now = deps.now ?? (() => new Date());
  if (change.action !== 'add') {
    // The walking skeleton only adds; removal and freezing arrive with the allowlist worker.
    throw new ValidationError([{ field: 'action', problem: `${change.action} is not supported yet` }]);
  }
  const registry = deps.registryFor(change.chainId);
  const stream = `investor#${change.investorId}`;
  const where = { chainId: change.chainId, identityRegistry: change.identityRegistry, wallet: change.wallet };
  const idempotencyKey = `allowlist#${change.chainId}:${change.identityRegistry}:${change.wallet}:add:v${change.version}`;
  let result: ApplyResult = 'already_in_state';

  if (await registry.isVerified(change.wallet)) {
    await deps.audit.append({ stream, type: 'allowlist.registered', actor: deps.actor, investorId: change.investorId, data: { ...where, observedOnChain: true }, idempotencyKey });
  } else {
    const { transactionHash, identity } = await registry.register(change.wallet, change.investorId, change.country);
    await deps.audit.append({ stream, type: 'allowlist.registered', actor: deps.actor, investorId: change.investorId, data: { ...where, identity, transactionHash }, idempotencyKey });
    result = 'applied';
  }

  const investor = await deps.investors.get(change.investorId);
  if (!investor) throw new NotFoundError(`investor ${change.investorId} does not exist`);
  if (investor.status === 'eligible') {
    const allowlisted = transition(investor, 'allowlisted', now());
    await deps.audit.append({ stream, type: 'investor.allowlisted', actor: deps.actor, investorId: change.investorId, data: where, idempotencyKey: `${stream}:v${allowlisted.version}` });
    await deps.investors.save(allowlisted);
  }
  return result;
}
