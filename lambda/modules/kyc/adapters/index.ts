export { DynamoKycEventStore } from './dynamo-kyc-event-store';
export { sumsubRequestHeaders } from './sumsub-api';
export { vendorApis, webhookSecretsFor } from './vendor-config';
