import { registriesOf } from '../../config/chains';
import { readFunctionConfig } from '../../config/function-config';
import { dynamoAuditLog } from '../../modules/audit/adapters';
import { DynamoInvestorRepository, SqsAllowlistRequests } from '../../modules/investors/adapters';
import { documentClient } from '../../platform/aws/dynamo';
import { sqsClient } from '../../platform/aws/sqs';

/** The daily re-KYC sweep: status changes and their allowlist removals, nothing else (no screening queue). */
export function compose(env: NodeJS.ProcessEnv) {
  const { tables, queues, chains } = readFunctionConfig('kycExpiry', env);
  return {
    investors: new DynamoInvestorRepository(documentClient(), tables.investors),
    audit: dynamoAuditLog(tables.audit),
    allowlist: new SqsAllowlistRequests(sqsClient(), queues.allowlist),
    registries: registriesOf(chains),
    actor: 'system:kyc-expiry',
  };
}

export type KycExpiryDeps = ReturnType<typeof compose>;
