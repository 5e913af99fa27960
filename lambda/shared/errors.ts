/**
 * Errors with stable machine codes and a kind. The kind is what the error means to a caller, and
 * each kind is one base class here: a module's own errors extend one of them, so every error a
 * module can throw has an HTTP status (lambda/platform/http.ts maps kinds, exhaustively) and no new
 * code can silently become a 500. Messages of 4xx errors tell the caller what to fix and never
 * echo submitted values (they may be personal data).
 */
export const ERROR_KINDS = [
  'invalid_input',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'too_large',
  'unprocessable',
  'unavailable',
  'internal',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
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

const describeIssues = (issues: readonly FieldIssue[]) => issues.map((issue) => `${issue.field} ${issue.problem}`).join('; ');

/** 400: the input is malformed; the issues name each field and what is wrong with it. */
export class ValidationError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code: string = 'VALIDATION_FAILED';
  constructor(
    readonly issues: readonly FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(`Invalid input: ${describeIssues(issues)}`, options);
  }
}

/** 401 */
export class UnauthorizedError extends DomainError {
  readonly kind = 'unauthorized';
  readonly code: string = 'UNAUTHORIZED';
}

/** 403 */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  readonly code: string = 'FORBIDDEN';
}

/** 404 */
export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
  readonly code: string = 'NOT_FOUND';
}

/** 409: the stored state does not allow the change (a lost race, a status that moved on). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  readonly code: string = 'CONFLICT';
}

/** 413 */
export class PayloadTooLargeError extends DomainError {
  readonly kind = 'too_large';
  readonly code: string = 'PAYLOAD_TOO_LARGE';
}

/**
 * 422: well-formed, but it cannot be acted on as it stands (a blocked jurisdiction, a decision
 * without a reason, a call the chain refuses). Retrying the same request does not help.
 */
export abstract class UnprocessableError extends DomainError {
  readonly kind = 'unprocessable';
  /** The fields at fault, where there are some. */
  readonly issues?: readonly FieldIssue[];
}

/** 422 naming fields: the request is valid but the fields' values cannot be acted on. */
export abstract class UnprocessableFieldsError extends UnprocessableError {
  constructor(
    prefix: string,
    override readonly issues: readonly FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(`${prefix}: ${describeIssues(issues)}`, options);
  }
}

/** 503: a failure that may succeed on retry (a dependency down, a lost race). */
export class TransientError extends DomainError {
  readonly kind = 'unavailable';
  readonly code: string = 'TRANSIENT';
}

/** 500: something that must hold did not (a bug, or data no code path should produce). */
export class InvariantError extends DomainError {
  readonly kind = 'internal';
  readonly code: string = 'INVARIANT_BROKEN';
}

/**
 * Whether retrying cannot help: the request or the data is wrong. Transient and internal failures
 * are retried (an internal one may be a race that a fresh read resolves).
 */
export function isPermanent(error: unknown): error is DomainError {
  return error instanceof DomainError && error.kind !== 'unavailable' && error.kind !== 'internal';
}

/** zod issues → field issues, keeping paths and messages but never the received values. */
export function fieldIssuesFrom(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldIssue[] {
  return issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(body)',
    problem: issue.message,
  }));
}
