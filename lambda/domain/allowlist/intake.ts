import { createHash } from 'node:crypto';
import { isCountryCode } from '../countries';
import { DomainError, TransientError, ValidationError, fieldIssuesFrom } from '../errors';
import { allowlistChangeSchema, changeGroupId, flushRequestSchema, type FlushRequests, type RegistryTarget } from './change';
import { flushRegistry, type FlushDeps, type FlushResult } from './flush';
import type { AllowlistJournal, DeadLetterReason, DeadLetters } from './ports';

/** One message of the allowlist queue, as the worker needs it. */
export interface AllowlistMessage {
  readonly body: string;
  readonly messageId: string;
  /** Orders the message within its group and stays the same on redelivery (SQS SequenceNumber). */
  readonly sequence: string;
  readonly receiveCount: number;
}

export interface AllowlistWorkerDeps {
  readonly journal: AllowlistJournal;
  readonly deadLetters: DeadLetters;
  readonly flushRequests: FlushRequests;
  /** The flush dependencies of a configured registry, or undefined for one we do not serve. */
  readonly registry: (target: RegistryTarget) => FlushDeps | undefined;
  /** Receives before a failing message is given up (the queue's maxReceiveCount). */
  readonly maxReceiveCount: number;
  /** First retry delay; each further retry doubles it. */
  readonly retryBaseSeconds: number;
}

export type MessageOutcome =
  | { readonly status: 'accepted' }
  | { readonly status: 'flushed'; readonly flush: FlushResult }
  | { readonly status: 'dead-lettered'; readonly reason: DeadLetterReason }
  /** Try again after `afterSeconds`: the message stays on the queue. */
  | { readonly status: 'retry'; readonly afterSeconds: number; readonly error: unknown };

const MAX_RETRY_SECONDS = 900;

/**
 * The allowlist worker's use case for one queue message. A change is stored as a pending intent
 * (once, however often it is delivered) and applied when the worker's own flush request, queued
 * behind it in the same FIFO group, arrives; so a burst becomes a few large transactions and a
 * lone change still goes out right after it. Input that can never be applied
 * goes to the dead-letter queue with the reason; failures that may pass are retried with backoff,
 * and after maxReceiveCount receives go to the dead-letter queue with the reason too.
 */
export async function handleAllowlistMessage(deps: AllowlistWorkerDeps, message: AllowlistMessage, deadline: number): Promise<MessageOutcome> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.body);
  } catch {
    return deadLetter(deps, message, undefined, { code: 'INVALID_MESSAGE', reason: 'the body is not JSON' });
  }
  const flushRequest = flushRequestSchema.safeParse(parsed);
  if (flushRequest.success) return flush(deps, message, flushRequest.data.flush, deadline);

  const change = allowlistChangeSchema.safeParse(parsed);
  if (!change.success) return deadLetter(deps, message, undefined, { code: 'INVALID_MESSAGE', reason: new ValidationError(fieldIssuesFrom(change.error.issues)).message });
  if (!isCountryCode(change.data.country.toUpperCase())) return deadLetter(deps, message, changeGroupId(change.data), { code: 'INVALID_MESSAGE', reason: 'country must be an ISO 3166-1 alpha-2 code' });
  const group = changeGroupId(change.data);
  const registry = deps.registry(change.data);
  if (!registry) return deadLetter(deps, message, group, { code: 'UNKNOWN_REGISTRY', reason: `registry ${group} is not configured for this worker` });

  try {
    await deps.journal.recordIntent({ group, key: message.sequence, change: change.data, messageId: message.messageId, receivedAt: new Date().toISOString(), attempts: 0 });
    // The request joins the group behind every change already queued: when it arrives, the whole
    // burst is pending and goes out in batches. Requests made while the same intent is the oldest
    // pending one share a de-duplication id, so a burst yields one request.
    const pending = await deps.journal.pendingSummary(group, 1);
    if (pending.oldest) await deps.flushRequests.requestFlush(change.data, `${pending.oldest.key}:${pending.oldest.attempts}`);
    return { status: 'accepted' };
  } catch (error) {
    return retryOrGiveUp(deps, message, group, error);
  }
}

async function flush(deps: AllowlistWorkerDeps, message: AllowlistMessage, target: RegistryTarget, deadline: number): Promise<MessageOutcome> {
  const group = changeGroupId(target);
  const registry = deps.registry(target);
  if (!registry) return deadLetter(deps, message, group, { code: 'UNKNOWN_REGISTRY', reason: `registry ${group} is not configured for this worker` });
  let failure: unknown;
  try {
    const result = await flushRegistry(registry, { deadline });
    if (result.remaining === 0) return { status: 'flushed', flush: result };
    failure = new TransientError(`${result.remaining} change(s) of registry ${group} are still pending`);
  } catch (error) {
    failure = error;
  }
  if (message.receiveCount < deps.maxReceiveCount) return { status: 'retry', afterSeconds: backoffSeconds(deps, message.receiveCount), error: failure };
  // This request has used its receives; a fresh one keeps the pending changes going (each of them
  // counts its own failed attempts and goes to the DLQ when it runs out).
  try {
    const pending = await deps.journal.pendingSummary(group, 1);
    if (pending.oldest) await deps.flushRequests.requestFlush(target, `${pending.oldest.key}:${pending.oldest.attempts}:${message.messageId}`);
    return { status: 'retry', afterSeconds: 0, error: failure };
  } catch (error) {
    return { status: 'retry', afterSeconds: backoffSeconds(deps, message.receiveCount), error };
  }
}

function retryOrGiveUp(deps: AllowlistWorkerDeps, message: AllowlistMessage, group: string, error: unknown): Promise<MessageOutcome> | MessageOutcome {
  const permanent = error instanceof DomainError && !(error instanceof TransientError);
  if (!permanent && message.receiveCount < deps.maxReceiveCount) return { status: 'retry', afterSeconds: backoffSeconds(deps, message.receiveCount), error };
  const code = permanent ? error.code : 'RETRIES_EXHAUSTED';
  const reason = error instanceof Error ? error.message : 'unknown failure';
  return deadLetter(deps, message, group, { code, reason: permanent ? reason : `gave up after ${message.receiveCount} receives: ${reason}` });
}

async function deadLetter(deps: AllowlistWorkerDeps, message: AllowlistMessage, group: string | undefined, failure: Omit<DeadLetterReason, 'attempts'>): Promise<MessageOutcome> {
  const reason = { ...failure, attempts: message.receiveCount };
  await deps.deadLetters.send({ body: message.body, group, key: message.messageId }, reason);
  return { status: 'dead-lettered', reason };
}

function backoffSeconds(deps: AllowlistWorkerDeps, receiveCount: number): number {
  return Math.min(MAX_RETRY_SECONDS, Math.round(deps.retryBaseSeconds * 2 ** Math.max(0, receiveCount - 1)));
}

/** FIFO de-duplication id of a flush request: repeated requests for the same pending state collapse. */
export function flushRequestDeduplicationId(target: RegistryTarget, token: string): string {
  return createHash('sha256').update(`flush|${changeGroupId(target)}|${token}`).digest('hex');
}
