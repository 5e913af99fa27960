import { ConflictError, NotFoundError, TransientError, ValidationError, ForbiddenError, UnauthorizedError } from '../../../lambda/shared';
import {
  DeadlineError,
  MAX_PATH_PARAMETER_LENGTH,
  MAX_QUERY_VALUE_LENGTH,
  authorize,
  beforeDeadline,
  errorResponse,
  httpFunction,
  parseJsonBody,
  rawBody,
} from '../../../lambda/platform/http';
import { lambdaContext } from '../../../bin/local/lambda-context';
import { httpEvent } from '../../helpers/events';

describe('error responses', () => {
  it.each([
    [new ValidationError([{ field: 'wallets', problem: 'is required' }]), 400],
    [new UnauthorizedError('no token'), 401],
    [new ForbiddenError('wrong role'), 403],
    [new NotFoundError('no such investor'), 404],
    [new ConflictError('changed concurrently'), 409],
    [new TransientError('dependency down'), 503],
  ])('maps %p to %i with its code and message', (error, status) => {
    const response = errorResponse(error);
    expect(response.statusCode).toBe(status);
    expect(JSON.parse(response.body!).error).toMatchObject({ code: error.code, message: error.message });
  });

  it('lists the offending fields of a validation error', () => {
    const body = JSON.parse(errorResponse(new ValidationError([{ field: 'dateOfBirth', problem: 'is required' }])).body!);
    expect(body.error.issues).toEqual([{ field: 'dateOfBirth', problem: 'is required' }]);
  });

  it('hides the details of unexpected errors behind a generic 500', () => {
    const response = errorResponse(new Error('connection string postgres://secret@db'));
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret');
  });
});

describe('request bodies', () => {
  it('decodes base64 bodies the way API Gateway sends binary content', () => {
    expect(rawBody(httpEvent('POST /x', { body: '{"a":1}', base64: true })).toString()).toBe('{"a":1}');
    expect(rawBody(httpEvent('POST /x', { body: '{"a":1}' })).toString()).toBe('{"a":1}');
  });

  it('turns malformed or empty JSON into a 400 naming the body', () => {
    expect(() => parseJsonBody(httpEvent('POST /x', { body: '{"a":' }))).toThrow(ValidationError);
    expect(() => parseJsonBody(httpEvent('POST /x'))).toThrow(ValidationError);
  });
});

describe('authorization by route roles', () => {
  it('lets a caller in a role the route allows through, as <role>:<subject>', () => {
    const caller = authorize(httpEvent('POST /investors', { subject: 'portal-app', groups: ['portal'] }));
    expect(caller.actor).toBe('portal:portal-app');
  });

  it('refuses a caller without an allowed role, and one without a subject', () => {
    expect(() => authorize(httpEvent('POST /investors', { subject: 'carol', groups: ['auditor'] }))).toThrow(ForbiddenError);
    expect(() => authorize(httpEvent('POST /investors', { groups: ['portal'] }))).toThrow(UnauthorizedError);
  });

  it('refuses routes that are not declared', () => {
    expect(() => authorize(httpEvent('DELETE /everything', { subject: 'dave', groups: ['operator'] }))).toThrow(ForbiddenError);
  });
});

describe('answering before the Lambda deadline', () => {
  const contextWith = (remainingMs: number) => {
    const deadline = Date.now() + remainingMs;
    return { getRemainingTimeInMillis: () => deadline - Date.now() };
  };

  it('answers a 503 with Retry-After, margin ms before the deadline, when the work is slower', async () => {
    jest.useFakeTimers();
    try {
      let settled: unknown;
      const never = () => new Promise<never>(() => undefined);
      void beforeDeadline({ getRemainingTimeInMillis: () => 300 }, 100, never).catch((caught: unknown) => (settled = caught));
      await jest.advanceTimersByTimeAsync(199);
      expect(settled).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      expect(settled).toBeInstanceOf(DeadlineError);
      const response = errorResponse(settled);
      expect(response.statusCode).toBe(503);
      expect(response.headers).toMatchObject({ 'retry-after': '5' });
      expect(JSON.parse(response.body!).error.code).toBe('DEADLINE');
    } finally {
      jest.useRealTimers();
    }
  });

  it('returns what the work returns, and its error, when it finishes in time', async () => {
    await expect(beforeDeadline(contextWith(5_000), 750, async () => 'done')).resolves.toBe('done');
    await expect(beforeDeadline(contextWith(5_000), 750, async () => Promise.reject(new ConflictError('lost')))).rejects.toThrow(ConflictError);
  });

  it('does not leave an unhandled rejection when the work fails after the deadline was answered', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const late = () => new Promise((_resolve, reject) => setTimeout(() => reject(new Error('late failure')), 80));
      await expect(beforeDeadline(contextWith(50), 40, late)).rejects.toThrow(DeadlineError);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});

describe('oversize path and query values', () => {
  const handler = httpFunction(async () => ({ statusCode: 200, body: 'handled' }));
  const invoke = (event: ReturnType<typeof httpEvent>) => handler(event, lambdaContext('test', 5, 128)) as Promise<{ statusCode: number; body: string }>;

  it('are 400s naming the parameter before any handler runs (a 5,000-character id would exceed a DynamoDB key)', async () => {
    const response = await invoke(httpEvent('GET /investors/{investorId}', { pathParameters: { investorId: 'x'.repeat(5_000) } }));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).error.issues).toEqual([{ field: 'investorId', problem: `must be at most ${MAX_PATH_PARAMETER_LENGTH} characters` }]);
    const query = await invoke({ ...httpEvent('GET /cases'), queryStringParameters: { cursor: 'c'.repeat(MAX_QUERY_VALUE_LENGTH + 1) } });
    expect(query.statusCode).toBe(400);
    expect(JSON.parse(query.body).error.issues[0].field).toBe('cursor');
  });

  it('lets values up to the limits through', async () => {
    const event = {
      ...httpEvent('GET /cases/{caseId}', { pathParameters: { caseId: 'x'.repeat(MAX_PATH_PARAMETER_LENGTH) } }),
      queryStringParameters: { q: 'y'.repeat(MAX_QUERY_VALUE_LENGTH) },
    };
    expect((await invoke(event)).statusCode).toBe(200);
  });
});
