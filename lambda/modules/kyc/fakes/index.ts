export { InMemoryKycEventStore, RecordingKycEventQueue, TableKycVendorApi, type VendorApplicant, type VendorApplicantTable } from './in-memory-kyc';
