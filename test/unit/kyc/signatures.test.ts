import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { KYC_VENDORS, type KycVendor } from '../../../lambda/shared';
import { REPLAY_WINDOW_SECONDS, type SignedRequest } from '../../../lambda/modules/kyc/signatures';
import { signWebhook, verifyWebhookSignature } from '../../../lambda/modules/kyc';

const NOW = new Date('2026-11-24T12:00:00Z');
const body = Buffer.from('{"type":"applicantReviewed","applicantId":"a-1"}');

function request(headers: Record<string, string>, rawBody = body): SignedRequest {
  return { headers, rawBody };
}

describe('published test vectors', () => {
  it('verifies the Standard Webhooks reference signature', () => {
    // standard-webhooks/standard-webhooks libraries/javascript/src/webhook.test.ts, "sign function works"
    const headers = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    const raw = Buffer.from('{"test": 2432232314}');
    const at = new Date(1614265330 * 1000);
    expect(verifyWebhookSignature('standard-webhooks', request(headers, raw), { secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], now: at })).toEqual({
      valid: true,
      signedAt: at,
    });
    expect(verifyWebhookSignature('standard-webhooks', request(headers, raw), { secrets: ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], now: at }).valid).toBe(true);
    expect(signWebhook('standard-webhooks', raw, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', { now: at, id: 'msg_p5jXN8AQM9LWM0D4loKWxJek' })).toEqual(headers);
  });

  it.each([
    // onfido/onfido-node test/classic-webhook-event-verifier.test.ts
    [
      '_ABC123abc123ABC123abc123ABC123_',
      '{"payload":{"resource_type":"check","action":"check.completed","object":{"id":"check-123","status":"complete","completed_at_iso8601":"2020-01-01T00:00:00Z","href":"https://api.onfido.com/v3/checks/check-123"}}}',
      'a0082d7481f9f0a2907583dbe1f344d6d4c0d9989df2fd804f98479f60cd760e',
    ],
    // onfido/onfido-node test/studio-webhook-event-verifier.test.ts
    [
      'YKOC6mkBxi6yK2zlUIrLMvsJMFEZObP5',
      '{"payload":{"resource_type":"workflow_task","action":"workflow_task.started","object":{"id":"profile_1eb92","task_spec_id":"profile_1eb92","task_def_id":"profile_data","workflow_run_id":"bc77c6e5-753a-4580-96a6-aaed3e5a8d19","status":"started","started_at_iso8601":"2024-07-10T12:49:09Z","href":"https://api.eu.onfido.com/v3.6/workflow_runs/bc77c6e5-753a-4580-96a6-aaed3e5a8d19/tasks/profile_1eb92"},"resource":{"created_at":"2024-07-10T12:49:09Z","id":"profile_1eb92","workflow_run_id":"bc77c6e5-753a-4580-96a6-aaed3e5a8d19","updated_at":"2024-07-10T12:49:09Z","input":{},"task_def_version":null,"task_def_id":"profile_data","output":null}}}',
      'c95a5b785484f6fa1bc25f381b5595d66bf85cb442eefb06aa007802ee6a4dfa',
    ],
  ])('verifies Onfido SDK vector signed with %s', (token, raw, signature) => {
    expect(verifyWebhookSignature('onfido', request({ 'x-sha2-signature': signature }, Buffer.from(raw)), { secrets: [token], now: NOW })).toEqual({
      valid: true,
    });
    const flipped = signature.slice(0, -1) + (signature.endsWith('e') ? 'f' : 'e');
    expect(verifyWebhookSignature('onfido', request({ 'x-sha2-signature': flipped }, Buffer.from(raw)), { secrets: [token], now: NOW })).toEqual({
      valid: false,
      failure: 'signature_mismatch',
    });
  });

  it('agrees with the reference standardwebhooks library in both directions', () => {
    const secret = 'whsec_' + Buffer.from('a-32-byte-secret-for-the-test-!!').toString('base64');
    const reference = new Webhook(secret);
    const id = 'msg_2b';
    const signature = reference.sign(id, NOW, body.toString());
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(NOW.getTime() / 1000), 'webhook-signature': signature };
    expect(verifyWebhookSignature('standard-webhooks', request(headers), { secrets: [secret], now: NOW }).valid).toBe(true);
    expect(signWebhook('standard-webhooks', body, secret, { now: NOW, id })['webhook-signature']).toBe(signature);
  });
});

describe.each(KYC_VENDORS.map((vendor) => [vendor]))('%s', (vendor: KycVendor) => {
  const secret = vendor === 'standard-webhooks' ? 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64') : 'vendor-secret-1';
  const signed = () => signWebhook(vendor, body, secret, { now: NOW });

  it('accepts what the vendor signs, with any of several active secrets', () => {
    expect(verifyWebhookSignature(vendor, request(signed()), { secrets: ['old-secret', secret], now: NOW }).valid).toBe(true);
  });

  it('refuses a body changed by one byte', () => {
    const tampered = Buffer.from(body);
    tampered[5] = tampered[5]! ^ 1;
    expect(verifyWebhookSignature(vendor, request(signed(), tampered), { secrets: [secret], now: NOW })).toEqual({
      valid: false,
      failure: 'signature_mismatch',
    });
  });

  it('refuses the wrong secret, a missing header and an unconfigured vendor', () => {
    expect(verifyWebhookSignature(vendor, request(signed()), { secrets: ['another-secret'], now: NOW })).toEqual({
      valid: false,
      failure: 'signature_mismatch',
    });
    expect(verifyWebhookSignature(vendor, request({}), { secrets: [secret], now: NOW })).toEqual({ valid: false, failure: 'missing_signature' });
    expect(verifyWebhookSignature(vendor, request(signed()), { secrets: [], now: NOW })).toEqual({ valid: false, failure: 'no_secret_configured' });
  });

  it('never throws, whatever the headers and body', () => {
    const headerNames = [
      'x-payload-digest',
      'x-payload-digest-alg',
      'x-sha2-signature',
      'persona-signature',
      'x-hmac-signature',
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
    ];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...headerNames), fc.string()), fc.uint8Array({ maxLength: 256 }), (headers, raw) => {
        const result = verifyWebhookSignature(vendor, request(headers, Buffer.from(raw)), { secrets: [secret], now: NOW });
        expect(typeof result.valid).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('replay window (schemes that sign a timestamp)', () => {
  it.each(['persona', 'standard-webhooks'] as const)('%s: accepts within 5 minutes either way, refuses beyond', (vendor) => {
    const secret = vendor === 'persona' ? 'wbhsec_test' : 'whsec_' + Buffer.from('k'.repeat(32)).toString('base64');
    const signedAt = (offsetSeconds: number) => signWebhook(vendor, body, secret, { now: new Date(NOW.getTime() + offsetSeconds * 1000) });
    for (const offset of [-REPLAY_WINDOW_SECONDS, REPLAY_WINDOW_SECONDS, 0]) {
      expect(verifyWebhookSignature(vendor, request(signedAt(offset)), { secrets: [secret], now: NOW }).valid).toBe(true);
    }
    for (const offset of [-REPLAY_WINDOW_SECONDS - 1, REPLAY_WINDOW_SECONDS + 1, -86_400]) {
      expect(verifyWebhookSignature(vendor, request(signedAt(offset)), { secrets: [secret], now: NOW })).toEqual({
        valid: false,
        failure: 'timestamp_outside_window',
      });
    }
  });
});

describe('Persona key rotation', () => {
  it('accepts a header with two full t=,v1= sets when either secret is ours', () => {
    const seconds = Math.floor(NOW.getTime() / 1000);
    const set = (secret: string) => `t=${seconds},v1=${createHmac('sha256', secret).update(`${seconds}.`).update(body).digest('hex')}`;
    const header = `${set('wbhsec_old')} ${set('wbhsec_new')}`;
    expect(verifyWebhookSignature('persona', request({ 'persona-signature': header }), { secrets: ['wbhsec_new'], now: NOW }).valid).toBe(true);
    expect(verifyWebhookSignature('persona', request({ 'persona-signature': header }), { secrets: ['wbhsec_old'], now: NOW }).valid).toBe(true);
    expect(verifyWebhookSignature('persona', request({ 'persona-signature': header }), { secrets: ['wbhsec_other'], now: NOW }).valid).toBe(false);
  });

  it('reports a malformed header as such', () => {
    expect(verifyWebhookSignature('persona', request({ 'persona-signature': 'v1=zz,t=abc' }), { secrets: ['s'], now: NOW })).toEqual({
      valid: false,
      failure: 'malformed_signature',
    });
    expect(verifyWebhookSignature('persona', request({ 'persona-signature': 't=abc,v1=00ff' }), { secrets: ['s'], now: NOW })).toEqual({
      valid: false,
      failure: 'missing_timestamp',
    });
  });
});

describe('Sumsub digest algorithm pinning', () => {
  const secret = 'sumsub-secret';

  it('verifies with the configured algorithm', () => {
    const headers = signWebhook('sumsub', body, secret, { now: NOW, sumsubAlgorithm: 'HMAC_SHA512_HEX' });
    expect(verifyWebhookSignature('sumsub', request(headers), { secrets: [secret], now: NOW, sumsubAlgorithm: 'HMAC_SHA512_HEX' }).valid).toBe(true);
  });

  it('refuses a correctly signed webhook whose header picks SHA-1 when SHA-256 is configured', () => {
    const headers = signWebhook('sumsub', body, secret, { now: NOW, sumsubAlgorithm: 'HMAC_SHA1_HEX' });
    expect(verifyWebhookSignature('sumsub', request(headers), { secrets: [secret], now: NOW })).toEqual({ valid: false, failure: 'algorithm_not_allowed' });
  });

  it('uses the configured algorithm when the header names none', () => {
    const { 'x-payload-digest': digest } = signWebhook('sumsub', body, secret, { now: NOW });
    expect(verifyWebhookSignature('sumsub', request({ 'x-payload-digest': digest! }), { secrets: [secret], now: NOW }).valid).toBe(true);
  });
});
