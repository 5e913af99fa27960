import { readChainsConfig } from '../config/chains';
import { bucketName, queueUrl, tableName } from '../config/env';
import { ENV } from '../config/system';
import { AuditLog } from '../modules/audit';
import { documentClient } from '../platform/aws/dynamo';
import { DynamoAuditStore, DynamoAuditRecords, S3CheckpointBodies, S3ExportDelivery, auditSignerFromEnv } from '../modules/audit/adapters';
import { DynamoCaseRepository } from '../modules/cases/adapters';
import { DynamoInvestorRepository, SqsAllowlistRequests, SqsKycEventQueue, SqsRescreenRequests, SqsScreeningRequests } from '../modules/investors/adapters';
import { DynamoScreeningRepository, DynamoInvestorBook, DynamoListVersionRepository, FolderListSource, HttpListSource, OFAC_SDN_ADVANCED_URL, S3SnapshotStore } from '../modules/screening/adapters';
import { s3Client } from '../platform/aws/s3';
import { sqsClient } from '../platform/aws/sqs';
import { DynamoKycEventStore } from '../modules/kyc/adapters';
import type { LifecycleDeps } from '../modules/investors';
import type { ApprovalDeps } from '../modules/cases';
import { screeningStanding } from '../modules/screening';

/**
 * Adapters built from the environment, one per process. Functions call only what they use, and
 * each getter reads its variable on first use, so a function is never asked for a table it lacks.
 */
export const wiring = {
  audit: () => new AuditLog(new DynamoAuditStore(documentClient(), tableName('audit'))),
  cases: () => new DynamoCaseRepository(documentClient(), tableName('cases')),
  investors: () => new DynamoInvestorRepository(documentClient(), tableName('investors')),
  screenings: () => new DynamoScreeningRepository(documentClient(), tableName('screenings')),
  screeningRequests: () => new SqsScreeningRequests(sqsClient(), queueUrl('screening')),
  /** Every registry the fund's token lives on, from the chain configuration. */
  registries: () => readChainsConfig().map(({ chainId, identityRegistry }) => ({ chainId, identityRegistry })),
  /** What the investor lifecycle needs: status changes, their audit records and allowlist changes. */
  lifecycle: (): LifecycleDeps => ({ investors: wiring.investors(), audit: wiring.audit(), allowlist: wiring.allowlistRequests(), screening: wiring.screeningRequests(), registries: wiring.registries() }),
  /** The review queue and what approved decisions do to investors (no screening queue: effects never re-screen). */
  caseReview: (slaHours: number): ApprovalDeps => {
    const cases = wiring.cases();
    const audit = wiring.audit();
    const effects = { investors: wiring.investors(), audit, allowlist: wiring.allowlistRequests(), registries: wiring.registries(), sanctions: screeningStanding({ screenings: wiring.screenings(), cases }) };
    return { cases, audit, slaHours, effects };
  },
  kycEvents: () => new DynamoKycEventStore(documentClient(), tableName('kycEvents')),
  kycQueue: () => new SqsKycEventQueue(sqsClient(), queueUrl('kyc')),
  allowlistRequests: () => new SqsAllowlistRequests(sqsClient(), queueUrl('allowlist')),
  auditStore: () => new DynamoAuditStore(documentClient(), tableName('audit')),
  auditRecords: () => new DynamoAuditRecords(documentClient(), tableName('audit')),
  checkpointBodies: () => new S3CheckpointBodies(s3Client(), bucketName('auditCheckpoints')),
  auditExports: () => new S3ExportDelivery(s3Client(), bucketName('auditExports')),
  auditSigner: () => auditSignerFromEnv(),
  listVersions: () => new DynamoListVersionRepository(documentClient(), tableName('listVersions')),
  listSnapshots: () => new S3SnapshotStore(s3Client(), bucketName('listSnapshots')),
  investorBook: () => new DynamoInvestorBook(documentClient(), tableName('investors')),
  rescreenRequests: () => new SqsRescreenRequests(sqsClient(), queueUrl('screening')),
  /** A local folder when SANCTIONS_SOURCE_DIR is set (local runs, tests), else OFAC's service. */
  listSource: (env: NodeJS.ProcessEnv = process.env) =>
    env[ENV.sanctionsSourceDir] ? new FolderListSource(env[ENV.sanctionsSourceDir]!) : new HttpListSource(env[ENV.sanctionsSourceUrl] || OFAC_SDN_ADVANCED_URL),
};
