import { BatchProcessor, EventType, SqsFifoPartialProcessorAsync, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { ValidationError, fieldIssuesFrom } from '../shared';
import { retryAfter, sqsClient } from './aws/sqs';
import { observed } from './middleware';
import { describeError, logger } from './observability';

/** A queue message's body, checked against its contract in lambda/shared/messages.ts. */
export function parseMessage<T>(record: Pick<SQSRecord, 'body'>, schema: z.ZodType<T>): T {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch (cause) {
    throw new ValidationError([{ field: '(message)', problem: 'is not valid JSON' }], { cause });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ValidationError(fieldIssuesFrom(parsed.error.issues));
  return parsed.data;
}

/**
 * Front door of a standard queue's consumer: one record at a time through Powertools' batch
 * processor, failures reported as partial batch failures (the event source has
 * ReportBatchItemFailures on). `inParallel: false` for records that may touch the same aggregate:
 * one after another, none races another.
 */
export function sqsFunction(handleRecord: (record: SQSRecord, context: Context) => Promise<void>, options: { inParallel?: boolean } = {}) {
  const logged = loggedRecord(handleRecord);
  return observed<SQSEvent, SQSBatchResponse>((event, context) =>
    processPartialResponse(event, (record: SQSRecord) => logged(record, context), new BatchProcessor(EventType.SQS), {
      context,
      processInParallel: options.inParallel ?? true,
    }),
  );
}

/** What became of one record of a FIFO batch. */
export type RecordVerdict = { readonly done: true } | { readonly retryAfterSeconds: number; readonly error: unknown };

/**
 * Front door of a FIFO queue's consumer that handles a batch as a whole (its records are stored
 * together): the use case returns a verdict per record, in order. A record to retry becomes
 * visible again after its backoff and fails, and the later records of its group are skipped
 * (Powertools' FIFO partial processor), so a group's order holds.
 */
export function fifoBatchFunction(queueUrl: string, handleBatch: (records: readonly SQSRecord[], context: Context) => Promise<readonly RecordVerdict[]>) {
  return observed<SQSEvent, SQSBatchResponse>(async (event, context) => {
    const verdicts = await handleBatch(event.Records, context);
    const verdictOf = new Map(event.Records.map((record, index) => [record.messageId, verdicts[index]!]));
    const report = async (record: SQSRecord): Promise<void> => {
      const verdict = verdictOf.get(record.messageId)!;
      if ('done' in verdict) return;
      logger.warn('record failed; it will be retried', {
        messageId: record.messageId,
        retryAfterSeconds: verdict.retryAfterSeconds,
        ...describeError(verdict.error),
      });
      await retryAfter(sqsClient(), queueUrl, record.receiptHandle, verdict.retryAfterSeconds);
      throw verdict.error;
    };
    return processPartialResponse(event, report, new SqsFifoPartialProcessorAsync(), { context, skipGroupOnError: true });
  });
}

function loggedRecord(handleRecord: (record: SQSRecord, context: Context) => Promise<void>) {
  return async (record: SQSRecord, context: Context): Promise<void> => {
    try {
      await handleRecord(record, context);
    } catch (error) {
      logger.warn('record failed; it will be retried', { messageId: record.messageId, ...describeError(error) });
      throw error;
    }
  };
}

/**
 * Front door of a FIFO queue's consumer whose groups are independent (one per chain): the groups of
 * a batch run in parallel, each group's records one after another; a record that fails is
 * reported (redelivered after the visibility timeout, to the DLQ after maxReceiveCount) and the
 * later records of its group are reported with it, unhandled, so a group's order holds.
 */
export function fifoGroupsFunction(handleRecord: (record: SQSRecord, context: Context) => Promise<void>) {
  const logged = loggedRecord(handleRecord);
  return observed<SQSEvent, SQSBatchResponse>(async (event, context) => {
    const groups = new Map<string, SQSRecord[]>();
    for (const record of event.Records) {
      const group = record.attributes.MessageGroupId ?? '';
      groups.set(group, [...(groups.get(group) ?? []), record]);
    }
    const failed = await Promise.all(
      [...groups.values()].map(async (records) => {
        for (const [index, record] of records.entries()) {
          try {
            await logged(record, context);
          } catch {
            return records.slice(index);
          }
        }
        return [];
      }),
    );
    return { batchItemFailures: failed.flat().map((record) => ({ itemIdentifier: record.messageId })) };
  });
}
