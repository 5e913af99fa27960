export { type Case, CASE_RISKS, CASE_STATUSES, CASE_TYPES, caseIdFor, type CaseRisk, clearsMatch, DISPOSITIONS, type OpenCaseRequest } from './case';
export { openCase } from './open-case';
export { type CaseRepository, type CaseTrail, type SanctionsStanding } from './ports';
export { caseListQuerySchema, type CaseSummary, type CaseView, listCases, parseCaseList } from './queue';
export {
  type ApprovalDeps,
  approvalSchema,
  approveCase,
  caseHistory,
  type CaseHistory,
  claimCase,
  claimNextCase,
  claimNextSchema,
  decideCase,
  decisionSchema,
  reasonSchema as rejectionSchema,
  rejectProposal,
  releaseCase,
  showCase,
} from './review';
