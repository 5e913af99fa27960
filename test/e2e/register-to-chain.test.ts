import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import { IDENTITY_REGISTRY_ABI } from '../../lambda/modules/allowlist/adapters';
import { TABLES } from '../../lambda/config/system';
import { GENESIS_HASH, type AuditRecord } from '../../lambda/modules/audit';
import { hashOf } from '../../lambda/modules/audit/record';
import { api, eventually, registerWithKyc, runningSystem } from '../helpers/e2e-system';

const system = runningSystem();
const registries = system.chains.map(
  (chain) => new Contract(chain.identityRegistry, IDENTITY_REGISTRY_ABI, new JsonRpcProvider(chain.rpcUrl, chain.chainId, { staticNetwork: true })),
);
const registry = registries[0]!;
const audit = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: system.env.AWS_ENDPOINT_URL_DYNAMODB, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
);

function registration(wallet: string, externalId = `e2e-${wallet}`) {
  return { externalId, legalName: 'Jane Doe', dateOfBirth: '1980-01-31', countryOfResidence: 'US', wallets: [wallet] };
}

async function auditTrail(investorId: string): Promise<AuditRecord[]> {
  const { Items = [] } = await audit.send(
    new QueryCommand({
      TableName: system.env[TABLES.audit.envVar],
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'stream' },
      ExpressionAttributeValues: { ':s': `investor#${investorId}` },
      ConsistentRead: true,
    }),
  );
  return Items as AuditRecord[];
}

describe('POST /investors → KYC approval → screening → allowlist → ERC-3643 registry', () => {
  it("verifies a registered investor's wallet on every chain once the KYC vendor approves, with an audit record for each step", async () => {
    const wallet = Wallet.createRandom().address.toLowerCase();
    expect(await registry.getFunction('isVerified')(wallet)).toBe(false);

    const { investorId } = await registerWithKyc(system, registration(wallet));

    expect(registries).toHaveLength(2);
    await eventually(async () =>
      (await Promise.all(registries.map((contract) => contract.getFunction('isVerified')(wallet) as Promise<boolean>))).every(Boolean),
    );
    const investor = await eventually(async () => {
      const { body } = await api(system, 'GET', `/investors/${investorId}`, { role: 'portal' });
      return body.status === 'allowlisted' ? body : undefined;
    });
    expect(investor).toMatchObject({ investorId, wallets: [wallet], version: 5, kyc: { vendor: 'sumsub', verdict: 'approved' } });

    const trail = await eventually(async () => {
      const records = await auditTrail(investorId);
      return records.length >= 7 ? records : undefined;
    });
    // One registration per chain (the chains' workers run in parallel); the first moves the investor to allowlisted.
    const types = trail.map((record) => record.type);
    expect(types.slice(0, 5)).toEqual(['investor.registered', 'investor.kyc_approved', 'screening.completed', 'investor.eligible', 'allowlist.registered']);
    expect(types.slice(5).sort()).toEqual(['allowlist.registered', 'investor.allowlisted']);
    expect(new Set(trail.filter((record) => record.type === 'allowlist.registered').map((record) => record.data.chainId))).toEqual(
      new Set(system.chains.map((chain) => chain.chainId)),
    );
    trail.forEach((record, index) => {
      expect(record.prevHash).toBe(index === 0 ? GENESIS_HASH : trail[index - 1]!.hash);
      const { hash, ...unsigned } = record;
      expect(hashOf(unsigned)).toBe(hash);
    });
    expect(trail[0]!.actor).toBe('portal:portal-app');
    expect(JSON.stringify(trail)).not.toContain('Jane Doe');
  });

  it('answers a repeated registration with the first investor and registers the wallet once', async () => {
    const wallet = Wallet.createRandom().address.toLowerCase();
    const { investorId, applicantId } = await registerWithKyc(system, registration(wallet));
    const again = await api(system, 'POST', '/investors', { role: 'portal', body: { ...registration(wallet), kyc: { vendor: 'sumsub', applicantId } } });
    expect(again.status).toBe(200);
    expect(again.body.investorId).toBe(investorId);
    await eventually(async () => (await api(system, 'GET', `/investors/${investorId}`, { role: 'portal' })).body.status === 'allowlisted');
    await eventually(async () => (await auditTrail(investorId)).filter((record) => record.type === 'allowlist.registered').length >= system.chains.length);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const trail = await auditTrail(investorId);
    expect(trail.filter((record) => record.type === 'allowlist.registered')).toHaveLength(system.chains.length);
  });
});

describe('bad requests change nothing', () => {
  it('rejects a request without a token with 401 and one with the wrong role with 403', async () => {
    const wallet = Wallet.createRandom().address;
    expect((await api(system, 'POST', '/investors', { body: registration(wallet) })).status).toBe(401);
    expect((await api(system, 'POST', '/investors', { body: registration(wallet), headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
    const forbidden = await api(system, 'POST', '/investors', { role: 'auditor', body: registration(wallet) });
    expect(forbidden.status).toBe(403);
    expect((forbidden.body.error as { code: string }).code).toBe('FORBIDDEN');
    // Nothing was stored: the same registration is new to the system.
    expect((await api(system, 'POST', '/investors', { role: 'portal', body: registration(wallet) })).status).toBe(201);
  });

  it('names the invalid fields without echoing their values', async () => {
    const response = await api(system, 'POST', '/investors', {
      role: 'portal',
      body: { externalId: 'bad-1', legalName: 'Secret Person', dateOfBirth: '31/01/1980', countryOfResidence: 'QQ', wallets: ['0xnot-an-address'] },
    });
    expect(response.status).toBe(400);
    const issues = (response.body.error as { issues: { field: string }[] }).issues.map((issue) => issue.field).sort();
    expect(issues).toEqual(['countryOfResidence', 'dateOfBirth', 'wallets.0']);
    expect(JSON.stringify(response.body)).not.toMatch(/Secret Person|31\/01\/1980|QQ|not-an-address/);
    expect((await api(system, 'POST', '/investors', { role: 'portal', rawBody: '{"externalId":' })).status).toBe(400);
    const valid = await api(system, 'POST', '/investors', { role: 'portal', body: registration(Wallet.createRandom().address, 'bad-1') });
    expect(valid.status).toBe(201);
  });

  it('answers unknown routes and investors with 404', async () => {
    expect((await api(system, 'GET', '/nothing-here', { role: 'portal' })).status).toBe(404);
    expect((await api(system, 'GET', '/investors/01NOSUCHINVESTOR', { role: 'portal' })).status).toBe(404);
  });
});
