/**
 * Errors with stable machine codes. Handlers map codes to HTTP status in one table
 * (lambda/handlers/http/errors.ts); messages of 4xx errors tell the caller what to fix and
 * never echo submitted values (they may be personal data).
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `wallets.0`. */
  readonly field: string;
  readonly problem: string;
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(
    readonly issues: readonly FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(`Invalid input: ${issues.map((issue) => `${issue.field} ${issue.problem}`).join('; ')}`, options);
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
}

export class UnauthorizedError extends DomainError {
  readonly code = 'UNAUTHORIZED';
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
}

/** A failure that may succeed on retry (a dependency down, a lost race). */
export class TransientError extends DomainError {
  readonly code = 'TRANSIENT';
}

/** zod issues → field issues, keeping paths and messages but never the received values. */
export function fieldIssuesFrom(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldIssue[] {
  return issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(body)',
    problem: issue.message,
  }));
}
