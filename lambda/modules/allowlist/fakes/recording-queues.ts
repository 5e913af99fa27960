import { changeGroupId, type AllowlistChange, type RegistryTarget } from '../../../shared';
import { flushRequestDeduplicationId } from '../intake';
import type { DeadLetterReason, DeadLetters, FlushRequests } from '../ports';

export interface RecordedDeadLetter {
  readonly body: string;
  readonly group?: string;
  readonly key: string;
  readonly reason: DeadLetterReason;
}

/**
 * The allowlist DLQ as SqsDeadLetters feeds it: every dead letter kept with its reason, a repeat
 * of the same message with the same code dropped (its FIFO de-duplication id is the same).
 */
export class RecordingDeadLetters implements DeadLetters {
  readonly letters: RecordedDeadLetter[] = [];
  private readonly seen = new Set<string>();

  async send(message: { body: string; group?: string; key: string }, reason: DeadLetterReason): Promise<void> {
    const id = `${message.group ?? ''}|${message.key}|${reason.code}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.letters.push({ ...message, reason });
  }

  /** `code: reason` per letter, in order: what most tests read. */
  reasons(): string[] {
    return this.letters.map((letter) => `${letter.reason.code}: ${letter.reason.reason}`);
  }

  /** The changes dead-lettered (bodies that are not a change are left out). */
  changes(): AllowlistChange[] {
    return this.letters.flatMap((letter) => {
      try {
        return [JSON.parse(letter.body) as AllowlistChange];
      } catch {
        return [];
      }
    });
  }
}

/**
 * Flush requests as SqsFlushRequests sends them into the allowlist queue: a request with the same
 * token as the registry's last one is not sent, and one whose de-duplication id was already sent
 * is dropped as SQS FIFO drops it.
 */
export class RecordingFlushRequests implements FlushRequests {
  readonly requests: { target: RegistryTarget; token: string }[] = [];
  private readonly lastSent = new Map<string, string>();
  private readonly sent = new Set<string>();

  async requestFlush(target: RegistryTarget, token: string): Promise<void> {
    const group = changeGroupId(target);
    if (this.lastSent.get(group) === token) return;
    const id = flushRequestDeduplicationId(target, token);
    if (!this.sent.has(id)) this.requests.push({ target: { chainId: target.chainId, identityRegistry: target.identityRegistry.toLowerCase() }, token });
    this.sent.add(id);
    this.lastSent.set(group, token);
  }

  /** `group token` per request, in order. */
  summary(): string[] {
    return this.requests.map(({ target, token }) => `${changeGroupId(target)} ${token}`);
  }

  /** Hands the requests sent so far over as queue message bodies, and forgets them (the queue delivered them). */
  take(): string[] {
    return this.requests.splice(0).map(({ target }) => JSON.stringify({ flush: target }));
  }
}
