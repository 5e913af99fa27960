export { IDENTITY_REGISTRY_ABI } from './abi';
export { DynamoAllowlistJournal } from './dynamo-allowlist-journal';
export { EvmRegistryChain } from './evm-registry-chain';
export { registryChains } from './registry-chains';
export { DeadLetterQueue, SqsDeadLetters, SqsFlushRequests } from './sqs-allowlist-queue';
export { TOKEN_ABI } from './abi';
