import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import fc from 'fast-check';
import { QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { Wallet } from 'ethers';
import { lambdaContext } from '../../bin/local/lambda-context';
import { LOCAL_KYC_CREDENTIALS, kycLocalEnv, startVendorSimulator } from '../../bin/local/kyc';
import { toSqsRecord } from '../../bin/local/sqs-poller';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { VendorSimulator } from '../../bin/local/vendor-simulator/server';
import { kycPayload } from '../../bin/local/vendor-simulator/payloads';
import { documentClient } from '../../lambda/platform/aws/dynamo';
import { DynamoInvestorRepository } from '../../lambda/modules/investors/adapters';
import { sqsClient } from '../../lambda/platform/aws/sqs';
import { ENV, QUEUES, SECRETS, TABLES } from '../../lambda/config/system';
import type { Investor } from '../../lambda/modules/investors';
import { KYC_VENDORS, type KycVendor } from '../../lambda/shared';
import { signWebhook, receiveKycWebhook, type WebhookRejection } from '../../lambda/modules/kyc';
import { httpEvent } from '../helpers/events';
import { deployedSuite, provisionFresh } from '../helpers/local-env';
import { drain } from '../helpers/screening-system';
import { DynamoKycEventStore, DynamoWebhookRefusals, SqsKycEventQueue } from '../../lambda/modules/kyc/adapters';
import * as investorsApiHandler from '../../lambda/functions/investors-api/handler';
import * as investorsApiRoot from '../../lambda/functions/investors-api/root';
import * as kycExpiry from '../../lambda/functions/kyc-expiry/handler';
import * as kycExpiryRoot from '../../lambda/functions/kyc-expiry/root';
import * as kycWebhook from '../../lambda/functions/kyc-webhook/handler';
import * as kycWebhookRoot from '../../lambda/functions/kyc-webhook/root';
import * as kycWorker from '../../lambda/functions/kyc-worker/handler';
import * as kycWorkerRoot from '../../lambda/functions/kyc-worker/root';

type HttpLambda = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

let env: Record<string, string>;
let simulator: VendorSimulator;
let webhook: HttpLambda;
let investorsApi: HttpLambda;
let worker: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let expiry: () => Promise<{ expired: number }>;
let investors: DynamoInvestorRepository;

beforeAll(async () => {
  env = await provisionFresh();
  simulator = await startVendorSimulator(0);
  const suite = deployedSuite();
  // Each function composed from its own configuration, as its Lambda cold start does.
  const functionEnv = {
    ...process.env,
    ...env,
    ...kycLocalEnv(simulator.apiBaseUrls()),
    [ENV.chains]: JSON.stringify([suite]),
    [SECRETS.chainRpcUrls.localEnvVar]: JSON.stringify({ [suite.chainId]: suite.rpcUrl }),
    BLOCKED_COUNTRIES: 'CU,IR,KP,SY',
    KYC_VALIDITY_DAYS: '365',
  };
  webhook = kycWebhook.createHandler(kycWebhookRoot.compose(functionEnv)) as unknown as HttpLambda;
  investorsApi = investorsApiHandler.createHandler(investorsApiRoot.compose(functionEnv)) as unknown as HttpLambda;
  worker = kycWorker.createHandler(kycWorkerRoot.compose(functionEnv)) as unknown as typeof worker;
  expiry = kycExpiry.createHandler(kycExpiryRoot.compose(functionEnv)) as unknown as typeof expiry;
  investors = new DynamoInvestorRepository(documentClient(), env[TABLES.investors.envVar]!);
});

afterAll(async () => {
  await simulator.stop();
});

const context = () => lambdaContext('test', 30, 512);

async function deliver(vendor: string, rawBody: Buffer, headers: Record<string, string>, base64 = false) {
  const event = httpEvent(`POST /webhooks/kyc/{vendor}`, { body: rawBody.toString(base64 ? 'base64' : 'utf8'), pathParameters: { vendor } });
  const result = await webhook(
    {
      ...event,
      body: base64 ? rawBody.toString('base64') : rawBody.toString('utf8'),
      isBase64Encoded: base64,
      headers: { ...headers, 'content-type': 'application/json' },
    },
    context(),
  );
  return { status: result.statusCode!, body: JSON.parse(result.body ?? '{}') as Record<string, unknown> };
}

const signed = (vendor: KycVendor, rawBody: Buffer, at = new Date()) =>
  signWebhook(vendor, rawBody, LOCAL_KYC_CREDENTIALS.webhookSecrets[vendor], { now: at, id: `msg_${ulid()}` });

async function register(overrides: Record<string, unknown> = {}) {
  const body = {
    externalId: `kyc-it-${ulid()}`,
    legalName: 'Ada Example',
    dateOfBirth: '1985-06-15',
    countryOfResidence: 'US',
    wallets: [Wallet.createRandom().address.toLowerCase()],
    kyc: { vendor: 'veriff', applicantId: ulid() },
    ...overrides,
  };
  const result = await investorsApi(httpEvent('POST /investors', { body: JSON.stringify(body), groups: ['portal'], subject: 'portal-app' }), context());
  return { status: result.statusCode!, response: JSON.parse(result.body ?? '{}') as Record<string, unknown>, body };
}

/** Runs the KYC worker over everything on the KYC queue, batch by batch, as the event source mapping would. */
async function runWorker(): Promise<void> {
  const queueUrl = env[QUEUES.kyc.envVar]!;
  for (;;) {
    const { Messages = [] } = await sqsClient().send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) return;
    const result = await worker({ Records: Messages.map((message) => toSqsRecord(message, 'arn:aws:sqs:us-east-1:000000000000:kyc')) }, context());
    expect(result.batchItemFailures).toEqual([]);
    await sqsClient().send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
      }),
    );
  }
}

const veriffDecision = (applicantId: string, externalReference: string, status: string, at: Date) =>
  Buffer.from(
    JSON.stringify(
      kycPayload.veriff({
        applicantId,
        externalReference,
        status,
        at,
        person: { firstName: 'Ada', lastName: 'Example', dateOfBirth: '1985-06-15', country: 'US' },
      }),
    ),
  );

async function stored(investorId: string): Promise<Investor> {
  return (await investors.get(investorId))!;
}

describe('KYC webhooks and the worker on DynamoDB Local and fauxqs', () => {
  it.each([
    ['the decline first', [1, 0]],
    ['the approval first', [0, 1]],
  ])('ends declined when a later decline and an earlier approval are both queued, %s', async (_label, order) => {
    const { response, body } = await register();
    const investorId = response.investorId as string;
    const now = Date.now();
    const approval = veriffDecision(body.kyc.applicantId, body.externalId, 'approved', new Date(now - 10_000));
    const decline = veriffDecision(body.kyc.applicantId, body.externalId, 'declined', new Date(now));
    const deliveries = [approval, decline];
    for (const index of order) expect((await deliver('veriff', deliveries[index]!, signed('veriff', deliveries[index]!))).status).toBe(200);
    await runWorker();
    const investor = await stored(investorId);
    expect(investor.status).toBe('kyc_rejected');
    expect(investor.kyc).toMatchObject({ verdict: 'rejected', lastEventAt: new Date(now).toISOString() });
  });

  it('ignores a verdict of an applicant the investor no longer has, even when it names our reference', async () => {
    const { response, body } = await register();
    const investorId = response.investorId as string;
    const earlierAttempt = veriffDecision(ulid(), body.externalId, 'approved', new Date());
    expect((await deliver('veriff', earlierAttempt, signed('veriff', earlierAttempt))).status).toBe(200);
    await runWorker();
    expect(await stored(investorId)).toMatchObject({ status: 'kyc_pending', kyc: { applicantId: body.kyc.applicantId } });
    const { Items = [] } = await documentClient().send(
      new ScanCommand({
        TableName: env[TABLES.audit.envVar]!,
        FilterExpression: '#t = :t AND investorId = :i',
        ExpressionAttributeNames: { '#t': 'type' },
        ExpressionAttributeValues: { ':t': 'kyc.event.superseded', ':i': investorId },
      }),
    );
    expect(Items).toHaveLength(1);
  });

  it('stores a delivery once when the vendor sends it concurrently, and queues it once', async () => {
    const { response, body } = await register();
    const raw = veriffDecision(body.kyc.applicantId, body.externalId, 'approved', new Date());
    const headers = signed('veriff', raw);
    const answers = await Promise.all(Array.from({ length: 8 }, () => deliver('veriff', raw, headers)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(answers.filter((answer) => answer.body.duplicate === false)).toHaveLength(1);
    const queued = await drain(env[QUEUES.kyc.envVar]!);
    expect(queued).toHaveLength(1);
    const { Items = [] } = await documentClient().send(
      new QueryCommand({
        TableName: env[TABLES.kycEvents.envVar]!,
        KeyConditionExpression: 'eventKey = :k',
        ExpressionAttributeValues: { ':k': queued[0]!.eventKey },
      }),
    );
    expect(Items).toHaveLength(1);
    expect(Items[0]).toMatchObject({ state: 'received', verdict: 'approved', bodySha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.stringify(Items[0])).not.toContain('Ada');
    expect((await stored(response.investorId as string)).status).toBe('kyc_pending');

    // The handoff was lost (the message drained above, as if the receiver crashed before sending it):
    // the vendor's retry, minutes later, hands the still-unprocessed event over again.
    const { eventKey } = queued[0]!;
    await documentClient().send(
      new UpdateCommand({
        TableName: env[TABLES.kycEvents.envVar]!,
        Key: { eventKey },
        UpdateExpression: 'SET receivedAt = :at',
        ExpressionAttributeValues: { ':at': new Date(Date.now() - 5 * 60_000).toISOString() },
      }),
    );
    expect((await deliver('veriff', raw, headers)).body).toEqual({ received: true, duplicate: true });
    await runWorker();
    expect((await stored(response.investorId as string)).status).not.toBe('kyc_pending');
  });

  it('accepts a body API Gateway base64-encoded, verifying the decoded bytes', async () => {
    const { body } = await register();
    const raw = veriffDecision(body.kyc.applicantId, body.externalId, 'approved', new Date());
    expect((await deliver('veriff', raw, signed('veriff', raw), true)).status).toBe(200);
    await drain(env[QUEUES.kyc.envVar]!);
  });

  it('gives a wallet and a KYC applicant to one investor only (409), claiming nothing for the refused registration', async () => {
    const first = await register();
    expect(first.status).toBe(201);
    const sameWallet = await register({ wallets: first.body.wallets });
    expect(sameWallet.status).toBe(409);
    expect(JSON.stringify(sameWallet.response)).not.toContain(first.body.wallets[0]);
    const sameApplicant = await register({ kyc: first.body.kyc });
    expect(sameApplicant.status).toBe(409);
    // The refused registrations left no claim behind: their externalIds register now.
    expect((await register({ externalId: sameWallet.body.externalId })).status).toBe(201);
    expect((await register({ externalId: sameApplicant.body.externalId })).status).toBe(201);
  });

  it('revokes approvals past their validity in the daily sweep: wallets leave the allowlist, once', async () => {
    const { response } = await register();
    const investorId = response.investorId as string;
    const current = await stored(investorId);
    const lapsed: Investor = {
      ...current,
      status: 'allowlisted',
      version: current.version + 1,
      kyc: { ...current.kyc!, verdict: 'approved', approvedAt: '2025-01-01T00:00:00.000Z', expiresAt: '2026-01-01T00:00:00.000Z' },
    };
    await investors.save(lapsed);
    await drain(env[QUEUES.allowlist.envVar]!);

    expect((await expiry()).expired).toBeGreaterThanOrEqual(1);
    expect(await stored(investorId)).toMatchObject({ status: 'kyc_retry', kyc: { verdict: 'expired' } });
    const removals = (await drain(env[QUEUES.allowlist.envVar]!)).filter((message) => message.investorId === investorId);
    expect(removals).toEqual([expect.objectContaining({ action: 'remove', wallet: current.wallets[0] })]);
    await expiry();
    expect((await stored(investorId)).version).toBe(lapsed.version + 1);
  });
});

describe('investor routes under malformed bodies', () => {
  it('answer a JSON null, an array or an oversize reason with 400 and change nothing', async () => {
    const { response } = await register();
    const investorId = response.investorId as string;
    const before = await stored(investorId);
    const call = async (routeKey: string, body: string | undefined, groups: string[]) =>
      (await investorsApi(httpEvent(routeKey, { body, groups, subject: 'someone', pathParameters: { investorId } }), context())).statusCode;
    expect(await call('POST /investors/{investorId}/wallets', 'null', ['portal'])).toBe(400);
    expect(await call('POST /investors/{investorId}/wallets', '[]', ['portal'])).toBe(400);
    expect(await call('POST /investors/{investorId}/suspend', 'null', ['operator'])).toBe(400);
    expect(await call('POST /investors/{investorId}/suspend', JSON.stringify({ reason: 'x'.repeat(5000) }), ['operator'])).toBe(400);
    expect(await call('POST /investors/{investorId}/offboard', JSON.stringify({ reason: 42 }), ['operator'])).toBe(400);
    expect(await stored(investorId)).toEqual(before);
    // No body at all is a suspension without a stated reason.
    expect(await call('POST /investors/{investorId}/suspend', undefined, ['operator'])).toBe(200);
    expect((await stored(investorId)).suspension).toMatchObject({ kind: 'operator', reason: 'no reason given' });
  });
});

describe('refused webhooks', () => {
  /** Every refusal counter of the table, as `vendor reason` → count. */
  const refusalCounts = async () => {
    const { Items = [] } = await documentClient().send(new ScanCommand({ TableName: env[TABLES.webhookRefusals.envVar]!, ConsistentRead: true }));
    const counts: Record<string, number> = {};
    for (const item of Items) counts[`${item.vendor} ${item.reason}`] = (counts[`${item.vendor} ${item.reason}`] ?? 0) + Number(item.count);
    return counts;
  };

  it('are counted by kind (the caller-chosen path never becomes a dimension), in one counter per vendor, reason and hour, and store, queue or audit nothing', async () => {
    const rejections: WebhookRejection[] = [];
    const client = documentClient();
    const deps = {
      secretsFor: async () => ({ secrets: [LOCAL_KYC_CREDENTIALS.webhookSecrets.veriff] }),
      store: new DynamoKycEventStore(client, env[TABLES.kycEvents.envVar]!),
      queue: new SqsKycEventQueue(sqsClient(), env[QUEUES.kyc.envVar]!),
      refusals: new DynamoWebhookRefusals(client, env[TABLES.webhookRefusals.envVar]!),
      onRejected: (rejection: WebhookRejection) => rejections.push(rejection),
    };
    await drain(env[QUEUES.kyc.envVar]!);
    const before = await refusalCounts();
    const auditItems = async () => (await client.send(new ScanCommand({ TableName: env[TABLES.audit.envVar]!, Select: 'COUNT' }))).Count;
    const auditBefore = await auditItems();
    const raw = veriffDecision(ulid(), 'Zedmarker-ref', 'approved', new Date());
    const attempt = (vendor: string, rawBody: Buffer, headers: Record<string, string>) =>
      receiveKycWebhook(deps, { vendor, rawBody, headers }).catch((error: Error) => error.name);

    expect(await attempt('evil<script>', raw, signed('veriff', raw))).toBe('NotFoundError');
    expect(await attempt('veriff', Buffer.alloc(300 * 1024), {})).toBe('PayloadTooLargeError');
    // Three forgeries, concurrently: one counter, added to atomically.
    const forged = await Promise.all([1, 2, 3].map(() => attempt('veriff', raw, signed('veriff', Buffer.from('other')))));
    expect(forged).toEqual(['UnauthorizedError', 'UnauthorizedError', 'UnauthorizedError']);
    const notVeriff = Buffer.from(JSON.stringify({ verification: { person: { firstName: 'Zedmarker' } } }));
    expect(await attempt('veriff', notVeriff, signed('veriff', notVeriff))).toBe('ValidationError');
    expect(rejections).toEqual([
      { kind: 'unknown_vendor', vendor: 'unknown' },
      { kind: 'too_large', vendor: 'veriff' },
      { kind: 'signature', vendor: 'veriff', failure: 'signature_mismatch' },
      { kind: 'signature', vendor: 'veriff', failure: 'signature_mismatch' },
      { kind: 'signature', vendor: 'veriff', failure: 'signature_mismatch' },
      { kind: 'malformed', vendor: 'veriff' },
    ]);
    expect(await drain(env[QUEUES.kyc.envVar]!)).toEqual([]);
    const after = await refusalCounts();
    const added = Object.fromEntries(
      Object.entries(after)
        .map(([key, count]) => [key, count - (before[key] ?? 0)])
        .filter(([, count]) => count !== 0),
    );
    expect(added).toEqual({
      'unknown unknown_vendor': 1,
      'veriff too_large': 1,
      'veriff signature:signature_mismatch': 3,
      'veriff malformed:verification.id': 1,
    });
    expect(await auditItems()).toBe(auditBefore);
    const { Items = [] } = await client.send(new ScanCommand({ TableName: env[TABLES.webhookRefusals.envVar]! }));
    expect(JSON.stringify(Items)).not.toContain('Zedmarker');
    expect(JSON.stringify(Items)).not.toContain('evil');
  });
});

describe('the webhook handler under arbitrary input', () => {
  const vendors = [...KYC_VENDORS, 'acme'] as const;
  const bodies = fc.oneof(
    fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
    fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value))),
    fc
      .record({
        vendor: fc.constantFrom(...KYC_VENDORS),
        status: fc.string(),
        applicantId: fc.string(),
        reference: fc.string(),
        at: fc.date({ noInvalidDate: true }),
      })
      .map(({ vendor, status, applicantId, reference, at }) => {
        const options = { applicantId, externalReference: reference, at, status, name: status, reviewResult: { reviewAnswer: status } };
        return Buffer.from(JSON.stringify((kycPayload[vendor] as (input: typeof options) => unknown)(options)));
      }),
  );

  it('answers every input with 200, 400, 401, 404 or 413, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...vendors),
        bodies,
        fc.boolean(),
        fc.boolean(),
        fc.dictionary(fc.string({ maxLength: 30 }), fc.string({ maxLength: 80 }), { maxKeys: 4 }),
        async (vendor, raw, sign, base64, junkHeaders) => {
          const headers = sign && vendor !== 'acme' ? signed(vendor as KycVendor, raw) : junkHeaders;
          const { status } = await deliver(vendor, raw, headers, base64);
          expect([200, 400, 401, 404, 413]).toContain(status);
          if (vendor === 'acme') expect(status).toBe(404);
          else if (!sign) expect(status).toBe(401);
        },
      ),
      { numRuns: 150 },
    );
  });
});
