export { InMemoryCaseRepository } from './in-memory-case-repository';
export { RecordedSanctionsStanding } from './recorded-sanctions-standing';
