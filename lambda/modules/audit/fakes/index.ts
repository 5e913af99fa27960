export { InMemoryAuditRecords } from './in-memory-audit-records';
export { InMemoryAuditSigner } from './in-memory-audit-signer';
export { InMemoryAuditStore, inMemoryAuditLog } from './in-memory-audit-store';
export { inMemoryAuditTrail } from './in-memory-audit-trail';
export { InMemoryCheckpointBodies } from './in-memory-checkpoint-bodies';
export { InMemoryCoverageIndex } from './in-memory-coverage-index';
export { InMemoryExportDelivery } from './in-memory-export-delivery';
