import { ConflictError, ForbiddenError, NotFoundError } from '../../shared';

/** Four-eyes: the person who proposed an operation cannot approve it. */
export class SelfApprovalError extends ForbiddenError {
  override readonly code = 'SELF_APPROVAL';
  constructor() {
    super('you proposed this operation: a different officer or responder must approve it');
  }
}

/** The token's state (paused or not, a proposal pending) does not allow the request. */
export class TokenStateConflictError extends ConflictError {
  override readonly code = 'TOKEN_STATE_CONFLICT';
}

export class OperationNotFoundError extends NotFoundError {
  override readonly code = 'OPERATION_NOT_FOUND';
  constructor() {
    super('no such token operation');
  }
}
