export { FakeRegistryChain, type FakeRegistryChainOptions, type FakeTransaction, ZERO_ADDRESS } from './fake-registry-chain';
export { InMemoryAllowlistJournal } from './in-memory-allowlist-journal';
export { InMemoryInvestorDirectory } from './in-memory-investor-directory';
export { type RecordedDeadLetter, RecordingDeadLetters, RecordingFlushRequests } from './recording-queues';
