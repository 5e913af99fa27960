import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';

/** An API Gateway HTTP API (payload 2.0) event as the JWT authorizer passes it on. */
export function httpEvent(
  routeKey: string,
  options: { body?: string; base64?: boolean; groups?: string[]; scope?: string; subject?: string; pathParameters?: Record<string, string> } = {},
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  const claims: Record<string, string> = {};
  if (options.subject) claims.sub = options.subject;
  if (options.groups) claims['cognito:groups'] = `[${options.groups.join(' ')}]`;
  if (options.scope) claims.scope = options.scope;
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: {},
    pathParameters: options.pathParameters,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'test',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
      requestId: 'r-1',
      routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
    },
    body: options.body === undefined ? undefined : options.base64 ? Buffer.from(options.body).toString('base64') : options.body,
    isBase64Encoded: options.base64 ?? false,
  };
}
