import type { SQSRecord } from 'aws-lambda';
import { handleAllowlistBatch, type AllowlistMessage } from '../../modules/allowlist';
import { logger } from '../../platform/observability';
import { fifoBatchFunction } from '../../platform/sqs';
import type { AllowlistWorkerRoot } from './root';

/** Time kept back from the function's timeout to record what a flush finished. */
const SAFETY_MS = 10_000;

/** SQS FIFO sequence numbers order a group's messages; fixed width so they sort as strings. */
export function toAllowlistMessage(record: SQSRecord): AllowlistMessage {
  const { SequenceNumber, SentTimestamp, ApproximateReceiveCount, MessageGroupId } = record.attributes;
  const sequence = SequenceNumber ? SequenceNumber.padStart(40, '0') : `${SentTimestamp.padStart(20, '0')}:${record.messageId}`;
  return { body: record.body, messageId: record.messageId, sequence, receiveCount: Number(ApproximateReceiveCount), group: MessageGroupId };
}

/**
 * Applies allowlist changes to the ERC-3643 registries (see lambda/modules/allowlist/intake.ts): one
 * use-case call per batch, whose changes are stored together; a record to retry waits its backoff.
 */
export function createHandler({ worker, queueUrl }: AllowlistWorkerRoot) {
  return fifoBatchFunction(queueUrl, async (records, context) => {
    const deadline = Date.now() + (context?.getRemainingTimeInMillis() ?? 60_000) - SAFETY_MS;
    const outcomes = await handleAllowlistBatch(await worker(), records.map(toAllowlistMessage), deadline);
    return outcomes.map((outcome, index) => {
      const flush = 'flush' in outcome ? outcome.flush : undefined;
      logger.info('allowlist message handled', {
        messageId: records[index]!.messageId,
        status: outcome.status,
        ...(flush ?? {}),
        ...('reason' in outcome ? { failureCode: outcome.reason.code } : {}),
      });
      return outcome.status === 'retry' ? { retryAfterSeconds: outcome.afterSeconds, error: outcome.error } : { done: true as const };
    });
  });
}
