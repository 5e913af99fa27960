import { registriesOf } from '../../config/chains';
import { readFunctionConfig } from '../../config/function-config';
import { dynamoAuditLog } from '../../modules/audit/adapters';
import { DynamoCaseRepository } from '../../modules/cases/adapters';
import { DynamoInvestorRepository, SqsAllowlistRequests, SqsScreeningRequests } from '../../modules/investors/adapters';
import { DynamoKycEventStore, vendorApis } from '../../modules/kyc/adapters';
import { documentClient } from '../../platform/aws/dynamo';
import { sqsClient } from '../../platform/aws/sqs';

/** Applies stored KYC verdicts: the lifecycle, the event store, cases for conflicts, the vendors' applicant APIs. */
export function compose(env: NodeJS.ProcessEnv) {
  const { tables, queues, chains, secrets, settings } = readFunctionConfig('kycWorker', env);
  return {
    investors: new DynamoInvestorRepository(documentClient(), tables.investors),
    audit: dynamoAuditLog(tables.audit),
    allowlist: new SqsAllowlistRequests(sqsClient(), queues.allowlist),
    screening: new SqsScreeningRequests(sqsClient(), queues.screening),
    registries: registriesOf(chains),
    events: new DynamoKycEventStore(documentClient(), tables.kycEvents),
    cases: new DynamoCaseRepository(documentClient(), tables.cases),
    kycValidityDays: settings.kycValidityDays,
    actor: 'system:kyc-worker',
    // Read per record: the secrets adapter caches for 5 minutes, so fixed credentials arrive without a cold start.
    vendorApis: () => vendorApis(secrets.kycVendorApi),
  };
}

export type KycWorkerDeps = ReturnType<typeof compose>;
