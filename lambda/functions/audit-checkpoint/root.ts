import { readFunctionConfig } from '../../config/function-config';
import { ConfigurationError } from '../../config/env';
import { DEFAULT_SETTLE_MS } from '../../modules/audit';
import { DynamoAuditRecords, DynamoAuditStore, S3CheckpointBodies, auditSigner } from '../../modules/audit/adapters';
import { documentClient } from '../../platform/aws/dynamo';
import { s3Client } from '../../platform/aws/s3';

/** Seconds a record may take to land after its time before a checkpoint covers it (AUDIT_SETTLE_SECONDS). */
function settleMs(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_SETTLE_MS;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 0) throw new ConfigurationError('AUDIT_SETTLE_SECONDS must be a whole number of at least 0');
  return seconds * 1000;
}

/** The checkpoint: the audit table (records and the checkpoint chain), the write-once bucket, the signing key. */
export function compose(env: NodeJS.ProcessEnv) {
  const config = readFunctionConfig('auditCheckpoint', env);
  const records = new DynamoAuditRecords(documentClient(), config.tables.audit);
  return {
    store: new DynamoAuditStore(documentClient(), config.tables.audit),
    records,
    coverage: records,
    bodies: new S3CheckpointBodies(s3Client(), config.buckets.auditCheckpoints),
    signer: auditSigner(config.kmsKeys.auditSigner),
    actor: 'system:audit-checkpoint',
    settleMs: settleMs(config.optional('auditSettleSeconds')),
  };
}

export type AuditCheckpointDeps = ReturnType<typeof compose>;
