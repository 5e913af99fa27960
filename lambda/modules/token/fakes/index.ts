export { fakeTokenChain } from './fake-token-chain';
export { InMemoryTokenOperations, RecordingTokenOperationRequests } from './in-memory-token-operations';
