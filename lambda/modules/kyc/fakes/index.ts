export {
  InMemoryKycEventStore,
  InMemoryWebhookRefusals,
  RecordingKycEventQueue,
  TableKycVendorApi,
  type VendorApplicant,
  type VendorApplicantTable,
} from './in-memory-kyc';
