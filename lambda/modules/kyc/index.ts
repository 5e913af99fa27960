export { applyKycEvent } from './apply';
export { type KycHistory, kycHistory } from './history';
export { type InvestorRecords } from './ports';
export { receiveKycWebhook, type WebhookRejection } from './receive';
export { FAILURE_MESSAGES, lowerCaseHeaders, signWebhook, SUMSUB_ALGORITHMS, type SumsubAlgorithm, verifyWebhookSignature } from './signatures';
export { VENDOR_PAYLOAD_SCHEMAS } from './events';
