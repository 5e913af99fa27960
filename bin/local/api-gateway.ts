import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { CONSOLE_CORS, type RouteSpec } from '../../lambda/config/system';
import type { DevAuthority } from './dev-auth';

export type HttpLambda = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyResultV2>;

export interface ApiRoute {
  readonly spec: RouteSpec;
  readonly invoke: HttpLambda;
  readonly context: () => Context;
}

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Content types API Gateway passes as text; anything else arrives base64-encoded. */
const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

interface CompiledRoute extends ApiRoute {
  readonly pattern: RegExp;
  readonly params: string[];
}

function compile(route: ApiRoute): CompiledRoute {
  const params: string[] = [];
  const source = route.spec.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, (_match, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { ...route, pattern: new RegExp(`^${source}$`), params };
}

/** CORS as the stack configures it on the HTTP API (lib/constructs/compliance-api.ts): the console's origins only. */
export interface CorsOptions {
  readonly allowOrigins: readonly string[];
}

/**
 * A local HTTP API: turns requests into API Gateway HTTP API (payload 2.0) events for the same
 * handlers the stack deploys, checks bearer tokens like the JWT authorizer, and maps the results
 * back. Matching, 404s and 401s behave as API Gateway's do, and so does CORS: a preflight from an
 * allowed origin is answered by the API itself (no handler runs), and every answer to that origin
 * carries `access-control-allow-origin`.
 */
export function createApiServer(
  routes: readonly ApiRoute[],
  authority: DevAuthority,
  cors: CorsOptions = { allowOrigins: [] },
  /** Documents served as they are at a path of their own (the OpenAPI document), no token needed. */
  documents: Readonly<Record<string, () => string>> = {},
): Server {
  const compiled = routes.map(compile);
  return createServer((request, response) => {
    const document = (request.method ?? '').toUpperCase() === 'GET' ? documents[new URL(request.url ?? '/', 'http://localhost').pathname] : undefined;
    if (document) return void response.writeHead(200, { 'content-type': 'application/json' }).end(document());
    const origin = request.headers.origin;
    if (origin && cors.allowOrigins.includes(origin)) {
      response.setHeader('access-control-allow-origin', origin);
      response.setHeader('vary', 'origin');
    }
    if ((request.method ?? '').toUpperCase() === 'OPTIONS') return preflight(cors, request, response);
    handle(compiled, authority, request, response).catch((error: Error) => {
      // What API Gateway answers when the integration fails; the runner's log says why (Lambda's log would).
      process.stderr.write(`[local] ${request.method} ${request.url?.split('?')[0]} failed: ${error.stack ?? error.message}\n`);
      send(response, { statusCode: 500, body: JSON.stringify({ message: 'Internal Server Error' }) });
    });
  });
}

/** API Gateway answers a CORS preflight for any path with 204; only an allowed origin gets the allow headers. */
function preflight(cors: CorsOptions, request: IncomingMessage, response: ServerResponse): void {
  const origin = request.headers.origin;
  if (origin && cors.allowOrigins.includes(origin)) {
    response.setHeader('access-control-allow-methods', CONSOLE_CORS.allowMethods.join(','));
    response.setHeader('access-control-allow-headers', CONSOLE_CORS.allowHeaders.join(','));
    response.setHeader('access-control-max-age', String(CONSOLE_CORS.maxAgeSeconds));
  }
  response.writeHead(204).end();
}

async function handle(routes: readonly CompiledRoute[], authority: DevAuthority, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = (request.method ?? 'GET').toUpperCase();
  const match = routes
    .filter((route) => route.spec.method === method)
    .map((route) => ({ route, found: route.pattern.exec(url.pathname) }))
    .find(({ found }) => found !== null);
  if (!match?.found) return send(response, { statusCode: 404, body: JSON.stringify({ message: 'Not Found' }) });

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return send(response, { statusCode: 413, body: JSON.stringify({ message: 'Request Entity Too Large' }) });
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);

  const { route, found } = match;
  // API Gateway decodes path parameters and answers 400 to a path whose percent-encoding is broken.
  let pathParameters: Record<string, string> | undefined;
  try {
    pathParameters =
      route.params.length > 0 ? Object.fromEntries(route.params.map((name, index) => [name, decodeURIComponent(found[index + 1] ?? '')])) : undefined;
  } catch {
    return send(response, { statusCode: 400, body: JSON.stringify({ message: 'Bad Request' }) });
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }

  let claims: Record<string, string | number | boolean> | undefined;
  if (route.spec.auth !== 'public') {
    claims = authority.verify(headers.authorization);
    if (!claims) return send(response, { statusCode: 401, body: JSON.stringify({ message: 'Unauthorized' }) });
  }

  const routeKey = `${route.spec.method} ${route.spec.path}`;
  const isText = TEXT_TYPES.test(headers['content-type'] ?? '');
  const now = new Date();
  const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: url.searchParams.size > 0 ? Object.fromEntries(url.searchParams) : undefined,
    pathParameters,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claims ?? {}, scopes: [] } },
    },
    body: body.length > 0 ? body.toString(isText ? 'utf8' : 'base64') : undefined,
    isBase64Encoded: body.length > 0 && !isText,
  };
  send(response, await route.invoke(event, route.context()));
}

function send(response: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result === 'string') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(result);
    return;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) response.setHeader('set-cookie', result.cookies);
  const body = result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  response.writeHead(result.statusCode ?? 200, headers).end(body);
}
