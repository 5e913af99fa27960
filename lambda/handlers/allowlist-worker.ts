import type { SQSRecord } from 'aws-lambda';
import { queueUrl } from '../config/env';
import { handleAllowlistMessage, type AllowlistMessage } from '../domain/allowlist';
import { retryAfter } from '../adapters/sqs/allowlist-queue';
import { sqsClient } from '../adapters/sqs/client';
import { createAllowlistWorker } from './shared/allowlist';
import { logger } from './shared/observability';
import { sqsHandler } from './shared/sqs';

const worker = createAllowlistWorker();
// Awaited by every invocation; a configuration error fails them with its message.
worker.catch(() => undefined);
const queue = queueUrl('allowlist');

/** Time kept back from the function's timeout to record what a flush finished. */
const SAFETY_MS = 10_000;

/** SQS FIFO sequence numbers order a group's messages; fixed width so they sort as strings. */
export function toAllowlistMessage(record: SQSRecord): AllowlistMessage {
  const { SequenceNumber, SentTimestamp, ApproximateReceiveCount } = record.attributes;
  const sequence = SequenceNumber ? SequenceNumber.padStart(40, '0') : `${SentTimestamp.padStart(20, '0')}:${record.messageId}`;
  return { body: record.body, messageId: record.messageId, sequence, receiveCount: Number(ApproximateReceiveCount) };
}

export const handler = sqsHandler('fifo', async (record, context) => {
  const deadline = Date.now() + (context?.getRemainingTimeInMillis() ?? 60_000) - SAFETY_MS;
  const outcome = await handleAllowlistMessage(await worker, toAllowlistMessage(record), deadline);
  const flush = 'flush' in outcome ? outcome.flush : undefined;
  logger.info('allowlist message handled', { messageId: record.messageId, status: outcome.status, ...(flush ?? {}), ...('reason' in outcome ? { failureCode: outcome.reason.code } : {}) });
  if (outcome.status === 'retry') {
    await retryAfter(sqsClient(), queue, record.receiptHandle, outcome.afterSeconds);
    throw outcome.error;
  }
});
