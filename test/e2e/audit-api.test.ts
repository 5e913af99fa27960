import { Wallet } from 'ethers';
import { verifyExport, type AuditRecord, type ExportManifest, type VerifyReport } from '../../lambda/modules/audit';
import { api, eventually, registerWithKyc, runningSystem } from '../helpers/e2e-system';

const system = runningSystem();
/** registered, kyc_approved, screening.completed, eligible, allowlisted, and one allowlist.registered per chain. */
const RECORDS_PER_INVESTOR = 5 + system.chains.length;

async function allowlistedInvestor(): Promise<{ investorId: string; wallet: string; registeredAt: string }> {
  const wallet = Wallet.createRandom().address.toLowerCase();
  const registeredAt = new Date().toISOString();
  const { investorId } = await registerWithKyc(system, {
    externalId: `audit-${wallet}`,
    legalName: 'Jane Doe',
    dateOfBirth: '1980-01-31',
    countryOfResidence: 'US',
    wallets: [wallet],
  });
  await eventually(async () => (await api(system, 'GET', `/investors/${investorId}`, { role: 'portal' })).body.status === 'allowlisted');
  // Every chain's registration is recorded, not only the first that made the investor allowlisted.
  await eventually(
    async () =>
      ((await api(system, 'GET', `/audit/records?investorId=${investorId}&limit=50`, { role: 'auditor' })).body.records as AuditRecord[]).length ===
      RECORDS_PER_INVESTOR,
  );
  return { investorId, wallet, registeredAt };
}

describe('auditor API on the local runner', () => {
  it("answers an investor's and a wallet's records, page by page, without personal data beyond what an auditor needs", async () => {
    const { investorId, wallet } = await allowlistedInvestor();
    const byInvestor = await api(system, 'GET', `/audit/records?investorId=${investorId}&limit=2`, { role: 'auditor' });
    expect(byInvestor.status).toBe(200);
    expect((byInvestor.body.records as AuditRecord[]).map((r) => r.seq)).toEqual([1, 2]);
    const rest = await api(system, 'GET', `/audit/records?investorId=${investorId}&limit=10&cursor=${byInvestor.body.cursor as string}`, { role: 'auditor' });
    const restTypes = (rest.body.records as AuditRecord[]).map((r) => r.type);
    expect(restTypes.slice(0, 2)).toEqual(['screening.completed', 'investor.eligible']);
    expect(restTypes.filter((type) => type === 'allowlist.registered')).toHaveLength(system.chains.length);
    expect(restTypes.filter((type) => type === 'investor.allowlisted')).toHaveLength(1);

    const byWallet = await api(system, 'GET', `/audit/records?wallet=${wallet.toUpperCase().replace('0X', '0x')}`, { role: 'auditor' });
    const walletTypes = (byWallet.body.records as AuditRecord[]).map((r) => r.type);
    expect(walletTypes[0]).toBe('investor.registered');
    expect(walletTypes.slice(1).sort()).toEqual([...Array(system.chains.length).fill('allowlist.registered'), 'investor.allowlisted'].sort());
    expect(JSON.stringify([byInvestor.body, rest.body])).not.toMatch(/Jane Doe|1980-01-31/);
  });

  it('exports a range with a signed manifest that verifies offline once a checkpoint has sealed it', async () => {
    const { investorId, registeredAt } = await allowlistedInvestor();
    // The local runner seals a checkpoint every 10 s, 2 s after the records' time.
    const sealed = await eventually(
      async () => {
        const result = await api(system, 'POST', '/audit/exports', { role: 'auditor', body: { query: { investorId } } });
        const manifest = result.body.manifest as ExportManifest;
        return manifest.payload.streams[0]?.runs[0]?.proof?.seq === RECORDS_PER_INVESTOR ? result.body : undefined;
      },
      40_000,
      1000,
    );
    const key = await api(system, 'GET', '/audit/public-key', { role: 'auditor' });
    expect(key.body).toMatchObject({ algorithm: 'ECDSA_P256_SHA256', publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY') });

    const report = verifyExport(sealed.jsonl as string, sealed.manifest as ExportManifest, key.body.publicKeyPem as string);
    expect(report).toMatchObject({ ok: true, records: RECORDS_PER_INVESTOR, breaks: [], warnings: [] });
    expect((sealed.manifest as ExportManifest).payload.query).toEqual({ investorId });

    const linked = await api(system, 'POST', '/audit/exports', {
      role: 'auditor',
      body: { query: { from: registeredAt, type: 'investor.registered' }, delivery: 'link' },
    });
    expect(linked.body).toMatchObject({ delivery: 'link', exportUrl: expect.stringMatching(/^http/), manifestUrl: expect.stringMatching(/^http/) });
    const [jsonl, manifest] = await Promise.all([
      fetch(linked.body.exportUrl as string).then((r) => r.text()),
      fetch(linked.body.manifestUrl as string).then((r) => r.json() as Promise<ExportManifest>),
    ]);
    expect(verifyExport(jsonl, manifest, key.body.publicKeyPem as string).breaks).toEqual([]);
    expect(jsonl).toContain(investorId);
  });

  it('verifies the whole stored log and one stream', async () => {
    const { investorId } = await allowlistedInvestor();
    const whole = await api(system, 'GET', '/audit/verify', { role: 'auditor' });
    expect(whole.status).toBe(200);
    expect((whole.body as unknown as VerifyReport).breaks).toEqual([]);
    const one = await api(system, 'GET', `/audit/verify?stream=${encodeURIComponent(`investor#${investorId}`)}`, { role: 'auditor' });
    expect(one.body).toMatchObject({ ok: true, records: RECORDS_PER_INVESTOR, streams: 1 });
  });

  it('is for auditors only, and names what to fix in a bad query without echoing it or changing anything', async () => {
    expect((await api(system, 'GET', '/audit/records?type=investor.registered', { role: 'portal' })).status).toBe(403);
    expect((await api(system, 'GET', '/audit/records?type=investor.registered')).status).toBe(401);
    expect((await api(system, 'POST', '/audit/exports', { role: 'compliance-officer', body: { query: { type: 'investor.registered' } } })).status).toBe(403);

    const bad = await api(system, 'GET', '/audit/records?wallet=0xSECRETVALUE&from=yesterday&limit=5000', { role: 'auditor' });
    expect(bad.status).toBe(400);
    expect((bad.body.error as { issues: { field: string }[] }).issues.map((issue) => issue.field).sort()).toEqual(['from', 'wallet']);
    expect(JSON.stringify(bad.body)).not.toMatch(/SECRETVALUE|yesterday/);
    const both = await api(system, 'GET', '/audit/records?investorId=a&caseId=b', { role: 'auditor' });
    expect((both.body.error as { issues: { field: string }[] }).issues.map((issue) => issue.field)).toEqual(['caseId']);
    expect((await api(system, 'GET', '/audit/records?type=investor.registered&limit=0', { role: 'auditor' })).status).toBe(400);
    expect((await api(system, 'GET', '/audit/records?type=investor.registered&cursor=forged', { role: 'auditor' })).status).toBe(400);
    expect((await api(system, 'POST', '/audit/exports', { role: 'auditor', body: { query: {}, extra: true } })).status).toBe(400);
    expect((await api(system, 'GET', '/audit/verify?everything=1', { role: 'auditor' })).status).toBe(400);
  });
});
