import { readFunctionConfig } from '../../config/function-config';
import { DynamoAuditRecords, S3CheckpointBodies, S3ExportDelivery, auditSigner } from '../../modules/audit/adapters';
import { DynamoWebhookRefusals } from '../../modules/kyc/adapters';
import { documentClient } from '../../platform/aws/dynamo';
import { s3Client } from '../../platform/aws/s3';

/** Auditors' reads: the records, the checkpoint bodies, the signing key (public half), the export bucket and the webhook refusal counts. */
export function compose(env: NodeJS.ProcessEnv) {
  const { tables, buckets, kmsKeys } = readFunctionConfig('auditApi', env);
  const records = new DynamoAuditRecords(documentClient(), tables.audit);
  const bodies = new S3CheckpointBodies(s3Client(), buckets.auditCheckpoints);
  const signer = auditSigner(kmsKeys.auditSigner);
  return {
    records,
    bodies,
    signer,
    refusals: new DynamoWebhookRefusals(documentClient(), tables.webhookRefusals),
    exports: { queries: records, records, coverage: records, bodies, signer, delivery: new S3ExportDelivery(s3Client(), buckets.auditExports) },
  };
}

export type AuditApiDeps = ReturnType<typeof compose>;
