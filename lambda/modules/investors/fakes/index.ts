export { InMemoryInvestorRepository, RecordingAllowlistRequests, RecordingScreeningRequests } from './in-memory-investors';
export { anInvestor } from './investors';
