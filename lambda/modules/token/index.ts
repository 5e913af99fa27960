export { approveOperation, proposeUnpause, requestPause, showOperation, TOKEN_STREAM, type EmergencyDeps } from './emergency';
export { OperationNotFoundError, SelfApprovalError, TokenStateConflictError } from './errors';
export { executeTokenOperation, type TokenWorkerDeps } from './execute';
export { tokenPipelineHold } from './hold';
export {
  INITIAL_CONTROL,
  TOKEN_OPERATION_KINDS,
  tokenRequestSchema,
  type ChainOutcome,
  type TokenActor,
  type TokenControl,
  type TokenOperation,
  type TokenOperationKind,
} from './operation';
export { type TokenChain, type TokenOperationRequests, type TokenOperationStore, type TokenReader } from './ports';
export { tokenStatus, type ChainStatus, type TokenStatus } from './status';
