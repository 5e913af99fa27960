import { readFunctionConfig } from '../../config/function-config';
import { dynamoAuditLog } from '../../modules/audit/adapters';
import { DynamoKycEventStore, SqsKycEventQueue, webhookSecrets } from '../../modules/kyc/adapters';
import { documentClient } from '../../platform/aws/dynamo';
import { sqsClient } from '../../platform/aws/sqs';

/** The KYC vendors' webhook: their signing secrets, the event store, the hand-off queue. */
export function compose(env: NodeJS.ProcessEnv) {
  const { tables, queues, secrets } = readFunctionConfig('kycWebhook', env);
  return {
    secretsFor: webhookSecrets(secrets.kycWebhookSecrets),
    store: new DynamoKycEventStore(documentClient(), tables.kycEvents),
    queue: new SqsKycEventQueue(sqsClient(), queues.kyc),
    audit: dynamoAuditLog(tables.audit),
  };
}

export type KycWebhookDeps = ReturnType<typeof compose>;
