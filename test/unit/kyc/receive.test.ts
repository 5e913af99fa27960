import { NotFoundError, PayloadTooLargeError, UnauthorizedError, ValidationError, type KycVendor } from '../../../lambda/shared';
import { receiveKycWebhook, signWebhook, type WebhookRejection } from '../../../lambda/modules/kyc';
import { HANDOFF_GRACE_MS, MAX_WEBHOOK_BYTES, type ReceiveDeps, type ReceivedWebhook, type VendorSecrets } from '../../../lambda/modules/kyc/receive';
import { InMemoryKycEventStore, InMemoryWebhookRefusals, RecordingKycEventQueue } from '../../../lambda/modules/kyc/fakes';
import { kycPayload } from '../../../bin/local/vendor-simulator/payloads';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const SECRET = 'vendor-secret-1';
const STANDARD_SECRET = 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
/** The person in the simulator's payloads: none of it may reach the audit trail. */
const PERSONAL = ['Jane', 'JANE', 'Doe', 'DOE', '1980-01-31'];

/** The webhook edge over in-memory parts, on a clock the test moves. */
function edge(secrets: Partial<Record<KycVendor, VendorSecrets>> = {}) {
  const clock = { now: NOW };
  const store = new InMemoryKycEventStore();
  const queue = new RecordingKycEventQueue();
  const refusals = new InMemoryWebhookRefusals();
  const rejections: WebhookRejection[] = [];
  const configured: Partial<Record<KycVendor, VendorSecrets>> = {
    sumsub: { secrets: [SECRET] },
    onfido: { secrets: [SECRET] },
    persona: { secrets: [SECRET] },
    veriff: { secrets: [SECRET] },
    'standard-webhooks': { secrets: [STANDARD_SECRET] },
    ...secrets,
  };
  const deps: ReceiveDeps = {
    secretsFor: async (vendor) => configured[vendor] ?? { secrets: [] },
    store,
    queue,
    refusals,
    onRejected: (rejection) => rejections.push(rejection),
    now: () => clock.now,
  };
  const later = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  return { deps, store, queue, refusals, rejections, later };
}

/** A webhook as API Gateway hands it over: signed by the vendor with `secret` at `signedAt` unless told otherwise. */
function webhook(
  vendor: string,
  body: unknown,
  options: { secret?: string; signedAt?: Date; headers?: Record<string, string>; raw?: Buffer } = {},
): ReceivedWebhook {
  const rawBody = options.raw ?? Buffer.from(JSON.stringify(body));
  const secret = options.secret ?? (vendor === 'standard-webhooks' ? STANDARD_SECRET : SECRET);
  const signed = vendor === 'nobody' ? {} : signWebhook(vendor as KycVendor, rawBody, secret, { now: options.signedAt ?? NOW });
  return { vendor, headers: { ...signed, ...options.headers }, rawBody };
}

const approvedVeriff = () => kycPayload.veriff({ status: 'approved', applicantId: 'veriff-session-1' });

describe('receiveKycWebhook refuses what is not a vendor webhook, changing nothing but a refusal counter', () => {
  it('answers 404 for a vendor that is not configured, without naming it in the metric or the counter', async () => {
    const { deps, store, queue, refusals, rejections } = edge();
    await expect(receiveKycWebhook(deps, webhook('nobody', approvedVeriff()))).rejects.toThrow(NotFoundError);
    expect(rejections).toEqual([{ kind: 'unknown_vendor', vendor: 'unknown' }]);
    expect(store.all()).toEqual([]);
    expect(queue.enqueued).toEqual([]);
    expect(refusals.totals()).toEqual({ '2026-11-24T12 unknown unknown_vendor': 1 });
  });

  it('refuses a body over the limit before reading its signature, and accepts one exactly at it as far as size goes', async () => {
    const { deps, store, refusals, rejections } = edge();
    const tooLarge = webhook('veriff', undefined, { raw: Buffer.alloc(MAX_WEBHOOK_BYTES + 1, 0x20) });
    await expect(receiveKycWebhook(deps, tooLarge)).rejects.toThrow(PayloadTooLargeError);
    expect(rejections).toEqual([{ kind: 'too_large', vendor: 'veriff' }]);
    expect(refusals.totals()).toEqual({ '2026-11-24T12 veriff too_large': 1 });

    // At the limit the size passes; blanks are no JSON, so the schema refuses it.
    const atLimit = webhook('veriff', undefined, { raw: Buffer.alloc(MAX_WEBHOOK_BYTES, 0x20) });
    await expect(receiveKycWebhook(deps, atLimit)).rejects.toThrow(ValidationError);
    expect(rejections.at(-1)).toEqual({ kind: 'malformed', vendor: 'veriff' });
    expect(store.all()).toEqual([]);
  });

  it('refuses a wrong signature with 401, counts it for the spike alarm and in one counter per vendor, reason and hour', async () => {
    const { deps, store, queue, refusals, rejections } = edge();
    const forged = webhook('veriff', approvedVeriff(), { secret: 'not-the-secret' });
    await expect(receiveKycWebhook(deps, forged)).rejects.toThrow(UnauthorizedError);
    await expect(receiveKycWebhook(deps, forged)).rejects.toThrow(/does not match the body/);
    expect(rejections).toEqual([
      { kind: 'signature', vendor: 'veriff', failure: 'signature_mismatch' },
      { kind: 'signature', vendor: 'veriff', failure: 'signature_mismatch' },
    ]);
    // One counter, added to twice: refusals never become items of their own.
    expect(refusals.totals()).toEqual({ '2026-11-24T12 veriff signature:signature_mismatch': 2 });
    for (const value of PERSONAL) expect(JSON.stringify(refusals.totals())).not.toContain(value);
    expect(store.all()).toEqual([]);
    expect(queue.enqueued).toEqual([]);
  });

  it('refuses every webhook of a vendor with no secret configured', async () => {
    const { deps, rejections, refusals } = edge({ veriff: { secrets: [] } });
    const signed = webhook('veriff', approvedVeriff());
    await expect(receiveKycWebhook(deps, signed)).rejects.toThrow(/no webhook secret is configured/);
    expect(rejections).toEqual([{ kind: 'signature', vendor: 'veriff', failure: 'no_secret_configured' }]);
    expect(refusals.totals()).toEqual({ '2026-11-24T12 veriff signature:no_secret_configured': 1 });
  });

  it('accepts a webhook signed with any active secret during a rotation', async () => {
    const { deps } = edge({ veriff: { secrets: ['new-secret', SECRET] } });
    await expect(receiveKycWebhook(deps, webhook('veriff', approvedVeriff()))).resolves.toMatchObject({ result: 'accepted' });
  });

  it('holds Sumsub to the configured digest algorithm, whatever the header names', async () => {
    const { deps, rejections } = edge({ sumsub: { secrets: [SECRET], sumsubAlgorithm: 'HMAC_SHA512_HEX' } });
    const body = Buffer.from(JSON.stringify(kycPayload.sumsub({ reviewResult: { reviewAnswer: 'GREEN' } })));
    const sha256 = { ...webhook('sumsub', undefined, { raw: body }) };
    await expect(receiveKycWebhook(deps, sha256)).rejects.toThrow(UnauthorizedError);
    expect(rejections).toEqual([{ kind: 'signature', vendor: 'sumsub', failure: 'algorithm_not_allowed' }]);
    const sha512 = { ...sha256, headers: signWebhook('sumsub', body, SECRET, { now: NOW, sumsubAlgorithm: 'HMAC_SHA512_HEX' }), requestId: 'req-sha512' };
    await expect(receiveKycWebhook(deps, sha512)).resolves.toMatchObject({ result: 'accepted' });
  });

  it.each([
    ['persona', kycPayload.persona({ name: 'inquiry.approved' })],
    ['standard-webhooks', kycPayload['standard-webhooks']({ status: 'approved' })],
  ] as const)('refuses a %s webhook signed more than five minutes from our clock, either way, and accepts one within', async (vendor, body) => {
    const { deps, rejections, store } = edge();
    for (const signedAt of [new Date(NOW.getTime() - 301_000), new Date(NOW.getTime() + 301_000)]) {
      await expect(receiveKycWebhook(deps, webhook(vendor, body, { signedAt }))).rejects.toThrow(/more than 5 minutes from our clock/);
    }
    expect(rejections).toEqual([
      { kind: 'signature', vendor, failure: 'timestamp_outside_window' },
      { kind: 'signature', vendor, failure: 'timestamp_outside_window' },
    ]);
    expect(store.all()).toEqual([]);
    await expect(receiveKycWebhook(deps, webhook(vendor, body, { signedAt: new Date(NOW.getTime() - 299_000) }))).resolves.toMatchObject({
      result: 'accepted',
    });
  });

  it('refuses a signed body the schema does not allow with a 400 naming the fields, and counts the first name, not the values', async () => {
    const { deps, store, queue, refusals, rejections } = edge();
    const body = approvedVeriff();
    const signed = webhook('veriff', { ...body, verification: { ...body.verification, status: 'maybe', decisionTime: 'yesterday' } });
    const error = await receiveKycWebhook(deps, signed).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    const fields = (error as ValidationError).issues.map((issue) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['verification.status', 'verification.decisionTime']));
    expect(rejections).toEqual([{ kind: 'malformed', vendor: 'veriff' }]);
    expect(refusals.totals()).toEqual({ [`2026-11-24T12 veriff malformed:${fields[0]}`]: 1 });
    for (const value of [...PERSONAL, 'maybe', 'yesterday']) expect(JSON.stringify(refusals.totals())).not.toContain(value);
    expect(store.all()).toEqual([]);
    expect(queue.enqueued).toEqual([]);
  });

  it('refuses a signed body that is not JSON', async () => {
    const { deps, refusals } = edge();
    const signed = webhook('onfido', undefined, { raw: Buffer.from('{"payload":') });
    await expect(receiveKycWebhook(deps, signed)).rejects.toThrow(ValidationError);
    expect(refusals.totals()).toEqual({ '2026-11-24T12 onfido malformed:(body)': 1 });
  });
});

describe('receiveKycWebhook stores a verified event once and hands it over', () => {
  it('stores the normalised event as received and queues its key; the receipt is audited by the worker, not here', async () => {
    const { deps, store, queue, refusals, rejections } = edge();
    const signed = webhook('veriff', approvedVeriff());
    const outcome = await receiveKycWebhook(deps, signed);
    const eventKey = `veriff#veriff-session-1:approved:2026-11-24T11:59:00.123Z`;
    expect(outcome).toEqual({ result: 'accepted', eventKey });
    expect(store.all()).toEqual([
      expect.objectContaining({
        eventKey,
        vendor: 'veriff',
        applicantId: 'veriff-session-1',
        verdict: 'approved',
        receivedAt: NOW.toISOString(),
        state: 'received',
        bodySha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        person: { firstName: 'JANE', lastName: 'DOE', dateOfBirth: '1980-01-31', country: 'US' },
      }),
    ]);
    expect(queue.enqueued).toEqual([eventKey]);
    expect(rejections).toEqual([]);
    expect(refusals.totals()).toEqual({});
  });

  it('keys vendors that send no event id by the body hash', async () => {
    const { deps, store } = edge();
    const body = { ...kycPayload.sumsub({}), type: 'applicantCreated', reviewResult: undefined };
    const { eventKey } = await receiveKycWebhook(deps, webhook('sumsub', body));
    expect(eventKey).toBe(`sumsub#${store.all()[0]!.bodySha256}`);
    expect(store.all()[0]).toMatchObject({ verdict: undefined, eventType: 'applicantCreated' });
  });

  it('answers a burst of duplicates without queuing them again, and audits the receipt once', async () => {
    const { deps, store, queue, later } = edge();
    const first = await receiveKycWebhook(deps, webhook('veriff', approvedVeriff()));
    later(HANDOFF_GRACE_MS);
    const repeat = await receiveKycWebhook(deps, webhook('veriff', approvedVeriff(), { signedAt: new Date(NOW.getTime() + HANDOFF_GRACE_MS) }));
    expect(repeat).toEqual({ result: 'duplicate', eventKey: first.eventKey });
    expect(queue.enqueued).toEqual([first.eventKey]);
    expect(store.all()).toHaveLength(1);
    expect(store.all()[0]!.receivedAt).toBe(NOW.toISOString());
  });

  it('queues a duplicate again when the event is still unprocessed more than 2 s after it was stored (a lost hand-over)', async () => {
    const { deps, queue, later } = edge();
    const first = await receiveKycWebhook(deps, webhook('veriff', approvedVeriff()));
    later(HANDOFF_GRACE_MS + 1);
    const repeat = await receiveKycWebhook(deps, webhook('veriff', approvedVeriff(), { signedAt: new Date(NOW.getTime() + HANDOFF_GRACE_MS + 1) }));
    expect(repeat).toEqual({ result: 'duplicate', eventKey: first.eventKey });
    expect(queue.enqueued).toEqual([first.eventKey, first.eventKey]);
  });

  it('does not queue a late duplicate of an event the worker already settled', async () => {
    const { deps, store, queue, later } = edge();
    const first = await receiveKycWebhook(deps, webhook('veriff', approvedVeriff()));
    await store.markState(first.eventKey, 'processed');
    later(60_000);
    await expect(receiveKycWebhook(deps, webhook('veriff', approvedVeriff(), { signedAt: new Date(NOW.getTime() + 60_000) }))).resolves.toMatchObject({
      result: 'duplicate',
    });
    expect(queue.enqueued).toEqual([first.eventKey]);
    expect(store.all()[0]!.state).toBe('processed');
  });
});
