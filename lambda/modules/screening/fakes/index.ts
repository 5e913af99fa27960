export { InMemoryListVersions, InMemoryScreeningRepository } from './in-memory-screenings';
