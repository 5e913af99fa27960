import fc from 'fast-check';
import { ROUTES, type RouteSpec } from '../../lambda/config/system';
import { runningSystem, tokenFor } from '../helpers/e2e-system';

/**
 * Every route of system.ts over the local API, with odd path values (5,000 characters, unicode,
 * broken percent-encoding, addresses with a wrong checksum), odd query strings and odd bodies, as a
 * caller the route admits: nothing a client sends produces a 5xx. The bodies never satisfy a
 * schema that would change state (every object carries an unknown field, which the strict schemas
 * refuse), so the shared system is left as it was. `ROUTE_FUZZ_RUNS` sets the number (default 1,500).
 */
const RUNS = Number(process.env.ROUTE_FUZZ_RUNS ?? 1_500);
const system = runningSystem();

const ulidLike = fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/);
const pathValues = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,30}$/) },
  { weight: 1, arbitrary: ulidLike },
  { weight: 2, arbitrary: fc.integer({ min: 200, max: 5_000 }).map((length) => 'x'.repeat(length)) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      `0x${'0'.repeat(40)}`,
      '0xAbCdEf0123456789abcdef0123456789ABCDEF01',
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      '0x1234',
      '..',
      '%',
      '%25',
      ' ',
      'é'.repeat(300),
      'ofac-sdn:2024-05-03:abc',
      '-1',
      '1e309',
    ),
  },
);
/** Raw path segments, sent as they are: broken percent-encodings API Gateway answers with 400. */
const rawSegments = fc.constantFrom('%E0%A4%A', '%', '%zz', '%C3%28', '%ED%A0%80');

const oddStrings = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.integer({ min: 100, max: 5_000 }).map((length) => 'q'.repeat(length)),
  fc.constantFrom(
    '',
    '2024-02-30T10:00:00Z',
    '9999-12-31T23:59:59Z',
    'true',
    '-1',
    '0',
    '1001',
    'NaN',
    'null',
    '[]',
    '{}',
    'kyc_conflict',
    'open,closed',
    'eyJ9',
    '!!!',
  ),
);
const QUERY_KEYS = ['limit', 'cursor', 'investorId', 'wallet', 'caseId', 'stream', 'type', 'from', 'to', 'status', 'risk', 'assignee', 'pastSla', 'vendor'];
const queries = fc.dictionary(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ minLength: 1, maxLength: 12 })), oddStrings, { maxKeys: 4 });

const oddJson = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(fc.constantFrom('query', 'delivery', 'wallet', 'reason', 'disposition', 'note', 'externalId', 'kyc'), fc.jsonValue(), { maxKeys: 4 }),
);
/** Bodies no state-changing schema accepts: junk bytes, JSON that is not an object, or an object with an unknown field. */
const bodies = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 200 }),
  fc
    .jsonValue()
    .filter((value) => typeof value !== 'object' || value === null || Array.isArray(value))
    .map((value) => JSON.stringify(value)),
  oddJson.map((value) => JSON.stringify(typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value, fuzzUnknownField: true } : value)),
);

interface Request {
  readonly route: RouteSpec;
  readonly path: string;
  readonly body?: string;
}

const requests: fc.Arbitrary<Request> = fc
  .record({
    route: fc.constantFrom(...ROUTES),
    values: fc.array(fc.oneof({ weight: 9, arbitrary: pathValues.map(encodeURIComponent) }, { weight: 1, arbitrary: rawSegments }), {
      minLength: 2,
      maxLength: 2,
    }),
    query: queries,
    body: bodies,
  })
  .map(({ route, values, query, body }) => {
    let index = 0;
    const path = route.path.replace(/\{\w+\}/g, () => values[index++ % values.length]!);
    // GETs always carry a query, so a verification or listing of everything never runs by accident.
    const params = new URLSearchParams(route.method === 'GET' && Object.keys(query).length === 0 ? { fuzzUnknownParam: '1' } : query);
    return { route, path: `${path}?${params}`, body: route.method === 'GET' ? undefined : body };
  });

describe('every HTTP route under odd paths, queries and bodies', () => {
  it(`never answers a 5xx (${RUNS} requests)`, async () => {
    const tally: Record<string, number> = {};
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(requests, async ({ route, path, body }) => {
        const role = route.auth === 'public' ? undefined : route.auth[0]!;
        const response = await fetch(`${system.apiUrl}${path}`, {
          method: route.method,
          headers: {
            ...(role ? { authorization: `Bearer ${tokenFor(system, role)}` } : {}),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body,
        });
        const text = await response.text();
        tally[response.status] = (tally[response.status] ?? 0) + 1;
        if (response.status >= 500) failures.push(`${route.method} ${path.slice(0, 200)} → ${response.status} ${text.slice(0, 200)}`);
        expect([`${route.method} ${path.slice(0, 300)}`, response.status, response.status < 500 ? '' : text.slice(0, 300)]).toEqual([
          `${route.method} ${path.slice(0, 300)}`,
          expect.any(Number),
          '',
        ]);
      }),
      { numRuns: RUNS },
    );
    process.stdout.write(`route fuzz: ${JSON.stringify({ requests: RUNS, status: tally, fivexx: failures.length })}\n`);
    expect(failures).toEqual([]);
  }, 900_000);
});
