import { readFunctionConfig, type FunctionConfig } from '../../config/function-config';
import { dynamoAuditLog } from '../../modules/audit/adapters';
import type { ListId } from '../../modules/screening';
import {
  DynamoInvestorBook,
  DynamoListVersionRepository,
  FolderListSource,
  HttpListSource,
  OFAC_CONS_ADVANCED_URL,
  OFAC_SDN_ADVANCED_URL,
  S3SnapshotStore,
  SqsRescreenRequests,
} from '../../modules/screening/adapters';
import { documentClient } from '../../platform/aws/dynamo';
import { s3Client } from '../../platform/aws/s3';
import { sqsClient } from '../../platform/aws/sqs';

/** Each screened list's source: a local folder when its `..._DIR` is set (local runs, tests), else OFAC's service. */
function listSources(config: FunctionConfig<'sanctionsRefresh'>) {
  const sources: Record<ListId, () => FolderListSource | HttpListSource> = {
    'ofac-sdn': () => {
      const folder = config.optional('sanctionsSourceDir');
      return folder ? new FolderListSource(folder) : new HttpListSource(config.optional('sanctionsSourceUrl') ?? OFAC_SDN_ADVANCED_URL);
    },
    'ofac-cons': () => {
      const folder = config.optional('nonSdnSourceDir');
      return folder ? new FolderListSource(folder) : new HttpListSource(config.optional('nonSdnSourceUrl') ?? OFAC_CONS_ADVANCED_URL);
    },
  };
  return config.settings.screenedLists.map((list) => ({ list, source: sources[list]() }));
}

/** The list refresh: versions with their diffs and snapshots, the investor book to re-screen. */
export function compose(env: NodeJS.ProcessEnv) {
  const config = readFunctionConfig('sanctionsRefresh', env);
  const { tables, queues, buckets } = config;
  return {
    versions: new DynamoListVersionRepository(documentClient(), tables.listVersions),
    snapshots: new S3SnapshotStore(s3Client(), buckets.listSnapshots),
    book: new DynamoInvestorBook(documentClient(), tables.investors),
    rescreens: new SqsRescreenRequests(sqsClient(), queues.screening),
    audit: dynamoAuditLog(tables.audit),
    actor: 'system:sanctions-refresh',
    sources: listSources(config),
  };
}

export type SanctionsRefreshDeps = ReturnType<typeof compose>;
