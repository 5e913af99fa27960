export { applyKycEvent } from './apply';
export { receiveKycWebhook, type WebhookRejection } from './receive';
export { FAILURE_MESSAGES, lowerCaseHeaders, signWebhook, SUMSUB_ALGORITHMS, type SumsubAlgorithm, verifyWebhookSignature } from './signatures';
