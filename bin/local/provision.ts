import { CreateTableCommand, DynamoDBClient, type AttributeDefinition, type KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BUCKETS, QUEUES, TABLES, queueNames, type KeySpec, type QueueName, type TableSpec } from '../../lambda/config/system';

/**
 * Creates the tables, queues and buckets of lambda/config/system.ts, with the same keys, indexes,
 * FIFO settings, visibility timeouts and redrive policies as the CDK stack, and returns the
 * environment variables that point the handlers at them.
 */
export async function provision(clients: { dynamodb: DynamoDBClient; sqs: SQSClient; s3: S3Client }, prefix: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  await Promise.all(
    Object.entries(TABLES).map(async ([id, spec]) => {
      const name = `${prefix}-${id}`;
      await clients.dynamodb.send(new CreateTableCommand(tableInput(name, spec)));
      env[spec.envVar] = name;
    }),
  );
  for (const queue of Object.keys(QUEUES) as QueueName[]) {
    const { queueUrl, deadLetterUrl } = await createQueueWithDeadLetter(clients.sqs, prefix, queue);
    env[QUEUES[queue].envVar] = queueUrl;
    env[QUEUES[queue].deadLetterEnvVar] = deadLetterUrl;
  }
  for (const [id, spec] of Object.entries(BUCKETS)) {
    const name = `${prefix}-${id}`.toLowerCase();
    await clients.s3.send(new CreateBucketCommand({ Bucket: name }));
    env[spec.envVar] = name;
  }
  return env;
}

export function tableInput(name: string, spec: TableSpec) {
  const keys = new Map<string, KeySpec>();
  const keySchema = (partition: KeySpec, sort?: KeySpec): KeySchemaElement[] => {
    keys.set(partition.name, partition);
    if (sort) keys.set(sort.name, sort);
    return [{ AttributeName: partition.name, KeyType: 'HASH' }, ...(sort ? [{ AttributeName: sort.name, KeyType: 'RANGE' as const }] : [])];
  };
  const KeySchema = keySchema(spec.partitionKey, spec.sortKey);
  const GlobalSecondaryIndexes = spec.indexes?.map((index) => ({
    IndexName: index.name,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: { ProjectionType: 'ALL' as const },
  }));
  const AttributeDefinitions: AttributeDefinition[] = [...keys.values()].map((key) => ({ AttributeName: key.name, AttributeType: key.type }));
  return { TableName: name, KeySchema, AttributeDefinitions, GlobalSecondaryIndexes, BillingMode: 'PAY_PER_REQUEST' as const };
}

async function createQueueWithDeadLetter(sqs: SQSClient, prefix: string, queue: QueueName): Promise<{ queueUrl: string; deadLetterUrl: string }> {
  const spec = QUEUES[queue];
  const names = queueNames(prefix, queue);
  const fifo: Record<string, string> = spec.fifo ? { FifoQueue: 'true' } : {};
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: names.deadLetter, Attributes: { ...fifo, MessageRetentionPeriod: String(14 * 24 * 3600) } }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }));
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: names.queue,
      Attributes: {
        ...fifo,
        VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes?.QueueArn, maxReceiveCount: spec.maxReceiveCount }),
      },
    }),
  );
  return { queueUrl: main.QueueUrl!, deadLetterUrl: dlq.QueueUrl! };
}
