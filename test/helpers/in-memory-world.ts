import { inMemoryAuditLog } from '../../lambda/modules/audit/fakes';
import { InMemoryCaseRepository, RecordedSanctionsStanding } from '../../lambda/modules/cases/fakes';
import { InMemoryInvestorRepository, RecordingAllowlistRequests, RecordingScreeningRequests } from '../../lambda/modules/investors/fakes';
import type { RegistryTarget } from '../../lambda/shared';

/** A Monday, 10:00 in Washington, DC: the domain tests' "now". */
export const NOW = new Date('2026-03-02T15:00:00.000Z');

/** Two registries of the fund's token, named in mixed case as configuration may name them. */
export const REGISTRIES: readonly RegistryTarget[] = [
  { chainId: 1, identityRegistry: '0x00000000000000000000000000000000000000Aa' },
  { chainId: 8453, identityRegistry: '0x00000000000000000000000000000000000000Bb' },
];

/** A wallet address made of one repeated hex digit. */
export const wallet = (digit: string) => `0x${digit.repeat(40)}`;

/** A clock that stands still unless a test moves it on (a lease lapsing). */
export function testClock(start: Date = NOW) {
  let current = start;
  return {
    now: () => current,
    advanceMinutes(minutes: number) {
      current = new Date(current.getTime() + minutes * 60_000);
    },
  };
}

/** Every port of the investors and cases modules in memory, on one clock. */
export function inMemoryWorld() {
  const clock = testClock();
  const { audit, store } = inMemoryAuditLog(clock.now);
  const investors = new InMemoryInvestorRepository();
  const allowlist = new RecordingAllowlistRequests();
  const screening = new RecordingScreeningRequests();
  const lifecycle = { investors, audit, allowlist, screening, registries: REGISTRIES, now: clock.now };
  return { clock, audit, store, investors, allowlist, screening, lifecycle, cases: new InMemoryCaseRepository(), sanctions: new RecordedSanctionsStanding() };
}

/** The allowlist requests sent to one registry, in order (`action wallet`). */
export function requestsOn(allowlist: RecordingAllowlistRequests, registry: RegistryTarget): string[] {
  return allowlist.requests
    .filter((change) => change.chainId === registry.chainId && change.identityRegistry === registry.identityRegistry.toLowerCase())
    .map((change) => `${change.action} ${change.wallet}`);
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
