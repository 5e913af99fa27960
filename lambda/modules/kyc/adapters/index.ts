export { DynamoKycEventStore } from './dynamo-kyc-event-store';
export { DynamoWebhookRefusals } from './dynamo-webhook-refusals';
export { SqsKycEventQueue } from './sqs-kyc-event-queue';
export { sumsubRequestHeaders } from './sumsub-api';
export { vendorApis, webhookSecrets } from './vendor-config';
