import type { PendingIntent } from './ports';

/** Investors whose work runs at once; each investor's own work runs in order. */
const CONCURRENCY = 32;

/** The first entry of each investor. */
export function distinctInvestors<T extends { intent: PendingIntent }>(entries: readonly T[]): T[] {
  const seen = new Set<string>();
  return entries.filter(({ intent }) => !seen.has(intent.change.investorId) && seen.add(intent.change.investorId));
}

/** Runs `work` for every entry: one investor's entries in order, investors in parallel. */
export async function forEachInvestor<T extends { intent: PendingIntent }>(entries: readonly T[], work: (entry: T) => Promise<void>): Promise<void> {
  const byInvestor = new Map<string, T[]>();
  for (const entry of entries) {
    const list = byInvestor.get(entry.intent.change.investorId) ?? [];
    list.push(entry);
    byInvestor.set(entry.intent.change.investorId, list);
  }
  const queues = [...byInvestor.values()];
  const workers = Array.from({ length: Math.min(CONCURRENCY, queues.length) }, async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      for (const entry of queue) await work(entry);
    }
  });
  await Promise.all(workers);
}
