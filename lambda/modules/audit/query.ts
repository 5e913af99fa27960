import { z } from 'zod';
import { ValidationError, fieldIssuesFrom } from '../../shared';

const isoTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

/**
 * What an auditor can ask for: one subject (an investor, a wallet, a case or a whole stream) or an
 * event type, narrowed by time. Times are inclusive. Wallets match case-insensitively.
 */
export const auditQuerySchema = z
  .strictObject({
    investorId: z.string().min(1).max(64).optional(),
    wallet: z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address')
      .transform((wallet) => wallet.toLowerCase())
      .optional(),
    caseId: z.string().min(1).max(80).optional(),
    stream: z.string().min(1).max(200).optional(),
    type: z
      .string()
      .regex(/^[a-z][a-z0-9_.-]*$/, 'must be a dotted event type such as investor.registered')
      .max(80)
      .optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
  })
  .superRefine((query, context) => {
    const subjects = (['investorId', 'wallet', 'caseId', 'stream'] as const).filter((key) => query[key] !== undefined);
    if (subjects.length > 1)
      context.addIssue({ code: 'custom', path: [subjects[1]!], message: `give only one of investorId, wallet, caseId, stream (got ${subjects.join(', ')})` });
    if (subjects.length === 0 && !query.type && !query.from)
      context.addIssue({ code: 'custom', path: ['from'], message: 'is required when no investorId, wallet, caseId, stream or type is given' });
    if (query.from && query.to && query.from > query.to) context.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  });

export type AuditQuery = z.output<typeof auditQuerySchema>;

export function parseAuditQuery(input: unknown): AuditQuery {
  const parsed = auditQuerySchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldIssuesFrom(parsed.error.issues));
  return parsed.data;
}

/** A page of a query's results: `limit` records from after `cursor` (the opaque cursor of the previous page). */
export const pageQuerySchema = z.object({ limit: z.string().regex(/^\d+$/, 'must be an integer from 1 to 1000').optional(), cursor: z.string().optional() });

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 100;

export function parsePageSize(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw new ValidationError([{ field: 'limit', problem: `must be an integer from 1 to ${MAX_PAGE_SIZE}` }]);
  return limit;
}

/** The wallets a record is about, from the conventional `data.wallet` and `data.wallets` fields. */
export function walletsOf(data: Readonly<Record<string, unknown>>): string[] {
  const found = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === 'string' && /^0x[0-9a-fA-F]{40}$/.test(value)) found.add(value.toLowerCase());
  };
  add(data.wallet);
  if (Array.isArray(data.wallets)) data.wallets.forEach(add);
  return [...found];
}
