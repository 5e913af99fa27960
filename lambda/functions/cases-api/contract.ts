import { approvalSchema, caseListQuerySchema, claimNextSchema, decisionSchema, rejectionSchema } from '../../modules/cases';
import type { FunctionContract } from '../../platform/api-contract';

export const casesApiContract: FunctionContract = {
  'GET /cases': {
    summary: 'The review queue: past-SLA first, then oldest first (without evidence)',
    query: caseListQuerySchema,
    success: { status: 200, description: '`{"cases": [...]}`' },
  },
  'GET /cases/{caseId}': {
    summary: 'A case with its evidence, age, SLA flag and decisions (each view is an audit record)',
    success: { status: 200, description: 'The case.' },
  },
  'GET /cases/{caseId}/history': { summary: "A case's history from the audit trail", success: { status: 200, description: 'The records, oldest first.' } },
  'GET /lists/{listVersion}/entries/{sdnId}': {
    summary: 'A listed entry as a list version has it (names, aliases, programs, addresses, remarks)',
    success: { status: 200, description: 'The entry.' },
  },
  'POST /cases/claim-next': {
    summary: 'Claim the first claimable case in queue order',
    body: claimNextSchema,
    bodyOptional: true,
    success: { status: 200, description: '`{"case": ...}`, or `{"case": null}` when none is claimable.' },
    errors: [409],
  },
  'POST /cases/{caseId}/claim': {
    summary: 'Claim a case for 30 minutes (renews your own claim)',
    success: { status: 200, description: 'The case, claimed.' },
    errors: [409],
  },
  'POST /cases/{caseId}/release': { summary: 'Release your claim', success: { status: 200, description: 'The case, open.' }, errors: [409] },
  'POST /cases/{caseId}/decision': {
    summary: 'Decide a claimed case with a disposition and a reason (four-eyes decisions await approval)',
    body: decisionSchema,
    success: { status: 200, description: 'The case, closed or pending approval.' },
    errors: [409, 422],
  },
  'POST /cases/{caseId}/approve': {
    summary: "Approve another officer's proposal (never your own)",
    body: approvalSchema,
    bodyOptional: true,
    success: { status: 200, description: "The case, closed, with the decision's effects." },
    errors: [409],
  },
  'POST /cases/{caseId}/reject': {
    summary: "Send another officer's proposal back, with a reason",
    body: rejectionSchema,
    success: { status: 200, description: 'The case, open again.' },
    errors: [409, 422],
  },
};
