import { readFunctionConfig } from '../../config/function-config';
import { DynamoKycEventStore, DynamoWebhookRefusals, SqsKycEventQueue, webhookSecrets } from '../../modules/kyc/adapters';
import { documentClient } from '../../platform/aws/dynamo';
import { sqsClient } from '../../platform/aws/sqs';

/** The KYC vendors' webhook: their signing secrets, the event store, the hand-off queue, the refusal counters. */
export function compose(env: NodeJS.ProcessEnv) {
  const { tables, queues, secrets } = readFunctionConfig('kycWebhook', env);
  return {
    secretsFor: webhookSecrets(secrets.kycWebhookSecrets),
    store: new DynamoKycEventStore(documentClient(), tables.kycEvents),
    queue: new SqsKycEventQueue(sqsClient(), queues.kyc),
    refusals: new DynamoWebhookRefusals(documentClient(), tables.webhookRefusals),
  };
}

export type KycWebhookDeps = ReturnType<typeof compose>;
