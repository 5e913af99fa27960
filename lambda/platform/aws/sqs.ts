import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';

let shared: SQSClient | undefined;

/**
 * One client per process; the endpoint comes from the SDK's configuration (AWS_ENDPOINT_URL_SQS
 * locally). Where an endpoint is configured it wins over the host in a queue URL: local emulators
 * hand out AWS-style URLs (sqs.us-east-1.localhost) that this machine's DNS does not resolve.
 */
export function sqsClient(env: NodeJS.ProcessEnv = process.env): SQSClient {
  shared ??= new SQSClient({ useQueueUrlAsEndpoint: env.AWS_ENDPOINT_URL_SQS === undefined });
  return shared;
}

/** Makes a failed message visible again after `seconds`: the retry backoff. */
export async function retryAfter(client: SQSClient, queueUrl: string, receiptHandle: string, seconds: number): Promise<void> {
  await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
}
