import { z } from 'zod';
import { ValidationError, fieldIssuesFrom } from '../../shared';
import { recordFields } from './export';
import type { AuditPage, AuditQueries } from './ports';
import { auditQuerySchema, type AuditQuery } from './query';

/** One page of records for an auditor; the cursor fetches the next page of the same query. */
export async function queryAudit(deps: { queries: AuditQueries }, query: AuditQuery, limit: number, cursor?: string): Promise<AuditPage> {
  const page = await deps.queries.page(query, limit, cursor);
  return { records: page.records.map(recordFields), ...(page.cursor ? { cursor: page.cursor } : {}) };
}

export const exportRequestSchema = z.strictObject({
  query: auditQuerySchema,
  /** `link` always writes to the exports bucket; `auto` (default) does so only when the export is large. */
  delivery: z.enum(['auto', 'link']).default('auto'),
});

export type ExportRequest = z.output<typeof exportRequestSchema>;

export function parseExportRequest(input: unknown): ExportRequest {
  const parsed = exportRequestSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldIssuesFrom(parsed.error.issues));
  return parsed.data;
}

/** Query-string parameters of `GET /audit/verify`. */
export const verifyQuerySchema = z.strictObject({ stream: z.string().min(1).optional() });

export function parseVerifyParams(params: Readonly<Record<string, string | undefined>>): { onlyStream?: string } {
  const unknown = Object.keys(params).filter((key) => !(key in verifyQuerySchema.shape));
  if (unknown.length > 0) throw new ValidationError(unknown.map((field) => ({ field, problem: 'is not a parameter of this route (only stream is)' })));
  return params.stream ? { onlyStream: params.stream } : {};
}
