import { ulid } from 'ulid';
import type { AuditLog } from '../audit';
import { ValidationError, fieldIssuesFrom } from '../../shared';
import { JurisdictionBlockedError } from './errors';
import { registrationSchema, type Investor } from './investor';
import type { InvestorRepository } from './ports';

/** Older than any living person. */
const EARLIEST_DATE_OF_BIRTH = '1900-01-01';

export interface RegisterDeps {
  readonly investors: InvestorRepository;
  readonly audit: AuditLog;
  /** ISO 3166-1 alpha-2 codes, upper case. */
  readonly blockedCountries: ReadonlySet<string>;
  readonly now?: () => Date;
}

/**
 * Registers an investor: `kyc_pending` when the portal names the KYC vendor's applicant (the
 * vendor's verdict moves them on), else `registered` until it does. Safe to retry: a second call
 * with the same externalId returns the first investor. A blocked jurisdiction is refused and the
 * refusal recorded (without the person's data); nothing is stored.
 */
export async function registerInvestor(deps: RegisterDeps, input: unknown, actor: string): Promise<{ investor: Investor; created: boolean }> {
  const parsed = registrationSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldIssuesFrom(parsed.error.issues));
  const { kyc, ...registration } = parsed.data;
  const today = (deps.now ?? (() => new Date()))().toISOString().slice(0, 10);
  if (registration.dateOfBirth && (registration.dateOfBirth > today || registration.dateOfBirth < EARLIEST_DATE_OF_BIRTH)) {
    throw new ValidationError([{ field: 'dateOfBirth', problem: `must be a past date, not before ${EARLIEST_DATE_OF_BIRTH}` }]);
  }

  const blocked = (['countryOfResidence', 'nationality'] as const).filter((field) => registration[field] && deps.blockedCountries.has(registration[field]!));
  if (blocked.length > 0) {
    await deps.audit.append({
      stream: `registration#${registration.externalId}`,
      type: 'investor.registration_refused',
      actor,
      data: { reason: 'jurisdiction blocked', fields: blocked, countries: blocked.map((field) => registration[field]) },
    });
    throw new JurisdictionBlockedError(`the fund does not onboard investors whose ${blocked.join(' or ')} is a blocked jurisdiction`);
  }

  const at = (deps.now ?? (() => new Date()))().toISOString();
  const candidate: Investor = {
    ...registration,
    ...(kyc ? { kyc: { vendor: kyc.vendor, applicantId: kyc.applicantId } } : {}),
    investorId: ulid(),
    status: kyc ? 'kyc_pending' : 'registered',
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const { investor, created } = await deps.investors.create(candidate);

  // Also on a retry: if the first call crashed before its audit append, this one records it.
  await deps.audit.append({
    stream: `investor#${investor.investorId}`,
    type: 'investor.registered',
    actor,
    investorId: investor.investorId,
    data: {
      type: investor.type,
      status: investor.status,
      countryOfResidence: investor.countryOfResidence,
      wallets: investor.wallets,
      kycVendor: investor.kyc?.vendor ?? null,
    },
    idempotencyKey: `investor#${investor.investorId}:v1`,
  });
  return { investor, created };
}
