import { ulid } from 'ulid';
import type { AuditLog } from '../audit';
import { ValidationError, fieldIssuesFrom } from '../errors';
import { registrationSchema, type Investor } from './investor';
import type { InvestorRepository, ScreeningRequests } from './ports';

export interface RegisterDeps {
  readonly investors: InvestorRepository;
  readonly audit: AuditLog;
  readonly screening: ScreeningRequests;
  readonly now?: () => Date;
}

/**
 * Registers an investor and asks for screening. Safe to retry: a second call with the same
 * externalId returns the first investor and, while it still awaits screening, asks again
 * (so a crash between storing and enqueueing loses nothing).
 */
export async function registerInvestor(deps: RegisterDeps, input: unknown, actor: string): Promise<{ investor: Investor; created: boolean }> {
  const parsed = registrationSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldIssuesFrom(parsed.error.issues));

  const at = (deps.now ?? (() => new Date()))().toISOString();
  const candidate: Investor = { ...parsed.data, investorId: ulid(), status: 'registered', version: 1, createdAt: at, updatedAt: at };
  const { investor, created } = await deps.investors.create(candidate);

  // Also on a retry: if the first call crashed before its audit append, this one records it.
  await deps.audit.append({
    stream: `investor#${investor.investorId}`,
    type: 'investor.registered',
    actor,
    investorId: investor.investorId,
    data: { type: investor.type, countryOfResidence: investor.countryOfResidence, wallets: investor.wallets },
    idempotencyKey: `investor#${investor.investorId}:v1`,
  });
  if (investor.status === 'registered') {
    await deps.screening.request(investor.investorId, created ? 'registered' : 'registration retried');
  }
  return { investor, created };
}
