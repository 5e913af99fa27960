import type { KycEventStore, KycEventQueue, WebhookRefusalCounts } from './ports';
import { createHash } from 'node:crypto';
import { NotFoundError, PayloadTooLargeError, UnauthorizedError, ValidationError, isKycVendor, type KycVendor } from '../../shared';
import { normaliseKycEvent, type KycEvent } from './events';
import { refusalReason } from './refusals';
import { FAILURE_MESSAGES, verifyWebhookSignature, type SignatureFailure, type SumsubAlgorithm } from './signatures';

/** Vendors' webhooks are a few kilobytes; anything near this is not one of theirs. */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

/**
 * Longer than a store-then-queue handoff takes, shorter than vendors' first retry (Svix, behind
 * Standard Webhooks, retries after 5 s). A duplicate later than this of an event still unprocessed
 * is queued again: the first handoff may have failed. Extra hand-overs are harmless (the worker
 * applies an event once); a missed one would leave the verdict unapplied.
 */
export const HANDOFF_GRACE_MS = 2_000;

export interface VendorSecrets {
  readonly secrets: readonly string[];
  readonly sumsubAlgorithm?: SumsubAlgorithm;
}

export interface ReceiveDeps {
  readonly secretsFor: (vendor: KycVendor) => Promise<VendorSecrets>;
  readonly store: KycEventStore;
  readonly queue: KycEventQueue;
  /** Refusals are counted per vendor, reason and hour, never recorded one by one in the audit trail. */
  readonly refusals: WebhookRefusalCounts;
  /**
   * Counts rejections: `vendor` is `unknown` for a path naming no configured vendor (the path is the
   * caller's to choose, never a metric dimension); signature failures feed the spike alarm.
   */
  readonly onRejected?: (rejection: WebhookRejection) => void;
  /** A refusal counter that could not be added to: the refusal is still answered (and in the metric). */
  readonly onCountFailed?: (error: unknown) => void;
  readonly now?: () => Date;
}

export interface ReceivedWebhook {
  readonly vendor: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly rawBody: Buffer;
}

export type WebhookRejection =
  | { readonly kind: 'signature'; readonly vendor: KycVendor; readonly failure: SignatureFailure }
  | { readonly kind: 'unknown_vendor' | 'too_large' | 'malformed'; readonly vendor: KycVendor | 'unknown' };

export type ReceiveOutcome = { readonly result: 'accepted' | 'duplicate'; readonly eventKey: string };

/**
 * The webhook edge: size, vendor, signature on the raw bytes, replay window, schema, then store
 * once and hand over. Nothing slow happens here (vendors give us five seconds): the receipt's audit
 * record and everything else is the worker's. Rejections change nothing but a refusal counter.
 */
export async function receiveKycWebhook(deps: ReceiveDeps, webhook: ReceivedWebhook): Promise<ReceiveOutcome> {
  const now = (deps.now ?? (() => new Date()))();
  const refuse = async (rejection: WebhookRejection, reason: string) => {
    deps.onRejected?.(rejection);
    try {
      await deps.refusals.add({ vendor: rejection.vendor, reason, at: now });
    } catch (error) {
      deps.onCountFailed?.(error);
    }
  };
  if (!isKycVendor(webhook.vendor)) {
    await refuse({ kind: 'unknown_vendor', vendor: 'unknown' }, refusalReason('unknown_vendor'));
    throw new NotFoundError('unknown KYC vendor; use one of the configured vendors in the path');
  }
  const vendor = webhook.vendor;
  if (webhook.rawBody.length > MAX_WEBHOOK_BYTES) {
    await refuse({ kind: 'too_large', vendor }, refusalReason('too_large'));
    throw new PayloadTooLargeError(`webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes`);
  }

  const { secrets, sumsubAlgorithm } = await deps.secretsFor(vendor);
  const verification = verifyWebhookSignature(vendor, webhook, { secrets, now, sumsubAlgorithm });
  if (!verification.valid) {
    await refuse({ kind: 'signature', vendor, failure: verification.failure }, refusalReason('signature', verification.failure));
    throw new UnauthorizedError(`webhook refused: ${FAILURE_MESSAGES[verification.failure]}`);
  }

  let event: KycEvent;
  try {
    event = normaliseKycEvent({ vendor, rawBody: webhook.rawBody, headers: webhook.headers, now });
  } catch (error) {
    if (error instanceof ValidationError) await refuse({ kind: 'malformed', vendor }, refusalReason('malformed', error.issues[0]?.field));
    throw error;
  }

  const eventKey = `${vendor}#${event.eventId}`;
  const bodySha256 = createHash('sha256').update(webhook.rawBody).digest('hex');
  const { stored, event: existing } = await deps.store.storeOnce({ ...event, eventKey, bodySha256, receivedAt: now.toISOString(), state: 'received' });
  // A redelivery of an event stored a while ago and still unprocessed (a crash before the handoff) is
  // handed over again; a duplicate arriving with the first (vendors retry in bursts) is not.
  const unhandedLongAgo = existing.state === 'received' && now.getTime() - Date.parse(existing.receivedAt) > HANDOFF_GRACE_MS;
  if (stored || unhandedLongAgo) await deps.queue.enqueue(eventKey);
  return { result: stored ? 'accepted' : 'duplicate', eventKey };
}
