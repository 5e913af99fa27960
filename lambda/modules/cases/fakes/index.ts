export { InMemoryCaseRepository } from './in-memory-case-repository';
