export { type Case, CASE_RISKS, CASE_STATUSES, CASE_TYPES, caseIdFor, type CaseRisk, clearsMatch, DISPOSITIONS, type OpenCaseRequest } from './case';
export { openCase } from './open-case';
export { type CaseRepository, type CaseTrail, type SanctionsStanding } from './ports';
export { type CaseSummary, type CaseView, listCases, parseCaseList } from './queue';
export {
  type ApprovalDeps,
  approveCase,
  type CaseHistory,
  caseHistory,
  claimCase,
  claimNextCase,
  decideCase,
  rejectProposal,
  releaseCase,
  showCase,
} from './review';
