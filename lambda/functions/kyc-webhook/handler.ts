import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { webhookSecretsFor } from '../../modules/kyc/adapters';
import { METRICS } from '../../config/system';
import { receiveKycWebhook, type WebhookRejection, lowerCaseHeaders } from '../../modules/kyc';
import { authorize, httpHandler, json, rawBody } from '../../platform/http';
import { logger, metrics } from '../../platform/observability';
import { wiring } from '../wiring';

const deps = {
  secretsFor: webhookSecretsFor,
  store: wiring.kycEvents(),
  queue: wiring.kycQueue(),
  audit: wiring.audit(),
  onRejected: (rejection: WebhookRejection) => {
    const metric = metrics.singleMetric();
    metric.addDimensions({ vendor: rejection.vendor, reason: rejection.kind });
    metric.addMetric(METRICS.webhookRejected, MetricUnit.Count, 1);
    if (rejection.kind === 'signature') {
      const spike = metrics.singleMetric();
      spike.addDimension('vendor', rejection.vendor);
      spike.addMetric(METRICS.webhookSignatureRejected, MetricUnit.Count, 1);
    }
    logger.warn('webhook refused', { ...rejection });
  },
};

export const handler = httpHandler(async (event) => {
  authorize(event);
  const outcome = await receiveKycWebhook(deps, {
    vendor: event.pathParameters?.vendor ?? '',
    headers: lowerCaseHeaders(event.headers),
    rawBody: rawBody(event),
    requestId: event.requestContext.requestId,
  });
  logger.info('webhook received', { eventKey: outcome.eventKey, result: outcome.result });
  return json(200, { received: true, duplicate: outcome.result === 'duplicate' });
});
