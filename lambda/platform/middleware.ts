import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import { logger, metrics, tracer } from './observability';

/** Publishes what the invocation recorded; no empty EMF blob (and no warning) when it recorded nothing. */
const publishMetrics: middy.MiddlewareObj = {
  after: () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  },
  onError: () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  },
};

/**
 * The one middy stack every front door uses: X-Ray (never the response: it may carry personal
 * data), the Lambda context in every log line (never the event), stored metrics published after
 * each invocation.
 */
export function observed<Event, Result>(handle: (event: Event, context: Context) => Promise<Result>): middy.MiddyfiedHandler<Event, Result> {
  return middy<Event, Result>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { logEvent: false }))
    .use(publishMetrics)
    .handler(handle);
}
