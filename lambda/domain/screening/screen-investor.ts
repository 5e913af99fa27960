import type { AuditLog } from '../audit';
import type { AllowlistRequests, RegistryTarget } from '../allowlist/change';
import { NotFoundError } from '../errors';
import { transition, type Investor, type InvestorRepository } from '../investors';
import type { ScreeningRepository } from './ports';
import type { Screener } from './screener';

export interface ScreenInvestorDeps {
  readonly investors: InvestorRepository;
  readonly screenings: ScreeningRepository;
  readonly screener: Screener;
  readonly audit: AuditLog;
  readonly allowlist: AllowlistRequests;
  /** Every registry the fund's token lives on; an eligible wallet is added to each. */
  readonly registries: readonly RegistryTarget[];
  readonly actor: string;
  readonly now?: () => Date;
}

/**
 * Screens an investor and moves them on. Each step is stored before the next starts, and the
 * function resumes from the stored state, so a redelivered message finishes a half-done run
 * instead of repeating or skipping a step. Each step's audit record is appended before the state
 * is saved, keyed by the version it produces, so a crash in between neither loses nor doubles it.
 */
export async function screenInvestor(deps: ScreenInvestorDeps, investorId: string): Promise<Investor> {
  const now = deps.now ?? (() => new Date());
  let investor = await deps.investors.get(investorId);
  if (!investor) throw new NotFoundError(`investor ${investorId} does not exist`);
  const stream = `investor#${investorId}`;

  if (investor.status === 'registered') {
    const outcome = deps.screener.screen({
      name: investor.legalName,
      type: investor.type,
      dateOfBirth: investor.dateOfBirth,
      country: investor.countryOfResidence,
      wallets: investor.wallets,
    });
    const screenedAt = now().toISOString();
    await deps.screenings.save({ investorId, screenedAt, ...outcome });
    const screened = transition(investor, 'screened', now());
    await deps.audit.append({
      stream,
      type: 'screening.completed',
      actor: deps.actor,
      investorId,
      data: { verdict: outcome.verdict, listVersion: outcome.listVersion, matches: outcome.matches.map(({ sdnId, score, matchedOn }) => ({ sdnId, score, matchedOn })) },
      idempotencyKey: `${stream}:v${screened.version}`,
    });
    await deps.investors.save(screened);
    investor = screened;
  }

  if (investor.status === 'screened') {
    const latest = await deps.screenings.latest(investorId);
    if (latest?.verdict !== 'clear') return investor;
    const eligible = transition(investor, 'eligible', now());
    await deps.audit.append({ stream, type: 'investor.eligible', actor: deps.actor, investorId, data: { listVersion: latest.listVersion }, idempotencyKey: `${stream}:v${eligible.version}` });
    await deps.investors.save(eligible);
    investor = eligible;
  }

  if (investor.status === 'eligible') {
    for (const registry of deps.registries) {
      for (const wallet of investor.wallets) {
        await deps.allowlist.request({
          action: 'add',
          investorId,
          wallet,
          country: investor.countryOfResidence,
          chainId: registry.chainId,
          identityRegistry: registry.identityRegistry.toLowerCase(),
          version: investor.version,
        });
      }
    }
  }
  return investor;
}
