import { registriesOf } from '../../config/chains';
import { readFunctionConfig } from '../../config/function-config';
import type { ApprovalDeps, CaseTrail } from '../../modules/cases';
import { DynamoAuditRecords, dynamoAuditLog } from '../../modules/audit/adapters';
import { DynamoCaseRepository } from '../../modules/cases/adapters';
import { DynamoInvestorRepository, SqsAllowlistRequests } from '../../modules/investors/adapters';
import { ListEntryLookup, screeningStanding } from '../../modules/screening';
import { DynamoListVersionRepository, DynamoScreeningRepository, S3SnapshotStore } from '../../modules/screening/adapters';
import { documentClient } from '../../platform/aws/dynamo';
import { s3Client } from '../../platform/aws/s3';
import { sqsClient } from '../../platform/aws/sqs';

export interface CasesApiDeps extends ApprovalDeps {
  /** The cases' audit streams, read back as their history. */
  readonly trail: CaseTrail;
  /** The listed entries behind hits, from their list versions' snapshots. */
  readonly entries: ListEntryLookup;
}

/** The review queue and what approved decisions do to investors (no screening queue: effects never re-screen). */
export function compose(env: NodeJS.ProcessEnv): CasesApiDeps {
  const { tables, queues, buckets, chains, settings } = readFunctionConfig('casesApi', env);
  const cases = new DynamoCaseRepository(documentClient(), tables.cases);
  const audit = dynamoAuditLog(tables.audit);
  const effects = {
    investors: new DynamoInvestorRepository(documentClient(), tables.investors),
    audit,
    allowlist: new SqsAllowlistRequests(sqsClient(), queues.allowlist),
    registries: registriesOf(chains),
    sanctions: screeningStanding({ screenings: new DynamoScreeningRepository(documentClient(), tables.screenings), cases }),
  };
  const entries = new ListEntryLookup({
    versions: new DynamoListVersionRepository(documentClient(), tables.listVersions),
    snapshots: new S3SnapshotStore(s3Client(), buckets.listSnapshots),
  });
  return { cases, audit, slaHours: settings.caseSlaHours, effects, trail: new DynamoAuditRecords(documentClient(), tables.audit), entries };
}
