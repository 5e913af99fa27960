import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { createApiServer } from '../../bin/local/api-gateway';
import { DevAuthority } from '../../bin/local/dev-auth';
import { lambdaContext } from '../../bin/local/lambda-context';

describe('the local API emulator', () => {
  let server: Server;
  let base: string;
  const seen: APIGatewayProxyEventV2WithJWTAuthorizer[] = [];

  beforeAll(async () => {
    const invoke = async (event: APIGatewayProxyEventV2WithJWTAuthorizer) => {
      seen.push(event);
      return { statusCode: 200, body: JSON.stringify(event.pathParameters ?? {}) };
    };
    const spec = { method: 'POST', path: '/webhooks/kyc/{vendor}', function: 'kycWebhook', auth: 'public' } as const;
    server = createApiServer([{ spec, invoke, context: () => lambdaContext('test', 5, 128) }], new DevAuthority());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers a path with broken percent-encoding with 400, as API Gateway does, without invoking the function', async () => {
    const before = seen.length;
    for (const path of ['/webhooks/kyc/%E0%A4%A', '/webhooks/kyc/%', '/webhooks/kyc/%zz']) {
      const response = await fetch(`${base}${path}`, { method: 'POST', body: '{}' });
      expect([path, response.status]).toEqual([path, 400]);
    }
    expect(seen).toHaveLength(before);
  });

  it('decodes valid percent-encoding into the path parameter', async () => {
    const response = await fetch(`${base}/webhooks/kyc/sum%73ub`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ vendor: 'sumsub' });
  });
});
