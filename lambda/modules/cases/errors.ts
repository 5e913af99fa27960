import { UnprocessableFieldsError, type FieldIssue } from '../../shared';

/**
 * The request is well-formed but cannot be acted on as it stands: a decision without a written
 * reason, a disposition that does not apply to the case's type. Names the field, never its value.
 */
export class UnprocessableDecisionError extends UnprocessableFieldsError {
  readonly code = 'DECISION_UNPROCESSABLE';
  constructor(issues: readonly FieldIssue[], options?: { cause?: unknown }) {
    super('Cannot act on this decision', issues, options);
  }
}
