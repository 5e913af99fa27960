import { z } from 'zod';
import { API_SCOPE_SERVER, type RouteSpec } from '../config/system';

/** HTTP statuses a route may answer besides its success, beyond the ones every route of its kind has. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 503;

/**
 * What a route takes and answers, stated with the zod schemas its handler validates with (the
 * OpenAPI document is generated from them, never written by hand).
 */
export interface RouteContract {
  readonly summary: string;
  readonly description?: string;
  /** The JSON body's schema; `bodyOptional`: no body means `{}`. */
  readonly body?: z.ZodType;
  readonly bodyOptional?: boolean;
  /** The query string's schema (every parameter a string), or several whose parameters add up. */
  readonly query?: z.ZodType | readonly z.ZodType[];
  readonly success: { readonly status: 200 | 201 | 202; readonly description: string };
  /** Refusals particular to the route (409 conflicts, 422 unprocessable, 413, ...). */
  readonly errors?: readonly ErrorStatus[];
}

/** A function's routes, keyed `METHOD /path` as in ROUTES. */
export type FunctionContract = Readonly<Record<string, RouteContract>>;

const ERROR_DESCRIPTIONS: Readonly<Record<ErrorStatus | 500, string>> = {
  400: 'The input is malformed: `error.issues` names each field and what is wrong (never its value).',
  401: 'No valid bearer token, or (webhooks) no valid signature within the replay window.',
  403: 'The caller lacks a role this route needs.',
  404: 'No such resource (or route).',
  409: 'The stored state does not allow it now (a status, a claim, a concurrent change): reload and retry.',
  413: 'The body is larger than the route accepts.',
  422: 'Well-formed, but it cannot be acted on as it stands (see `error.message` and `error.issues`).',
  503: 'A dependency is unavailable; retry with backoff.',
  500: 'An unexpected error; the request may be retried.',
};

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable machine code, e.g. VALIDATION_FAILED, CONFLICT, JURISDICTION_BLOCKED' },
        message: { type: 'string', description: 'What to fix, in words' },
        issues: {
          type: 'array',
          items: { type: 'object', required: ['field', 'problem'], properties: { field: { type: 'string' }, problem: { type: 'string' } } },
        },
      },
    },
  },
} as const;

function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function queryParameters(schema: z.ZodType): Record<string, unknown>[] {
  const json = jsonSchemaOf(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

const pathParameters = (path: string) =>
  [...path.matchAll(/\{(\w+)\}/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: { type: 'string' } }));

function operation(route: RouteSpec, contract: RouteContract): Record<string, unknown> {
  const params = pathParameters(route.path);
  const takesInput = contract.body !== undefined || contract.query !== undefined || params.length > 0;
  const statuses = new Set<ErrorStatus | 500>([
    ...(takesInput ? [400 as const] : []),
    401,
    ...(route.auth === 'public' ? [] : [403 as const]),
    ...(params.length > 0 ? [404 as const] : []),
    ...(contract.errors ?? []),
    500,
    503,
  ]);
  const roles = route.auth === 'public' ? 'public: the caller authenticates by its signature on the body' : route.auth.join(', ');
  return {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/\{(\w+)\}/g, 'By-$1').replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    summary: contract.summary,
    description: [contract.description, `Roles: ${roles}.`].filter(Boolean).join('\n\n'),
    tags: [route.path.split('/')[1]],
    'x-roles': route.auth === 'public' ? [] : route.auth,
    // OpenAPI 3.1 lets a bearer scheme name the roles a route requires.
    security: route.auth === 'public' ? [] : [{ cognito: [...route.auth] }],
    parameters: [...params, ...[contract.query ?? []].flat().flatMap(queryParameters)],
    ...(contract.body ? { requestBody: { required: !contract.bodyOptional, content: { 'application/json': { schema: jsonSchemaOf(contract.body) } } } } : {}),
    responses: {
      [contract.success.status]: { description: contract.success.description, content: { 'application/json': { schema: { type: 'object' } } } },
      ...Object.fromEntries(
        [...statuses]
          .sort((a, b) => a - b)
          .map((status) => [
            status,
            { description: ERROR_DESCRIPTIONS[status], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          ]),
      ),
    },
  };
}

/** The OpenAPI 3.1 document of the routes, from their contracts; every route must have one. */
export function openApiDocument(routes: readonly RouteSpec[], contracts: FunctionContract, info: { title: string; version: string; description: string }) {
  const missing = routes.map((route) => `${route.method} ${route.path}`).filter((key) => !contracts[key]);
  if (missing.length > 0) throw new Error(`routes without a contract: ${missing.join(', ')}`);
  const extra = Object.keys(contracts).filter((key) => !routes.some((route) => `${route.method} ${route.path}` === key));
  if (extra.length > 0) throw new Error(`contracts of undeclared routes: ${extra.join(', ')}`);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, contracts[`${route.method} ${route.path}`]!);
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        cognito: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: `A Cognito token: people carry their roles as groups (\`cognito:groups\`), machine clients (the fund's portal) as the scope \`${API_SCOPE_SERVER}/<role>\`.`,
        },
      },
    },
  };
}
