import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KycVendor } from '../../shared';

/**
 * Webhook signature schemes of the KYC vendors we accept, verified on the raw request bytes before
 * anything parses them. Every scheme accepts several secrets, so a vendor's secret can be rotated
 * without dropping webhooks; Persona and Standard Webhooks also carry several signatures at once.
 */

/** Sumsub names its digest algorithm in a header; we accept only the one we configured. */
export const SUMSUB_ALGORITHMS = { HMAC_SHA1_HEX: 'sha1', HMAC_SHA256_HEX: 'sha256', HMAC_SHA512_HEX: 'sha512' } as const;
export type SumsubAlgorithm = keyof typeof SUMSUB_ALGORITHMS;

/** How far a signed timestamp may be from our clock, either way. */
export const REPLAY_WINDOW_SECONDS = 5 * 60;

export type SignatureFailure =
  | 'no_secret_configured'
  | 'missing_signature'
  | 'malformed_signature'
  | 'missing_timestamp'
  | 'timestamp_outside_window'
  | 'algorithm_not_allowed'
  | 'signature_mismatch';

/** Why a webhook was refused, in words a vendor's integrator can act on. */
export const FAILURE_MESSAGES: Readonly<Record<SignatureFailure, string>> = {
  no_secret_configured: 'no webhook secret is configured for this vendor',
  missing_signature: 'the signature header is missing',
  malformed_signature: 'the signature header is malformed',
  missing_timestamp: 'the signed timestamp is missing or not a number',
  timestamp_outside_window: `the signed timestamp is more than ${REPLAY_WINDOW_SECONDS / 60} minutes from our clock`,
  algorithm_not_allowed: 'the digest algorithm named in the header is not the configured one',
  signature_mismatch: 'the signature does not match the body',
};

export type Verification = { readonly valid: true; readonly signedAt?: Date } | { readonly valid: false; readonly failure: SignatureFailure };

export interface SignedRequest {
  /** Header names in lower case, as API Gateway delivers them. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly rawBody: Buffer;
}

export interface VerifyOptions {
  /** Every active secret; any one verifying is enough. */
  readonly secrets: readonly string[];
  readonly now: Date;
  /** Sumsub only: the algorithm configured on the vendor's side. */
  readonly sumsubAlgorithm?: SumsubAlgorithm;
}

const fail = (failure: SignatureFailure): Verification => ({ valid: false, failure });

function hmac(algorithm: string, key: Buffer | string, ...parts: (Buffer | string)[]): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Constant-time for equal lengths; a length difference says nothing about the secret. */
function sameBytes(expected: Buffer, given: Buffer): boolean {
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const HEX = /^[0-9a-fA-F]+$/;
const decodeHex = (value: string): Buffer | undefined => (HEX.test(value) && value.length % 2 === 0 ? Buffer.from(value, 'hex') : undefined);

function withinWindow(seconds: number, now: Date): boolean {
  return Math.abs(now.getTime() / 1000 - seconds) <= REPLAY_WINDOW_SECONDS;
}

function parseSeconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,12}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** Sumsub: `X-Payload-Digest` = hex HMAC of the raw body, algorithm in `X-Payload-Digest-Alg`. */
function verifySumsub(request: SignedRequest, options: VerifyOptions): Verification {
  const configured = options.sumsubAlgorithm ?? 'HMAC_SHA256_HEX';
  const named = request.headers['x-payload-digest-alg']?.trim();
  // The header cannot pick a weaker algorithm: anything but the configured one is refused.
  if (named !== undefined && named !== configured) return fail('algorithm_not_allowed');
  const digest = request.headers['x-payload-digest']?.trim();
  if (!digest) return fail('missing_signature');
  const given = decodeHex(digest);
  if (!given) return fail('malformed_signature');
  const algorithm = SUMSUB_ALGORITHMS[configured];
  return options.secrets.some((secret) => sameBytes(hmac(algorithm, secret, request.rawBody), given)) ? { valid: true } : fail('signature_mismatch');
}

/** Hex HMAC-SHA256 of the raw body in one header (Onfido `X-SHA2-Signature`, Veriff `X-HMAC-SIGNATURE`). */
function verifyBodyHmacSha256(header: string) {
  return (request: SignedRequest, options: VerifyOptions): Verification => {
    const signature = request.headers[header]?.trim();
    if (!signature) return fail('missing_signature');
    const given = decodeHex(signature);
    if (!given) return fail('malformed_signature');
    return options.secrets.some((secret) => sameBytes(hmac('sha256', secret, request.rawBody), given)) ? { valid: true } : fail('signature_mismatch');
  };
}

/** When several signatures are tried, the failure reported is the most telling one. */
const FAILURE_PRIORITY: readonly SignatureFailure[] = ['timestamp_outside_window', 'signature_mismatch', 'missing_timestamp', 'malformed_signature'];
const mostTelling = (failures: readonly SignatureFailure[]): SignatureFailure =>
  FAILURE_PRIORITY.find((failure) => failures.includes(failure)) ?? 'malformed_signature';

/** `t=1,v1=ab` → { t: '1', v1: 'ab' }; pairs without `=` are ignored. */
function parsePairs(set: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const pair of set.split(',')) {
    const at = pair.indexOf('=');
    if (at > 0) pairs[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return pairs;
}

/**
 * Persona: `Persona-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`. During a secret rotation
 * the header carries two complete sets separated by a space; each set is checked on its own.
 */
function verifyPersona(request: SignedRequest, options: VerifyOptions): Verification {
  const header = request.headers['persona-signature']?.trim();
  if (!header) return fail('missing_signature');
  const failures: SignatureFailure[] = [];
  for (const set of header.split(/\s+/).map(parsePairs)) {
    const given = set.v1 === undefined ? undefined : decodeHex(set.v1);
    const seconds = parseSeconds(set.t);
    if (!given) failures.push('malformed_signature');
    else if (seconds === undefined) failures.push('missing_timestamp');
    else if (!options.secrets.some((secret) => sameBytes(hmac('sha256', secret, `${set.t}.`, request.rawBody), given))) failures.push('signature_mismatch');
    else if (!withinWindow(seconds, options.now)) failures.push('timestamp_outside_window');
    else return { valid: true, signedAt: new Date(seconds * 1000) };
  }
  return fail(mostTelling(failures));
}

/** Standard Webhooks secrets are `whsec_` + base64 key bytes. */
function standardWebhooksKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/**
 * Standard Webhooks: `webhook-signature` lists space-separated `v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">`; any one valid signature with any active secret is enough.
 */
function verifyStandardWebhooks(request: SignedRequest, options: VerifyOptions): Verification {
  const id = request.headers['webhook-id']?.trim();
  const timestamp = request.headers['webhook-timestamp']?.trim();
  const header = request.headers['webhook-signature']?.trim();
  if (!header || !id) return fail('missing_signature');
  const seconds = parseSeconds(timestamp);
  if (seconds === undefined) return fail('missing_timestamp');
  const signatures = header
    .split(/\s+/)
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  if (signatures.length === 0) return fail('malformed_signature');
  for (const secret of options.secrets) {
    const expected = hmac('sha256', standardWebhooksKey(secret), `${id}.${timestamp}.`, request.rawBody);
    if (signatures.some((given) => sameBytes(expected, given))) {
      return withinWindow(seconds, options.now) ? { valid: true, signedAt: new Date(seconds * 1000) } : fail('timestamp_outside_window');
    }
  }
  return fail('signature_mismatch');
}

const VERIFIERS: Readonly<Record<KycVendor, (request: SignedRequest, options: VerifyOptions) => Verification>> = {
  sumsub: verifySumsub,
  onfido: verifyBodyHmacSha256('x-sha2-signature'),
  persona: verifyPersona,
  veriff: verifyBodyHmacSha256('x-hmac-signature'),
  'standard-webhooks': verifyStandardWebhooks,
};

/** Verifies a webhook of `vendor` on its raw bytes. Never throws on any input. */
export function verifyWebhookSignature(vendor: KycVendor, request: SignedRequest, options: VerifyOptions): Verification {
  const secrets = options.secrets.filter((secret) => secret.length > 0);
  if (secrets.length === 0) return fail('no_secret_configured');
  return VERIFIERS[vendor](request, { ...options, secrets });
}

/** Lower-cases header names, as API Gateway does, so verifiers can look them up exactly. */
export function lowerCaseHeaders(headers: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([, value]) => typeof value === 'string')
      .map(([name, value]) => [name.toLowerCase(), value as string]),
  );
}

/**
 * The headers each vendor would send for `rawBody`: the local vendor simulator and the tests sign
 * with these, so "signs exactly like the vendor" is one piece of code checked against the
 * vendors' published test vectors.
 */
export function signWebhook(
  vendor: KycVendor,
  rawBody: Buffer,
  secret: string,
  options: { now: Date; id?: string; sumsubAlgorithm?: SumsubAlgorithm },
): Record<string, string> {
  const seconds = Math.floor(options.now.getTime() / 1000);
  switch (vendor) {
    case 'sumsub': {
      const algorithm = options.sumsubAlgorithm ?? 'HMAC_SHA256_HEX';
      return { 'x-payload-digest': hmac(SUMSUB_ALGORITHMS[algorithm], secret, rawBody).toString('hex'), 'x-payload-digest-alg': algorithm };
    }
    case 'onfido':
      return { 'x-sha2-signature': hmac('sha256', secret, rawBody).toString('hex') };
    case 'persona':
      return { 'persona-signature': `t=${seconds},v1=${hmac('sha256', secret, `${seconds}.`, rawBody).toString('hex')}` };
    case 'veriff':
      return { 'x-hmac-signature': hmac('sha256', secret, rawBody).toString('hex') };
    case 'standard-webhooks': {
      const id = options.id ?? `msg_${seconds}`;
      return {
        'webhook-id': id,
        'webhook-timestamp': String(seconds),
        'webhook-signature': `v1,${hmac('sha256', standardWebhooksKey(secret), `${id}.${seconds}.`, rawBody).toString('base64')}`,
      };
    }
  }
}
