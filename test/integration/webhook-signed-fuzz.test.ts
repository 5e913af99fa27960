import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import fc from 'fast-check';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { lambdaContext } from '../../bin/local/lambda-context';
import { LOCAL_KYC_CREDENTIALS, kycLocalEnv } from '../../bin/local/kyc';
import { kycPayload } from '../../bin/local/vendor-simulator/payloads';
import { QUEUES, TABLES } from '../../lambda/config/system';
import { signWebhook } from '../../lambda/modules/kyc';
import { normaliseKycEvent } from '../../lambda/modules/kyc/events';
import { documentClient } from '../../lambda/platform/aws/dynamo';
import { KYC_VENDORS, type KycVendor } from '../../lambda/shared';
import * as kycWebhook from '../../lambda/functions/kyc-webhook/handler';
import * as kycWebhookRoot from '../../lambda/functions/kyc-webhook/root';
import { httpEvent } from '../helpers/events';
import { TEST_ENV, provisionFresh } from '../helpers/local-env';
import { drain } from '../helpers/screening-system';

/**
 * SIGNED deliveries for all five vendors with long, unicode, empty and odd ids and impossible or
 * far-off dates, through the whole webhook handler on DynamoDB Local and fauxqs. A signature check
 * stops unsigned fuzz at the door; these get past it, to the schema, the keys and the store.
 * `WEBHOOK_FUZZ_RUNS` sets the number of deliveries (default 2,000).
 */
const RUNS = Number(process.env.WEBHOOK_FUZZ_RUNS ?? 2_000);

type HttpLambda = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

let env: Record<string, string>;
let webhook: HttpLambda;

beforeAll(async () => {
  env = await provisionFresh();
  const functionEnv = { ...process.env, ...env, ...kycLocalEnv({ sumsub: 'http://127.0.0.1:9', onfido: 'http://127.0.0.1:9' } as never) };
  webhook = kycWebhook.createHandler(kycWebhookRoot.compose(functionEnv)) as unknown as HttpLambda;
});

/** Ids as vendors send them, and as no vendor should: oversize (past DynamoDB's key limits), unicode, empty, control characters. */
const ids = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,40}$/) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 0, maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u0000', '😀'.repeat(300), 'é'.repeat(1_100), 'x'.repeat(128), 'x'.repeat(129)) },
  { weight: 2, arbitrary: fc.integer({ min: 100, max: 6_000 }).map((length) => 'a'.repeat(length)) },
  { weight: 1, arbitrary: fc.constant('p'.repeat(200_000)) },
);

const pad = (value: number, width = 2) => String(value).padStart(width, '0');
/** Times with every component possibly out of range, as a vendor's buggy clock or a forger would write them. */
const oddParts = fc.record({
  year: fc.oneof(fc.integer({ min: 1990, max: 2030 }), fc.integer({ min: 0, max: 9_999 })),
  month: fc.integer({ min: 0, max: 14 }),
  day: fc.integer({ min: 0, max: 33 }),
  hour: fc.integer({ min: 0, max: 26 }),
  minute: fc.integer({ min: 0, max: 62 }),
  second: fc.integer({ min: 0, max: 62 }),
});
const recent = fc.integer({ min: -30 * 86_400_000, max: 0 }).map((offset) => new Date(Date.now() + offset));
const isoTimes = fc.oneof(
  { weight: 3, arbitrary: recent.map((at) => at.toISOString()) },
  { weight: 3, arbitrary: oddParts.map((t) => `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}Z`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('2024-02-30T10:00:00Z', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00Z', 'yesterday', '', '2024-01-01T00:00:00+25:00'),
  },
);
const sumsubTimes = fc.oneof(
  { weight: 3, arbitrary: recent.map((at) => at.toISOString().replace('T', ' ').replace('Z', '')) },
  { weight: 3, arbitrary: oddParts.map((t) => `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`) },
  { weight: 1, arbitrary: fc.constantFrom('2024-02-30 10:00:00', '2024-02-30 25:61:61', '2024-13-01 00:00:00', '2024-02-29 23:59:59.999') },
);
const statuses = fc.constantFrom('approved', 'declined', 'review', 'resubmission_requested', 'rejected', 'retry', 'GREEN', 'RED', 'maybe', '');
const references = fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,20}$/), fc.string({ unit: 'grapheme', maxLength: 200 }));

interface Delivery {
  readonly vendor: KycVendor;
  readonly body: unknown;
  /** Standard Webhooks: the `webhook-id` header (signed with the body). */
  readonly webhookId?: string;
}

const deliveries: fc.Arbitrary<Delivery> = fc.oneof(
  fc.record({ id: ids, at: sumsubTimes, status: statuses, reference: references }).map(({ id, at, status, reference }) => ({
    vendor: 'sumsub' as const,
    body: {
      ...kycPayload.sumsub({ applicantId: id, externalReference: reference, reviewResult: { reviewAnswer: status === 'RED' ? 'RED' : 'GREEN' } }),
      createdAtMs: at,
    },
  })),
  fc.record({ id: ids, at: isoTimes, status: statuses }).map(({ id, at, status }) => {
    const body = kycPayload.onfido({ status, runId: id });
    body.payload.object.completed_at_iso8601 = at;
    return { vendor: 'onfido' as const, body };
  }),
  fc.record({ eventId: ids, inquiryId: ids, at: isoTimes, reference: references }).map(({ eventId, inquiryId, at, reference }) => {
    const body = kycPayload.persona({ name: 'inquiry.approved', eventId, applicantId: inquiryId, externalReference: reference });
    body.data.attributes['created-at'] = at;
    return { vendor: 'persona' as const, body };
  }),
  fc.record({ id: ids, at: isoTimes, status: statuses, reference: references }).map(({ id, at, status, reference }) => {
    const body = kycPayload.veriff({ status, applicantId: id, externalReference: reference });
    return { vendor: 'veriff' as const, body: { ...body, verification: { ...body.verification, decisionTime: at } } };
  }),
  fc.record({ id: ids, webhookId: ids, at: fc.option(isoTimes), status: statuses, reference: references }).map(({ id, webhookId, at, status, reference }) => ({
    vendor: 'standard-webhooks' as const,
    body: { ...kycPayload['standard-webhooks']({ status, applicantId: id, externalReference: reference }), timestamp: at ?? undefined },
    webhookId,
  })),
);

async function deliver(vendor: KycVendor, rawBody: Buffer, headers: Record<string, string>) {
  const event = httpEvent('POST /webhooks/kyc/{vendor}', { body: rawBody.toString('utf8'), pathParameters: { vendor } });
  const result = await webhook({ ...event, headers: { ...headers, 'content-type': 'application/json' } }, lambdaContext('kyc-webhook', 5, 512));
  return { status: result.statusCode!, body: JSON.parse(result.body ?? '{}') as { duplicate?: boolean; error?: { issues?: { field: string }[] } } };
}

describe('signed webhooks with odd ids and dates, all five vendors, on DynamoDB Local and fauxqs', () => {
  it(`never answer a 5xx: a 4xx names the field, a 200 is stored exactly once (${RUNS} signed deliveries)`, async () => {
    const tally = { deliveries: 0, redeliveries: 0, status: {} as Record<string, number>, byVendor: {} as Record<string, Record<string, number>> };
    const firstStores = new Map<string, number>();
    const count = (vendor: string, status: number) => {
      tally.status[status] = (tally.status[status] ?? 0) + 1;
      const ofVendor = (tally.byVendor[vendor] ??= {});
      ofVendor[status] = (ofVendor[status] ?? 0) + 1;
    };

    await fc.assert(
      fc.asyncProperty(deliveries, fc.boolean(), async ({ vendor, body, webhookId }, redeliver) => {
        const rawBody = Buffer.from(JSON.stringify(body));
        const headers = signWebhook(vendor, rawBody, LOCAL_KYC_CREDENTIALS.webhookSecrets[vendor], { now: new Date(), id: webhookId });
        const answer = await deliver(vendor, rawBody, headers);
        tally.deliveries += 1;
        count(vendor, answer.status);
        expect(answer.status).toBeLessThan(500);
        // Signed with the vendor's secret: refused only where the header itself cannot carry the id (blank or padded).
        const headerUnusable = vendor === 'standard-webhooks' && (webhookId === undefined || webhookId.trim() !== webhookId || webhookId === '');
        if (answer.status === 401) expect(headerUnusable).toBe(true);
        else if (rawBody.length > 256 * 1024) expect(answer.status).toBe(413);
        else if (answer.status !== 200) {
          expect(answer.status).toBe(400);
          expect(answer.body.error?.issues?.length).toBeGreaterThan(0);
          for (const issue of answer.body.error!.issues!) expect(issue.field).toMatch(/\S/);
        } else {
          const event = normaliseKycEvent({ vendor, rawBody, headers });
          const eventKey = `${vendor}#${event.eventId}`;
          expect(Buffer.byteLength(eventKey)).toBeLessThan(1_024);
          const { Item } = await documentClient().send(new GetCommand({ TableName: env[TABLES.kycEvents.envVar]!, Key: { eventKey }, ConsistentRead: true }));
          expect(Item).toBeDefined();
          if (!answer.body.duplicate) {
            expect(Item!.bodySha256).toBe(createHash('sha256').update(rawBody).digest('hex'));
            firstStores.set(eventKey, (firstStores.get(eventKey) ?? 0) + 1);
            expect(firstStores.get(eventKey)).toBe(1);
          }
          if (redeliver) {
            const again = await deliver(
              vendor,
              rawBody,
              signWebhook(vendor, rawBody, LOCAL_KYC_CREDENTIALS.webhookSecrets[vendor], { now: new Date(), id: webhookId }),
            );
            tally.redeliveries += 1;
            count(vendor, again.status);
            expect(again).toEqual({ status: 200, body: { received: true, duplicate: true } });
          }
        }
      }),
      { numRuns: RUNS },
    );

    // Every accepted event was handed to the worker; refusals wrote nothing to the audit trail.
    const queued = new Set((await drain(env[QUEUES.kyc.envVar]!)).map((message) => message.eventKey as string));
    for (const eventKey of firstStores.keys()) expect(queued.has(eventKey)).toBe(true);
    const { Count: auditItems } = await documentClient().send(new ScanCommand({ TableName: env[TABLES.audit.envVar]!, Select: 'COUNT' }));
    expect(auditItems).toBe(0);
    const { Count: storedEvents } = await documentClient().send(new ScanCommand({ TableName: env[TABLES.kycEvents.envVar]!, Select: 'COUNT' }));
    expect(storedEvents).toBe(firstStores.size);

    const fivexx = Object.entries(tally.status)
      .filter(([status]) => Number(status) >= 500)
      .reduce((sum, [, n]) => sum + n, 0);
    const summary = { signedDeliveries: tally.deliveries + tally.redeliveries, ...tally, stored: firstStores.size, fivexx };
    const logDir = process.env[TEST_ENV.logDir];
    if (logDir) {
      mkdirSync(logDir, { recursive: true });
      writeFileSync(path.join(logDir, 'webhook-signed-fuzz.json'), JSON.stringify(summary, null, 2));
    }
    process.stdout.write(`webhook signed fuzz: ${JSON.stringify(summary)}\n`);
    expect(fivexx).toBe(0);
    // The generators reach every vendor's acceptance and refusal (at the default number of runs).
    for (const vendor of RUNS >= 1_000 ? KYC_VENDORS : []) {
      expect(tally.byVendor[vendor]?.[200] ?? 0).toBeGreaterThan(0);
      expect(tally.byVendor[vendor]?.[400] ?? 0).toBeGreaterThan(0);
    }
  }, 900_000);
});

describe('the webhook ack under a deadline', () => {
  it('answers 503 with Retry-After (not a timed-out 500) when the invocation has no time left, and the retry finds the event stored once', async () => {
    const rawBody = Buffer.from(JSON.stringify(kycPayload.veriff({ status: 'approved', applicantId: `deadline-${Date.now()}` })));
    const headers = { ...signWebhook('veriff', rawBody, LOCAL_KYC_CREDENTIALS.webhookSecrets.veriff, { now: new Date() }), 'content-type': 'application/json' };
    const event = { ...httpEvent('POST /webhooks/kyc/{vendor}', { body: rawBody.toString('utf8'), pathParameters: { vendor: 'veriff' } }), headers };
    // 0.5 s left, less than the ack margin: the answer cannot wait for the store.
    const late = await webhook(event, lambdaContext('kyc-webhook', 0.5, 512));
    expect(late.statusCode).toBe(503);
    expect(late.headers).toMatchObject({ 'retry-after': '5' });
    expect(JSON.parse(late.body!).error.code).toBe('DEADLINE');

    // The work went on: the vendor's retry is a duplicate of the stored event.
    const { eventId } = normaliseKycEvent({ vendor: 'veriff', rawBody, headers });
    for (let attempt = 0; attempt < 50; attempt++) {
      const { Item } = await documentClient().send(
        new GetCommand({ TableName: env[TABLES.kycEvents.envVar]!, Key: { eventKey: `veriff#${eventId}` }, ConsistentRead: true }),
      );
      if (Item) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const retry = await webhook(event, lambdaContext('kyc-webhook', 5, 512));
    expect({ status: retry.statusCode, body: JSON.parse(retry.body!) }).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect((await drain(env[QUEUES.kyc.envVar]!)).filter((message) => message.eventKey === `veriff#${eventId}`)).toHaveLength(1);
  });
});
