import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deployTrexSuite } from '../../bin/local/chain-deploy';
import { startDynamoDbLocal, startFauxqs, startHardhatNode, type LocalService } from '../../bin/local/services';
import { TEST_CHAIN_ID, TEST_ENV } from './local-env';

/** Starts the real local services once for the integration project; test files make their own tables and queues. */
export default async function integrationSetup(): Promise<void> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'tc-integration-'));
  const logDir = path.join(workDir, 'logs');
  const services: LocalService[] = [];
  const track = (service: LocalService) => (services.push(service), service);
  (globalThis as { __integrationServices?: LocalService[] }).__integrationServices = services;

  const [dynamodb, fauxqs, chain] = await Promise.all([
    startDynamoDbLocal({ logDir }).then(track),
    startFauxqs({ logDir }).then(track),
    startHardhatNode({ logDir, chainId: TEST_CHAIN_ID, workDir: path.join(workDir, 'hardhat') }).then(track),
  ]);
  const suite = await deployTrexSuite({ rpcUrl: chain.endpoint, chainId: TEST_CHAIN_ID, name: 'hardhat-test' });

  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
    AWS_ENDPOINT_URL_SQS: fauxqs.endpoint,
    AWS_ENDPOINT_URL_S3: fauxqs.endpoint,
    [TEST_ENV.suite]: JSON.stringify(suite),
    [TEST_ENV.logDir]: logDir,
  });
}
