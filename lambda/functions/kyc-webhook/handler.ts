import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS } from '../../config/system';
import { lowerCaseHeaders, receiveKycWebhook, type WebhookRejection } from '../../modules/kyc';
import { authorize, beforeDeadline, httpFunction, json, rawBody } from '../../platform/http';
import { describeError, logger, metrics } from '../../platform/observability';
import type { KycWebhookDeps } from './root';

/** Answered this long before Lambda would end the invocation: a 503 with Retry-After, not a timed-out 500. */
export const ACK_MARGIN_MS = 750;

/** Every refused webhook is counted by vendor and reason; signature failures also feed their own alarm. */
function countRejection(rejection: WebhookRejection): void {
  const metric = metrics.singleMetric();
  metric.addDimensions({ vendor: rejection.vendor, reason: rejection.kind });
  metric.addMetric(METRICS.webhookRejected, MetricUnit.Count, 1);
  if (rejection.kind === 'signature') {
    const spike = metrics.singleMetric();
    spike.addDimension('vendor', rejection.vendor);
    spike.addMetric(METRICS.webhookSignatureRejected, MetricUnit.Count, 1);
  }
  logger.warn('webhook refused', { ...rejection });
}

/** KYC vendors' verdicts: verified on the raw body, stored once, handed to the KYC worker. */
export function createHandler(deps: KycWebhookDeps) {
  const receiveDeps = { ...deps, onRejected: countRejection, onCountFailed: (error: unknown) => logger.error('refusal not counted', describeError(error)) };
  return httpFunction(async (event, context) => {
    authorize(event);
    const outcome = await beforeDeadline(context, ACK_MARGIN_MS, () =>
      receiveKycWebhook(receiveDeps, { vendor: event.pathParameters?.vendor ?? '', headers: lowerCaseHeaders(event.headers), rawBody: rawBody(event) }),
    );
    logger.info('webhook received', { eventKey: outcome.eventKey, result: outcome.result });
    return json(200, { received: true, duplicate: outcome.result === 'duplicate' });
  });
}
