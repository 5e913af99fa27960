export {
  InMemoryInvestorBook,
  InMemoryListSource,
  InMemoryListVersionRepository,
  InMemoryScreeningRepository,
  InMemorySnapshotStore,
  RecordingRescreenRequests,
  StaticListProvider,
} from './in-memory-screening';
