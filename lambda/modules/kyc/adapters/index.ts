export { DynamoKycEventStore } from './dynamo-kyc-event-store';
export { sumsubRequestHeaders } from './sumsub-api';
export { vendorApis, webhookSecrets } from './vendor-config';
export { SqsKycEventQueue } from './sqs-kyc-event-queue';
