import { DomainError, type FieldIssue } from '../../shared/errors';

/**
 * The request is well-formed but cannot be acted on as it stands: a decision without a written
 * reason, a disposition that does not apply to the case's type. Names the field, never its value.
 */
export class UnprocessableDecisionError extends DomainError {
  readonly code = 'DECISION_UNPROCESSABLE';
  constructor(
    readonly issues: readonly FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(`Cannot act on this decision: ${issues.map((issue) => `${issue.field} ${issue.problem}`).join('; ')}`, options);
  }
}
