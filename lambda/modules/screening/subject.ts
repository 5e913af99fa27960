import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Investor } from '../investors';
import type { ScreeningSubject } from './screener';

/** What of an investor is screened. */
export function subjectOf(investor: Investor): ScreeningSubject & { name: string; wallets: readonly string[] } {
  return { name: investor.legalName, type: investor.type, dateOfBirth: investor.dateOfBirth, country: investor.countryOfResidence, wallets: investor.wallets };
}

/** sha256 over the canonical JSON of the screened data: a case is suppressed only while it is unchanged. */
export function subjectHashOf(subject: ScreeningSubject): string {
  const canonical = canonicalize({
    name: subject.name ?? null,
    type: subject.type ?? null,
    dateOfBirth: subject.dateOfBirth ?? null,
    country: subject.country ?? null,
    wallets: [...(subject.wallets ?? [])].sort(),
  });
  return createHash('sha256').update(canonical!).digest('hex');
}
