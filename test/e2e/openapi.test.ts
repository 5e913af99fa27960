import { apiDocument } from '../../bin/openapi/document';
import { runningSystem } from '../helpers/e2e-system';

const system = runningSystem();

describe('the local API', () => {
  it('serves its OpenAPI document at /openapi.json, without a token', async () => {
    const response = await fetch(`${system.apiUrl}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(apiDocument())));
  });
});
