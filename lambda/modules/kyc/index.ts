export { applyKycEvent } from './apply';
export { type KycEventQueue, receiveKycWebhook, type WebhookRejection } from './receive';
export { FAILURE_MESSAGES, lowerCaseHeaders, signWebhook, SUMSUB_ALGORITHMS, type SumsubAlgorithm, verifyWebhookSignature } from './signatures';
