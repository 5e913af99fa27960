import { z } from 'zod';
import { ValidationError, fieldIssuesFrom } from '../../shared';
import type { WebhookRefusalCounts } from './ports';

export type { RefusalCount, WebhookRefusal } from './ports';

/**
 * Refused webhooks (forged, stale, malformed, unknown vendor, oversize) are counted, not recorded one
 * by one: a flood of them must not grow the insert-only audit trail, whose records are decisions.
 * One counter per vendor, reason and hour, added to atomically.
 */
/** Reasons are a bounded vocabulary: array indexes in field names collapse to `*`, and the reason is cut at 120 characters. */
export function refusalReason(kind: string, detail?: string): string {
  const reason = detail === undefined ? kind : `${kind}:${detail.replace(/\.\d+(?=\.|$)/g, '.*')}`;
  return reason.slice(0, 120);
}

export const hourOf = (at: Date) => at.toISOString().slice(0, 13);

/** The longest range one query reads: a month of hours. */
export const MAX_REFUSAL_DAYS = 31;

export const refusalQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 timestamp' }).optional(),
    to: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 timestamp' }).optional(),
    vendor: z.string().max(40).optional(),
  })
  .strict();

export interface RefusalQuery {
  readonly from: Date;
  readonly to: Date;
  readonly vendor?: string;
}

/** `from`/`to` default to the last 24 hours; the range is at most 31 days and must not run backwards. */
export function parseRefusalQuery(input: unknown, now: Date): RefusalQuery {
  const parsed = refusalQuerySchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldIssuesFrom(parsed.error.issues));
  const to = parsed.data.to ? new Date(parsed.data.to) : now;
  const from = parsed.data.from ? new Date(parsed.data.from) : new Date(to.getTime() - 86_400_000);
  if (from > to) throw new ValidationError([{ field: 'from', problem: 'must not be after to' }]);
  if (to.getTime() - from.getTime() > MAX_REFUSAL_DAYS * 86_400_000)
    throw new ValidationError([{ field: 'from', problem: `must be at most ${MAX_REFUSAL_DAYS} days before to` }]);
  return { from, to, vendor: parsed.data.vendor };
}

/** The counts of a range, newest hour first, with their total. */
export async function webhookRefusals(deps: { readonly refusals: WebhookRefusalCounts }, query: RefusalQuery) {
  const counts = (await deps.refusals.list(hourOf(query.from), hourOf(query.to))).filter((count) => !query.vendor || count.vendor === query.vendor);
  const sorted = [...counts].sort((a, b) => b.hour.localeCompare(a.hour) || a.vendor.localeCompare(b.vendor) || a.reason.localeCompare(b.reason));
  return { from: query.from.toISOString(), to: query.to.toISOString(), total: sorted.reduce((sum, count) => sum + count.count, 0), counts: sorted };
}
