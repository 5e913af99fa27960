export { auditSigner, LocalKeySigner } from './audit-signer';
export { DynamoAuditRecords } from './dynamo-audit-records';
export { dynamoAuditLog, DynamoAuditStore } from './dynamo-audit-store';
export { S3CheckpointBodies, S3ExportDelivery } from './s3-audit-buckets';
