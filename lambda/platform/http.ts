import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { API_SCOPE_SERVER, MACHINE_ROLES, ROUTES, type Role } from '../config/system';
import { DomainError, ForbiddenError, TransientError, UnauthorizedError, ValidationError, type ErrorKind, type FieldIssue } from '../shared';
import { observed } from './middleware';
import { describeError, logger } from './observability';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/**
 * The one table from error kinds to HTTP status: exhaustive, so a new kind cannot go unmapped and
 * every DomainError has its status. Anything else is a 500 with a generic body.
 */
const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unprocessable: 422,
  unavailable: 503,
  internal: 500,
};

export function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

const INTERNAL_ERROR = { code: 'INTERNAL', message: 'Internal error; the request may be retried.' };

export function errorResponse(error: unknown): HttpResult {
  if (!(error instanceof DomainError) || error.kind === 'internal') {
    logger.error('unhandled error', describeError(error));
    return json(500, { error: INTERNAL_ERROR });
  }
  const issues = 'issues' in error ? (error.issues as readonly FieldIssue[] | undefined) : undefined;
  const response = json(STATUS_BY_KIND[error.kind], { error: { code: error.code, message: error.message, ...(issues ? { issues } : {}) } });
  if (error instanceof DeadlineError) response.headers = { ...response.headers, 'retry-after': String(error.retryAfterSeconds) };
  return response;
}

/** 503 with Retry-After: the answer could not be given before the function's deadline; a retry finds the work done or does it. */
export class DeadlineError extends TransientError {
  override readonly code: string = 'DEADLINE';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/**
 * Runs `work`, but answers a DeadlineError `marginMs` before Lambda would end the invocation (from
 * `context.getRemainingTimeInMillis()`), so the caller gets a 503 with Retry-After instead of the
 * gateway's bare 500 of a timed-out function. Work still running is left to finish or be frozen;
 * whatever it does is safe to repeat (the caller retries).
 */
export async function beforeDeadline<T>(context: Pick<Context, 'getRemainingTimeInMillis'>, marginMs: number, work: () => Promise<T>): Promise<T> {
  const running = work();
  // A failure after the deadline was answered has no one to report to but the log.
  running.catch((error: unknown) => logger.warn('work failed after its deadline was answered', describeError(error)));
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new DeadlineError('not answered within the time limit; retry later (a retry of a stored event is a duplicate)', 5)),
      Math.max(0, context.getRemainingTimeInMillis() - marginMs),
    );
  });
  try {
    return await Promise.race([running, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The raw request body as API Gateway received it (it base64-encodes binary bodies). */
export function rawBody(event: Pick<HttpEvent, 'body' | 'isBase64Encoded'>): Buffer {
  if (event.body === undefined) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

export function parseJsonBody(event: HttpEvent): unknown {
  const text = rawBody(event).toString('utf8');
  if (text.length === 0) throw new ValidationError([{ field: '(body)', problem: 'is empty; send a JSON object' }]);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ValidationError([{ field: '(body)', problem: 'is not valid JSON' }], { cause });
  }
}

/** A JSON object body (`{}` when a route's fields are all optional and none was sent); anything else is a 400. */
export function parseJsonObject(event: HttpEvent, options: { optional?: boolean } = {}): Record<string, unknown> {
  if (options.optional && rawBody(event).length === 0) return {};
  const body = parseJsonBody(event);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError([{ field: '(body)', problem: 'must be a JSON object' }]);
  return body as Record<string, unknown>;
}

export interface Caller {
  readonly subject: string;
  readonly roles: readonly Role[];
  /** For audit records: `<role>:<subject>`. */
  readonly actor: string;
}

/** Cognito puts groups in `cognito:groups`, as a JSON-ish list string once API Gateway flattens it. */
function groupsOf(claims: Record<string, unknown>): string[] {
  const raw = claims['cognito:groups'];
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return [];
  return raw
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/** Machine clients (client credentials) carry their role as the scope `<API_SCOPE_SERVER>/<role>`, for machine roles only. */
function machineRolesOf(claims: Record<string, unknown>): string[] {
  if (typeof claims.scope !== 'string') return [];
  const prefix = `${API_SCOPE_SERVER}/`;
  return claims.scope
    .split(/\s+/)
    .filter((scope) => scope.startsWith(prefix))
    .map((scope) => scope.slice(prefix.length))
    .filter((role) => (MACHINE_ROLES as readonly string[]).includes(role));
}

/**
 * Checks the caller's groups (people) or scopes (machine clients) against the route's roles in
 * lambda/config/system.ts. API Gateway's JWT authorizer has already verified the token; roles are
 * ours to enforce.
 */
export function authorize(event: HttpEvent): Caller {
  const route = ROUTES.find((candidate) => `${candidate.method} ${candidate.path}` === event.routeKey);
  if (!route) throw new ForbiddenError(`route ${event.routeKey} is not declared`);
  if (route.auth === 'public') return { subject: 'anonymous', roles: [], actor: 'public:anonymous' };
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims?.sub) throw new UnauthorizedError('a bearer token is required');
  const roles = [...groupsOf(claims), ...machineRolesOf(claims)].filter((role): role is Role => (route.auth as readonly string[]).includes(role));
  if (roles.length === 0) throw new ForbiddenError(`this route needs one of the roles: ${route.auth.join(', ')}`);
  return { subject: String(claims.sub), roles, actor: `${roles[0]}:${String(claims.sub)}` };
}

/**
 * The longest path parameter any route takes (ids are ULIDs, case ids, list versions, addresses:
 * all far shorter). Longer ones are refused before any handler uses them in a DynamoDB key, whose
 * limits (2,048 bytes for a partition key, 1,024 for a sort key) a longer id could exceed.
 */
export const MAX_PATH_PARAMETER_LENGTH = 256;
/** The longest query-string value any route takes (an opaque page cursor is the longest). */
export const MAX_QUERY_VALUE_LENGTH = 4096;

function checkRequestSize(event: HttpEvent): void {
  const issues: FieldIssue[] = [];
  for (const [name, value] of Object.entries(event.pathParameters ?? {})) {
    if ((value?.length ?? 0) > MAX_PATH_PARAMETER_LENGTH) issues.push({ field: name, problem: `must be at most ${MAX_PATH_PARAMETER_LENGTH} characters` });
  }
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if ((value?.length ?? 0) > MAX_QUERY_VALUE_LENGTH)
      issues.push({ field: name.slice(0, 64), problem: `must be at most ${MAX_QUERY_VALUE_LENGTH} characters` });
  }
  if (issues.length > 0) throw new ValidationError(issues);
}

/** Front door of every HTTP function: oversize path and query values are 400s; errors become their status (a generic 500 for the unexpected). */
export function httpFunction(handle: (event: HttpEvent, context: Context) => Promise<HttpResult>) {
  return observed<HttpEvent, HttpResult>(async (event, context) => {
    try {
      checkRequestSize(event);
      return await handle(event, context);
    } catch (error) {
      return errorResponse(error);
    }
  });
}
