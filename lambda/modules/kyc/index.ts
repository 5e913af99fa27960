export { applyKycEvent } from './apply';
export { type KycHistory, kycHistory } from './history';
export { type InvestorRecords, type WebhookRefusalCounts } from './ports';
export { hourOf, parseRefusalQuery, refusalQuerySchema, type RefusalCount, type WebhookRefusal, webhookRefusals } from './refusals';
export { receiveKycWebhook, type WebhookRejection } from './receive';
export { FAILURE_MESSAGES, lowerCaseHeaders, signWebhook, SUMSUB_ALGORITHMS, type SumsubAlgorithm, verifyWebhookSignature } from './signatures';
export { ID_MAX_LENGTH, VENDOR_PAYLOAD_SCHEMAS } from './events';
