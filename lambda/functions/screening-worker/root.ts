import { registriesOf } from '../../config/chains';
import { readFunctionConfig } from '../../config/function-config';
import { dynamoAuditLog } from '../../modules/audit/adapters';
import { DynamoCaseRepository } from '../../modules/cases/adapters';
import { DynamoInvestorRepository, SqsAllowlistRequests } from '../../modules/investors/adapters';
import { CurrentListCache } from '../../modules/screening';
import { DynamoListVersionRepository, DynamoScreeningRepository, S3SnapshotStore } from '../../modules/screening/adapters';
import { documentClient } from '../../platform/aws/dynamo';
import { s3Client } from '../../platform/aws/s3';
import { sqsClient } from '../../platform/aws/sqs';

/** Screens investors: the current version of each screened list (from their snapshots), results, cases, the allowlist queue. */
export function compose(env: NodeJS.ProcessEnv) {
  const { tables, queues, buckets, chains, settings } = readFunctionConfig('screeningWorker', env);
  return {
    investors: new DynamoInvestorRepository(documentClient(), tables.investors),
    screenings: new DynamoScreeningRepository(documentClient(), tables.screenings),
    cases: new DynamoCaseRepository(documentClient(), tables.cases),
    audit: dynamoAuditLog(tables.audit),
    allowlist: new SqsAllowlistRequests(sqsClient(), queues.allowlist),
    // Built on first use from the current snapshot and kept across invocations of this instance.
    lists: new CurrentListCache({
      versions: new DynamoListVersionRepository(documentClient(), tables.listVersions),
      snapshots: new S3SnapshotStore(s3Client(), buckets.listSnapshots),
      lists: settings.screenedLists,
      outcomes: settings.listOutcomes,
    }),
    registries: registriesOf(chains),
    actor: 'system:screening-worker',
  };
}

export type ScreeningWorkerDeps = ReturnType<typeof compose>;
