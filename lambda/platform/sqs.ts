import middy from '@middy/core';
import { BatchProcessor, EventType, SqsFifoPartialProcessorAsync, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { describeError, logger, tracer } from './observability';

/**
 * middy wiring for every queue consumer: partial batch responses through Powertools (the function's
 * event source has ReportBatchItemFailures on), FIFO groups skipped after a failure so order holds.
 * `inParallel: false` for records that may touch the same aggregate: one after another, none races another.
 */
export function sqsHandler(kind: 'standard' | 'fifo', handleRecord: (record: SQSRecord, context?: Context) => Promise<void>, options: { inParallel?: boolean } = {}) {
  const logged = async (record: SQSRecord, context?: Context): Promise<void> => {
    try {
      await handleRecord(record, context);
    } catch (error) {
      logger.warn('record failed; it will be retried', { messageId: record.messageId, ...describeError(error) });
      throw error;
    }
  };
  return middy<SQSEvent, SQSBatchResponse>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { logEvent: false }))
    .handler(async (event: SQSEvent, context: Context) => {
      if (kind === 'fifo') {
        return processPartialResponse(event, logged, new SqsFifoPartialProcessorAsync(), { context, skipGroupOnError: true });
      }
      return processPartialResponse(event, logged, new BatchProcessor(EventType.SQS), { context, processInParallel: options.inParallel ?? true });
    });
}
