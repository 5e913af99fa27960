import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validate } from '@readme/openapi-parser';
import { ROUTES } from '../../lambda/config/system';
import { openApiDocument, type FunctionContract } from '../../lambda/platform/api-contract';
import { apiDocument, apiDocumentText } from '../../bin/openapi/document';

const OPENAPI_FILE = path.resolve(__dirname, '..', '..', 'docs', 'openapi.json');

describe('the OpenAPI document', () => {
  it('is what the code generates: a route or schema changed without `npm run openapi` fails here', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(apiDocumentText());
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(apiDocument()) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it('has every route of the route table, with its roles', () => {
    const document = apiDocument();
    for (const route of ROUTES) {
      const operation = (document.paths[route.path] as Record<string, { 'x-roles': string[] }>)[route.method.toLowerCase()];
      expect(operation).toBeDefined();
      expect(operation!['x-roles']).toEqual(route.auth === 'public' ? [] : route.auth);
    }
  });

  it("states the request bodies from the handlers' schemas: a registration's fields and the decision's dispositions", () => {
    const document = apiDocument() as unknown as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, { enum?: string[] }>; required?: string[] } }> } }>
      >;
    };
    const registration = document.paths['/investors']!.post!.requestBody!.content['application/json']!.schema;
    expect(registration.required).toEqual(expect.arrayContaining(['externalId', 'legalName', 'countryOfResidence', 'wallets']));
    const decision = document.paths['/cases/{caseId}/decision']!.post!.requestBody!.content['application/json']!.schema;
    expect(decision.properties!.disposition!.enum).toEqual(expect.arrayContaining(['false_positive', 'true_match']));
  });

  it('refuses a route without a contract, and a contract of no route', () => {
    const route = ROUTES[0]!;
    expect(() => openApiDocument([route], {}, { title: 't', version: '1', description: 'd' })).toThrow(
      `routes without a contract: ${route.method} ${route.path}`,
    );
    const stray: FunctionContract = { 'GET /nowhere': { summary: 's', success: { status: 200, description: 'd' } } };
    expect(() => openApiDocument([], stray, { title: 't', version: '1', description: 'd' })).toThrow('contracts of undeclared routes: GET /nowhere');
  });
});
