export { IDENTITY_REGISTRY_ABI } from './abi';
export { DynamoAllowlistJournal } from './dynamo-allowlist-journal';
export { EvmRegistryChain } from './evm-registry-chain';
export { DeadLetterQueue, retryAfter, SqsDeadLetters, SqsFlushRequests } from './sqs-allowlist-queue';
