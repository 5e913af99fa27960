import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { DeployedSuite } from '../../bin/local/chain-deploy';
import { provision } from '../../bin/local/provision';
import { sqsClient } from '../../lambda/platform/aws/sqs';

export const TEST_CHAIN_ID = 31337;

/** Variables the integration setup leaves for the test files. */
export const TEST_ENV = { suite: 'TEST_TREX_SUITE', logDir: 'TEST_LOG_DIR' } as const;

export function deployedSuite(): DeployedSuite {
  const raw = process.env[TEST_ENV.suite];
  if (!raw) throw new Error('integration services are not running: run this test through the jest integration project');
  return JSON.parse(raw) as DeployedSuite;
}

export function awsClients() {
  return { dynamodb: new DynamoDBClient({}), sqs: sqsClient(), s3: new S3Client({ forcePathStyle: true }) };
}

/** Fresh tables, queues and buckets from lambda/config/system.ts under a unique prefix; returns their env. */
export async function provisionFresh(): Promise<Record<string, string>> {
  return provision(awsClients(), `t${randomBytes(4).toString('hex')}`);
}
