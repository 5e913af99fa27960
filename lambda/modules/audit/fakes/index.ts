export { InMemoryAuditStore, inMemoryAuditLog } from './in-memory-audit-store';
