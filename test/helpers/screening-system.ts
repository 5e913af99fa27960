import { randomBytes } from 'node:crypto';
import { ReceiveMessageCommand, DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { ulid } from 'ulid';
import { documentClient } from '../../lambda/platform/aws/dynamo';
import { DynamoAuditStore } from '../../lambda/modules/audit/adapters';
import { DynamoCaseRepository } from '../../lambda/modules/cases/adapters';
import {
  DynamoInvestorBook,
  DynamoListVersionRepository,
  DynamoScreeningRepository,
  S3SnapshotStore,
  SqsRescreenRequests,
} from '../../lambda/modules/screening/adapters';
import { DynamoInvestorRepository, SqsAllowlistRequests } from '../../lambda/modules/investors/adapters';
import { sqsClient } from '../../lambda/platform/aws/sqs';
import { BUCKETS, QUEUES, TABLES } from '../../lambda/config/system';
import { AuditLog } from '../../lambda/modules/audit';
import type { Investor } from '../../lambda/modules/investors';
import { CurrentListCache } from '../../lambda/modules/screening';
import { awsClients, provisionFresh } from './local-env';

/** The screening side of the system on DynamoDB Local and fauxqs (SQS + S3), with fresh resources per call. */
export async function screeningSystem() {
  const env = await provisionFresh();
  const client = documentClient();
  const versions = new DynamoListVersionRepository(client, env[TABLES.listVersions.envVar]!);
  const snapshots = new S3SnapshotStore(awsClients().s3, env[BUCKETS.listSnapshots.envVar]!);
  const audit = new AuditLog(new DynamoAuditStore(client, env[TABLES.audit.envVar]!));
  const investors = new DynamoInvestorRepository(client, env[TABLES.investors.envVar]!);
  return {
    env,
    versions,
    snapshots,
    audit,
    investors,
    cases: new DynamoCaseRepository(client, env[TABLES.cases.envVar]!),
    screenings: new DynamoScreeningRepository(client, env[TABLES.screenings.envVar]!),
    book: new DynamoInvestorBook(client, env[TABLES.investors.envVar]!),
    rescreens: new SqsRescreenRequests(sqsClient(), env[QUEUES.screening.envVar]!),
    allowlist: new SqsAllowlistRequests(sqsClient(), env[QUEUES.allowlist.envVar]!),
    lists: new CurrentListCache({ versions, snapshots }, 0),
    auditTable: env[TABLES.audit.envVar]!,
    screeningQueue: env[QUEUES.screening.envVar]!,
    allowlistQueue: env[QUEUES.allowlist.envVar]!,
  };
}

/** Every message now on a queue (received and deleted), in order. */
export async function drain(queueUrl: string): Promise<Record<string, unknown>[]> {
  const bodies: Record<string, unknown>[] = [];
  for (;;) {
    const { Messages = [] } = await sqsClient().send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 30 }),
    );
    if (Messages.length === 0) return bodies;
    for (const message of Messages) {
      bodies.push(JSON.parse(message.Body!) as Record<string, unknown>);
      await sqsClient().send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
    }
  }
}

/** A stored investor in the given state (as the lifecycle would have left it); by default KYC-approved, so due its first screening. */
export async function storedInvestor(repository: DynamoInvestorRepository, overrides: Partial<Investor> = {}): Promise<Investor> {
  const at = new Date().toISOString();
  const investor: Investor = {
    investorId: ulid(),
    externalId: `ext-${ulid()}`,
    legalName: 'Jane Doe',
    type: 'individual',
    dateOfBirth: '1980-01-31',
    countryOfResidence: 'US',
    wallets: [`0x${randomBytes(20).toString('hex')}`],
    status: 'kyc_approved',
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
  await repository.create(investor);
  return investor;
}
