import { createHash } from 'node:crypto';
import {
  isCountryCode,
  isPermanent,
  TransientError,
  ValidationError,
  fieldIssuesFrom,
  allowlistChangeSchema,
  changeGroupId,
  flushRequestSchema,
  type AllowlistChange,
  type RegistryTarget,
} from '../../shared';
import type { FlushRequests, AllowlistJournal, DeadLetterReason, DeadLetters } from './ports';
import { flushRegistry, type FlushDeps, type FlushResult } from './flush';

/** One message of the allowlist queue, as the worker needs it. */
export interface AllowlistMessage {
  readonly body: string;
  readonly messageId: string;
  /** Orders the message within its group and stays the same on redelivery (SQS SequenceNumber). */
  readonly sequence: string;
  readonly receiveCount: number;
  /** The FIFO group it travels in (SQS MessageGroupId): a failure holds back the group's later messages. */
  readonly group?: string;
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

/** The allowlist worker's use case for one queue message: a batch of one (see handleAllowlistBatch). */
export async function handleAllowlistMessage(deps: AllowlistWorkerDeps, message: AllowlistMessage, deadline: number): Promise<MessageOutcome> {
  const [outcome] = await handleAllowlistBatch(deps, [message], deadline);
  return outcome!;
}

/**
 * The allowlist worker's use case for a batch of queue messages (one outcome each, in order). A
 * change is stored as a pending intent (once, however often it is delivered) and applied when the
 * worker's own flush request, queued behind it in the same FIFO group, arrives; so a burst becomes
 * a few large transactions and a lone change still goes out right after it. The changes of a batch
 * are stored together and ask for one flush. Input that can never be applied goes to the
 * dead-letter queue with the reason; failures that may pass are retried with backoff, and after
 * maxReceiveCount receives go to the dead-letter queue with the reason too. Once a message is to be
 * retried, so are the later messages of its group in the batch (FIFO order holds).
 */
export async function handleAllowlistBatch(deps: AllowlistWorkerDeps, messages: readonly AllowlistMessage[], deadline: number): Promise<MessageOutcome[]> {
  const outcomes = new Map<AllowlistMessage, MessageOutcome>();
  const groups = new Map<string, ParsedMessage[]>();
  for (const message of messages) {
    const group = message.group ?? '';
    groups.set(group, [...(groups.get(group) ?? []), parse(deps, message)]);
  }
  for (const parsed of groups.values()) {
    for (let next = 0; next < parsed.length;) {
      const first = parsed[next]!;
      let handled: MessageOutcome[];
      if (first.kind === 'flush') {
        handled = [await flush(deps, first.message, first.target, deadline)];
      } else {
        const flushAt = parsed.findIndex((item, index) => index > next && item.kind === 'flush');
        handled = await acceptChanges(deps, parsed.slice(next, flushAt === -1 ? parsed.length : flushAt) as Exclude<ParsedMessage, { kind: 'flush' }>[]);
      }
      handled.forEach((outcome, index) => outcomes.set(parsed[next + index]!.message, outcome));
      next += handled.length;
      const retry = handled.find((outcome) => outcome.status === 'retry');
      if (retry) {
        for (const held of parsed.slice(next)) outcomes.set(held.message, heldBack(retry));
        break;
      }
    }
  }
  return messages.map((message) => outcomes.get(message)!);
}

type ParsedMessage =
  | { readonly kind: 'flush'; readonly message: AllowlistMessage; readonly target: RegistryTarget }
  | { readonly kind: 'change'; readonly message: AllowlistMessage; readonly change: AllowlistChange; readonly group: string }
  | { readonly kind: 'invalid'; readonly message: AllowlistMessage; readonly group?: string; readonly failure: Omit<DeadLetterReason, 'attempts'> };

function parse(deps: AllowlistWorkerDeps, message: AllowlistMessage): ParsedMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.body);
  } catch {
    return { kind: 'invalid', message, failure: { code: 'INVALID_MESSAGE', reason: 'the body is not JSON' } };
  }
  const flushRequest = flushRequestSchema.safeParse(parsed);
  if (flushRequest.success) return { kind: 'flush', message, target: flushRequest.data.flush };

  const change = allowlistChangeSchema.safeParse(parsed);
  if (!change.success)
    return { kind: 'invalid', message, failure: { code: 'INVALID_MESSAGE', reason: new ValidationError(fieldIssuesFrom(change.error.issues)).message } };
  const group = changeGroupId(change.data);
  if (!isCountryCode(change.data.country.toUpperCase()))
    return { kind: 'invalid', message, group, failure: { code: 'INVALID_MESSAGE', reason: 'country must be an ISO 3166-1 alpha-2 code' } };
  if (!deps.registry(change.data))
    return { kind: 'invalid', message, group, failure: { code: 'UNKNOWN_REGISTRY', reason: `registry ${group} is not configured for this worker` } };
  return { kind: 'change', message, change: change.data, group };
}

/**
 * Stores a run of changes as pending intents (all at once: each write is conditional on its own
 * key) and asks once per registry for a flush. The request joins the group behind every change
 * already queued: when it arrives, the whole burst is pending and goes out in batches. Requests
 * made while the same intent is the oldest pending one share a de-duplication id, so a burst
 * yields one request. Returns the outcomes of the run's first messages, up to the first retry.
 */
async function acceptChanges(deps: AllowlistWorkerDeps, run: readonly Exclude<ParsedMessage, { kind: 'flush' }>[]): Promise<MessageOutcome[]> {
  const receivedAt = new Date().toISOString();
  const stored = await Promise.allSettled(
    run.map(async (item) => {
      if (item.kind === 'change')
        await deps.journal.recordIntent({
          group: item.group,
          key: item.message.sequence,
          change: item.change,
          messageId: item.message.messageId,
          receivedAt,
          attempts: 0,
        });
    }),
  );
  const outcomes: MessageOutcome[] = [];
  const accepted: { index: number; item: Extract<ParsedMessage, { kind: 'change' }> }[] = [];
  for (const [index, item] of run.entries()) {
    const result = stored[index]!;
    const outcome: MessageOutcome =
      item.kind === 'invalid'
        ? await deadLetter(deps, item.message, item.group, item.failure)
        : result.status === 'rejected'
          ? await retryOrGiveUp(deps, item.message, item.group, result.reason)
          : { status: 'accepted' };
    outcomes.push(outcome);
    if (item.kind === 'change' && outcome.status === 'accepted') accepted.push({ index, item });
    if (outcome.status === 'retry') break;
  }
  try {
    const targets = new Map(accepted.map(({ item }) => [item.group, item.change]));
    for (const [group, target] of targets) {
      const pending = await deps.journal.pendingSummary(group, 1);
      if (pending.oldest) await deps.flushRequests.requestFlush(target, `${pending.oldest.key}:${pending.oldest.attempts}`);
    }
  } catch (error) {
    // The intents are stored (a redelivery is a no-op); the messages come back to ask again.
    let retry: MessageOutcome | undefined;
    for (const { index, item } of accepted) {
      outcomes[index] = retry ? heldBack(retry) : await retryOrGiveUp(deps, item.message, item.group, error);
      if (outcomes[index].status === 'retry') retry ??= outcomes[index];
    }
  }
  return outcomes;
}

function heldBack(retry: MessageOutcome): MessageOutcome {
  return {
    status: 'retry',
    afterSeconds: retry.status === 'retry' ? retry.afterSeconds : 0,
    error: new TransientError('an earlier message of its FIFO group is retried first'),
  };
}

async function flush(deps: AllowlistWorkerDeps, message: AllowlistMessage, target: RegistryTarget, deadline: number): Promise<MessageOutcome> {
  const group = changeGroupId(target);
  const registry = deps.registry(target);
  if (!registry) return deadLetter(deps, message, group, { code: 'UNKNOWN_REGISTRY', reason: `registry ${group} is not configured for this worker` });
  let failure: unknown;
  try {
    const result = await flushRegistry(registry, { deadline });
    // Changes held by the token's pause wait for the flush its unpause requests, not for a retry.
    if (result.remaining === 0 || result.remaining <= result.held) return { status: 'flushed', flush: result };
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
  const permanent = isPermanent(error);
  if (!permanent && message.receiveCount < deps.maxReceiveCount) return { status: 'retry', afterSeconds: backoffSeconds(deps, message.receiveCount), error };
  const code = permanent ? error.code : 'RETRIES_EXHAUSTED';
  const reason = error instanceof Error ? error.message : 'unknown failure';
  return deadLetter(deps, message, group, { code, reason: permanent ? reason : `gave up after ${message.receiveCount} receives: ${reason}` });
}

async function deadLetter(
  deps: AllowlistWorkerDeps,
  message: AllowlistMessage,
  group: string | undefined,
  failure: Omit<DeadLetterReason, 'attempts'>,
): Promise<MessageOutcome> {
  const reason = { ...failure, attempts: message.receiveCount };
  await deps.deadLetters.send({ body: message.body, group, key: message.messageId }, reason);
  return { status: 'dead-lettered', reason };
}

function backoffSeconds(deps: AllowlistWorkerDeps, receiveCount: number): number {
  return Math.min(MAX_RETRY_SECONDS, Math.round(deps.retryBaseSeconds * 2 ** Math.max(0, receiveCount - 1)));
}

/** FIFO de-duplication id of a flush request: repeated requests for the same pending state collapse. */
export function flushRequestDeduplicationId(target: RegistryTarget, token: string): string {
  return createHash('sha256')
    .update(`flush|${changeGroupId(target)}|${token}`)
    .digest('hex');
}
