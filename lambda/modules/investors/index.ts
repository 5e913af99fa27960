export {
  canTransition,
  INVESTOR_STATUSES,
  type Investor,
  type InvestorStatus,
  type KycFacts,
  kycApplicantSchema,
  MAY_BE_ON_CHAIN,
  registrationSchema,
  type Suspension,
  transition,
} from './investor';
export {
  attachKycApplicant,
  changeStatus,
  expireKycApprovals,
  type LifecycleDeps,
  loadInvestor,
  offboardInvestor,
  reinstateInvestor,
  requestAllowlistChanges,
  type StatusChangeDeps,
  streamOf,
  suspendInvestor,
} from './lifecycle';
export { type AllowlistRequests, type InvestorRepository } from './ports';
export { registerInvestor } from './register';
export { addWallet, removeWallet } from './wallets';
