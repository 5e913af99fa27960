import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import { IDENTITY_REGISTRY_ABI } from '../../lambda/modules/allowlist/adapters';
import { TABLES } from '../../lambda/config/system';
import { caseIdFor } from '../../lambda/modules/cases';
import type { Investor } from '../../lambda/modules/investors';
import { entryHashOf } from '../../lambda/modules/screening/list';
import { subjectHashOf } from '../../lambda/modules/screening';
import { subjectOf } from '../../lambda/modules/screening/subject';
import { api, eventually, registerWithKyc, runningSystem } from '../helpers/e2e-system';
import { realList } from '../helpers/ofac-data';

const system = runningSystem();
const chain = system.chains[0]!;
const registry = new Contract(chain.identityRegistry, IDENTITY_REGISTRY_ABI, new JsonRpcProvider(chain.rpcUrl, chain.chainId, { staticNetwork: true }));
const tables = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: system.env.AWS_ENDPOINT_URL_DYNAMODB, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
);

async function caseById(caseId: string) {
  const { Item } = await tables.send(new GetCommand({ TableName: system.env[TABLES.cases.envVar], Key: { caseId }, ConsistentRead: true }));
  return Item;
}

async function auditTypes(investorId: string): Promise<string[]> {
  const { Items = [] } = await tables.send(
    new QueryCommand({
      TableName: system.env[TABLES.audit.envVar],
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'stream' },
      ExpressionAttributeValues: { ':s': `investor#${investorId}` },
      ConsistentRead: true,
    }),
  );
  return Items.map((item) => item.type as string);
}

/** Registered and approved by the KYC vendor: screening follows the approval. */
async function register(registration: Parameters<typeof registerWithKyc>[1]): Promise<Investor> {
  const { investorId } = await registerWithKyc(system, registration);
  return (await api(system, 'GET', `/investors/${investorId}`, { role: 'portal' })).body as unknown as Investor;
}

describe('screening in the running system (the 2024-05-03 list, seeded by `npm start`)', () => {
  it('suspends an investor whose wallet is on the list, opens a high-risk wallet-hit case and never registers the wallet', async () => {
    const listed = realList().entries.flatMap((entry) =>
      entry.wallets.filter((wallet) => wallet.address.startsWith('0x')).map((wallet) => ({ sdnId: entry.sdnId, address: wallet.address.toLowerCase() })),
    )[1]!;
    const clean = Wallet.createRandom().address.toLowerCase();
    const investor = await register({
      externalId: `e2e-hit-${clean}`,
      legalName: 'Pat Example',
      dateOfBirth: '1975-05-05',
      countryOfResidence: 'GB',
      wallets: [clean, listed.address],
    });

    const suspended = await eventually(async () => {
      const { body } = await api(system, 'GET', `/investors/${investor.investorId}`, { role: 'portal' });
      return body.status === 'suspended' ? body : undefined;
    });
    expect(suspended.status).toBe('suspended');
    const entry = realList().entries.find((candidate) => candidate.sdnId === listed.sdnId)!;
    const opened = await eventually(async () =>
      caseById(caseIdFor(`wallet_hit|${investor.investorId}|${listed.sdnId}|${listed.address}|${subjectHashOf(subjectOf(investor))}|${entryHashOf(entry)}`)),
    );
    expect(opened).toMatchObject({ type: 'wallet_hit', risk: 'high', status: 'open' });
    expect(await auditTypes(investor.investorId)).toEqual(['investor.registered', 'investor.kyc_approved', 'screening.completed', 'investor.suspended']);
    expect(await registry.getFunction('isVerified')(clean)).toBe(false);
  });

  it('holds back an investor whose name matches a listed person and opens a potential-match case', async () => {
    const wallet = Wallet.createRandom().address.toLowerCase();
    const investor = await register({
      externalId: `e2e-name-${wallet}`,
      legalName: 'Nicolás Maduro Moros',
      dateOfBirth: '1962-11-23',
      countryOfResidence: 'VE',
      wallets: [wallet],
    });
    // The move to `screened` is the last step of the screening; a review stops there.
    await eventually(async () => (await api(system, 'GET', `/investors/${investor.investorId}`, { role: 'portal' })).body.status === 'screened');
    expect(await auditTypes(investor.investorId)).toEqual(['investor.registered', 'investor.kyc_approved', 'screening.completed']);

    const entry = realList().entries.find((candidate) => candidate.sdnId === 22790)!;
    const key = `potential_match|${investor.investorId}|22790|${subjectHashOf(subjectOf(investor))}|${entryHashOf(entry)}`;
    const opened = await eventually(async () => caseById(caseIdFor(key)));
    expect(opened).toMatchObject({ type: 'potential_match', status: 'open', evidence: { entry: { sdnId: 22790 }, matchedOn: 'name' } });
    expect(await registry.getFunction('isVerified')(wallet)).toBe(false);
  });

  it('screens against the consolidated non-SDN lists too: an SSI entity opens a potential-match case that says what the listing means, never a block', async () => {
    const wallet = Wallet.createRandom().address.toLowerCase();
    const investor = await register({
      externalId: `e2e-ssi-${wallet}`,
      legalName: 'Rosneft Oil Company',
      type: 'entity',
      countryOfResidence: 'GB',
      wallets: [wallet],
    });
    await eventually(async () => (await api(system, 'GET', `/investors/${investor.investorId}`, { role: 'portal' })).body.status === 'screened');
    const { Items = [] } = await tables.send(
      new QueryCommand({
        TableName: system.env[TABLES.screenings.envVar],
        KeyConditionExpression: 'investorId = :id',
        ExpressionAttributeValues: { ':id': investor.investorId },
        ConsistentRead: true,
      }),
    );
    const record = Items[0]!;
    expect(record.listVersion).toMatch(/^ofac-sdn:2024-05-03:[0-9a-f]{16}\+ofac-cons:/);
    const match = (record.matches as { sdnId: number; list: string; outcome: string; evidence: { entryHash: string } }[]).find(
      (candidate) => candidate.list === 'ofac-cons',
    )!;
    expect(match).toMatchObject({ sdnId: 17022, outcome: 'review' });
    const opened = await eventually(async () =>
      caseById(caseIdFor(`potential_match|${investor.investorId}|ofac-cons:17022|${record.subjectHash as string}|${match.evidence.entryHash}`)),
    );
    expect(opened).toMatchObject({ type: 'potential_match', status: 'open', evidence: { list: { id: 'ofac-cons', blocking: false }, outcome: 'review' } });
    expect(await registry.getFunction('isVerified')(wallet)).toBe(false);
  });
});
