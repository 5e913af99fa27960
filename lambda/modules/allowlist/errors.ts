import { UnprocessableError } from '../../shared';

/**
 * The chain refused the call (a revert on simulation or on chain): missing agent role, bad input,
 * state the change cannot fix. Retrying does not help, so the change goes to the dead-letter queue.
 */
export class ChainRevertError extends UnprocessableError {
  readonly code = 'CHAIN_REVERTED';
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`the chain rejects the call: ${reason}`, options);
  }
}

/** A change the worker can never apply as asked (unknown registry, inconsistent on-chain state). */
export class ChangeRejectedError extends UnprocessableError {
  readonly code = 'REJECTED';
}
