import type { AuditLog } from '../audit';
import { caseIdFor, type Case, type OpenCaseRequest } from './case';
import type { CaseRepository } from './ports';

export interface OpenCaseDeps {
  readonly cases: CaseRepository;
  readonly audit: AuditLog;
  readonly now?: () => Date;
}

/** Opens a case for a human, once per distinct key; the audit trail records the opening. */
export async function openCase(deps: OpenCaseDeps, request: OpenCaseRequest, actor: string): Promise<{ case: Case; opened: boolean }> {
  const caseId = caseIdFor(request.key);
  const result = await deps.cases.openIfAbsent({ ...request, caseId, status: 'open', openedAt: (deps.now ?? (() => new Date()))().toISOString(), version: 1 });
  // Also on a repeat: if the first opener crashed before its audit append, this one records it.
  await deps.audit.append({
    stream: `case#${caseId}`,
    type: 'case.opened',
    actor,
    investorId: request.investorId,
    data: { caseId, type: request.type, risk: request.risk },
    idempotencyKey: `case#${caseId}:opened`,
  });
  return result;
}
