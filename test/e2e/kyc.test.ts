import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import { readFileSync } from 'node:fs';
import { IDENTITY_REGISTRY_ABI } from '../../lambda/modules/allowlist/adapters';
import type { AuditRecord } from '../../lambda/modules/audit';
import { signWebhook } from '../../lambda/modules/kyc';
import type { KycVendor } from '../../lambda/shared';
import { LOCAL_KYC_CREDENTIALS } from '../../bin/local/kyc';
import { kycPayload } from '../../bin/local/vendor-simulator/payloads';
import { api, eventually, kycDecide, personOf, registerWithKyc, runningSystem } from '../helpers/e2e-system';
import { E2E_RUNNER_LOG_ENV } from '../helpers/e2e-setup';

const system = runningSystem();
const registries = system.chains.map(
  (chain) => new Contract(chain.identityRegistry, IDENTITY_REGISTRY_ABI, new JsonRpcProvider(chain.rpcUrl, chain.chainId, { staticNetwork: true })),
);

let sequence = 0;
/** A registration unique to this run; the marker in the name lets the log test find any leak. */
function registration(overrides: Partial<{ legalName: string; dateOfBirth: string; countryOfResidence: string; nationality: string }> = {}) {
  const externalId = `kyc-e2e-${Date.now()}-${++sequence}`;
  return {
    externalId,
    legalName: `Piimarker Quintessa Ostrowska${sequence}`,
    dateOfBirth: '1984-03-09',
    countryOfResidence: 'US',
    wallets: [Wallet.createRandom().address.toLowerCase()],
    ...overrides,
  };
}

const verifiedEverywhere = async (wallet: string) =>
  (await Promise.all(registries.map((registry) => registry.getFunction('isVerified')(wallet) as Promise<boolean>))).every(Boolean);
const verifiedNowhere = async (wallet: string) =>
  !(await Promise.all(registries.map((registry) => registry.getFunction('isVerified')(wallet) as Promise<boolean>))).some(Boolean);

async function investor(investorId: string) {
  return (await api(system, 'GET', `/investors/${investorId}`, { role: 'operator' })).body;
}

async function reaches(investorId: string, status: string, timeoutMs = 30_000) {
  return eventually(async () => {
    const current = await investor(investorId);
    return current.status === status ? current : undefined;
  }, timeoutMs);
}

/** Every audit record about the investor, as an auditor reads them (investor, KYC and case streams). */
async function trail(investorId: string): Promise<AuditRecord[]> {
  const { status, body } = await api(system, 'GET', `/audit/records?investorId=${investorId}&limit=200`, { role: 'auditor' });
  expect(status).toBe(200);
  return body.records as AuditRecord[];
}

const recorded = (investorId: string, type: string) => eventually(async () => (await trail(investorId)).find((record) => record.type === type));

/** Posts a webhook as `vendor` would sign it (or with the given headers), raw bytes as given. */
async function deliver(vendor: string, rawBody: Buffer | string, headers?: Record<string, string>) {
  const body = Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody);
  const signed =
    headers ??
    signWebhook(vendor as KycVendor, body, LOCAL_KYC_CREDENTIALS.webhookSecrets[vendor as KycVendor], {
      now: new Date(),
      id: `msg_${Date.now()}_${++sequence}`,
    });
  const response = await fetch(`${system.apiUrl}/webhooks/kyc/${vendor}`, { method: 'POST', headers: { ...signed, 'content-type': 'application/json' }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function registered(body: ReturnType<typeof registration>, vendor: string) {
  const applicantId = `applicant-${body.externalId}`;
  const created = await api(system, 'POST', '/investors', { role: 'portal', body: { ...body, kyc: { vendor, applicantId } } });
  expect(created.status).toBe(201);
  return { investorId: created.body.investorId as string, applicantId };
}

describe('KYC webhooks from each vendor through the local API', () => {
  it.each(['onfido', 'persona', 'veriff', 'standard-webhooks'])('%s: an approval takes the investor to the allowlist on every chain', async (vendor) => {
    const body = registration();
    const { investorId, applicantId } = await registered(body, vendor);
    expect((await investor(investorId)).status).toBe('kyc_pending');
    const delivered = await kycDecide(system, { vendor, applicantId, verdict: 'approved', externalReference: body.externalId, person: personOf(body) });
    expect(delivered.status).toBe(200);
    await eventually(() => verifiedEverywhere(body.wallets[0]!), 30_000);
    expect(await reaches(investorId, 'allowlisted')).toMatchObject({ kyc: { vendor, verdict: 'approved', applicantId } });
  });

  it('onfido: enriches the verdict from the vendor API, finding the investor by the applicant behind the workflow run', async () => {
    // Onfido's workflow_run.completed names only the run: applicant and person come from its API.
    const body = registration();
    const { investorId } = await registered(body, 'onfido');
    const conflicting = { ...personOf(body), dateOfBirth: '1990-12-12' };
    expect((await kycDecide(system, { vendor: 'onfido', applicantId: `applicant-${body.externalId}`, verdict: 'approved', person: conflicting })).status).toBe(
      200,
    );
    // The person the API returns differs from the registration: a case for an officer, never an approval.
    const opened = await recorded(investorId, 'case.opened');
    expect(opened.data).toMatchObject({ type: 'kyc_conflict', risk: 'high' });
    expect((await recorded(investorId, 'kyc.event.conflict')).data).toMatchObject({ conflictingFields: ['dateOfBirth'] });
    expect((await investor(investorId)).status).toBe('kyc_pending');
  });
});

describe('verdicts that change or arrive out of order', () => {
  it('sumsub: GREEN then RED revokes (wallets leave the chain); a stale GREEN delivered afterwards changes nothing', async () => {
    const body = registration();
    const { investorId, applicantId } = await registerWithKyc(system, body);
    await eventually(() => verifiedEverywhere(body.wallets[0]!), 30_000);
    await reaches(investorId, 'allowlisted');

    const red = await kycDecide(system, {
      vendor: 'sumsub',
      applicantId,
      verdict: 'rejected',
      externalReference: body.externalId,
      at: new Date(Date.now() + 1_000).toISOString(),
    });
    expect(red.status).toBe(200);
    await reaches(investorId, 'kyc_rejected');
    await eventually(() => verifiedNowhere(body.wallets[0]!), 30_000);

    const staleGreen = await kycDecide(system, {
      vendor: 'sumsub',
      applicantId,
      verdict: 'approved',
      externalReference: body.externalId,
      at: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(staleGreen.status).toBe(200);
    expect((await recorded(investorId, 'kyc.event.stale')).data).toMatchObject({ reason: expect.stringMatching(/newer verdict/) });
    expect(await investor(investorId)).toMatchObject({ status: 'kyc_rejected', kyc: { verdict: 'rejected' } });
    expect(await verifiedNowhere(body.wallets[0]!)).toBe(true);
  });

  it('veriff: a decline that overtakes an earlier approval wins; the approval never allowlists', async () => {
    const body = registration();
    const { investorId, applicantId } = await registered(body, 'veriff');
    const decidedAt = Date.now();
    const person = personOf(body);
    expect(
      (
        await kycDecide(system, {
          vendor: 'veriff',
          applicantId,
          verdict: 'rejected',
          externalReference: body.externalId,
          person,
          at: new Date(decidedAt).toISOString(),
        })
      ).status,
    ).toBe(200);
    await reaches(investorId, 'kyc_rejected');
    expect(
      (
        await kycDecide(system, {
          vendor: 'veriff',
          applicantId,
          verdict: 'approved',
          externalReference: body.externalId,
          person,
          at: new Date(decidedAt - 5_000).toISOString(),
        })
      ).status,
    ).toBe(200);
    await recorded(investorId, 'kyc.event.stale');
    expect((await investor(investorId)).status).toBe('kyc_rejected');
    expect(await verifiedNowhere(body.wallets[0]!)).toBe(true);
  });
});

describe('duplicate delivery', () => {
  it('processes the same signed bytes once, however often they arrive', async () => {
    const body = registration();
    const { investorId, applicantId } = await registered(body, 'sumsub');
    // The applicant exists at the vendor (its API serves the person the GREEN verdict is enriched with).
    expect(
      (await kycDecide(system, { vendor: 'sumsub', applicantId, verdict: 'pending', externalReference: body.externalId, person: personOf(body) })).status,
    ).toBe(200);
    const raw = Buffer.from(
      JSON.stringify(kycPayload.sumsub({ applicantId, externalReference: body.externalId, at: new Date(), reviewResult: { reviewAnswer: 'GREEN' } })),
    );
    const headers = signWebhook('sumsub', raw, LOCAL_KYC_CREDENTIALS.webhookSecrets.sumsub, { now: new Date() });
    const answers = await Promise.all([deliver('sumsub', raw, headers), deliver('sumsub', raw, headers), deliver('sumsub', raw, headers)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(answers.filter((answer) => answer.body.duplicate === false)).toHaveLength(1);
    await reaches(investorId, 'allowlisted');
    expect((await deliver('sumsub', raw, headers)).body).toEqual({ received: true, duplicate: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const records = await trail(investorId);
    expect(records.filter((record) => record.type === 'investor.kyc_approved')).toHaveLength(1);
  });
});

describe('bad webhooks and registrations change nothing', () => {
  it('answers a wrong or missing signature and a stale timestamp with 401, an unknown vendor with 404, an oversize body with 413 and a schema failure with 400', async () => {
    const body = registration();
    const { investorId, applicantId } = await registered(body, 'persona');
    const before = await investor(investorId);
    const raw = Buffer.from(
      JSON.stringify(
        kycPayload.persona({
          name: 'inquiry.approved',
          eventId: `evt_${Date.now()}`,
          applicantId,
          externalReference: body.externalId,
          person: personOf(body),
          at: new Date(),
        }),
      ),
    );

    const wrongSecret = signWebhook('persona', raw, 'not-the-secret', { now: new Date() });
    expect((await deliver('persona', raw, wrongSecret)).status).toBe(401);
    expect((await deliver('persona', raw, {})).status).toBe(401);
    const tenMinutesAgo = signWebhook('persona', raw, LOCAL_KYC_CREDENTIALS.webhookSecrets.persona, { now: new Date(Date.now() - 600_000) });
    const stale = await deliver('persona', raw, tenMinutesAgo);
    expect(stale.status).toBe(401);
    expect(JSON.stringify(stale.body)).toMatch(/timestamp/i);
    const tampered = Buffer.from(raw.toString('utf8').replace('inquiry.approved', 'inquiry.approvef'));
    expect((await deliver('persona', tampered, signWebhook('persona', raw, LOCAL_KYC_CREDENTIALS.webhookSecrets.persona, { now: new Date() }))).status).toBe(
      401,
    );
    expect((await deliver('acme-kyc', raw)).status).toBe(404);
    expect((await deliver('persona', Buffer.alloc(300 * 1024, 0x20))).status).toBe(413);

    const schemaFailure = await deliver(
      'persona',
      JSON.stringify({
        data: {
          type: 'event',
          id: 'evt_bad',
          attributes: { name: 'inquiry.approved', payload: { data: { id: 7, attributes: { 'name-first': 'Piimarker' } } } },
        },
      }),
    );
    expect(schemaFailure.status).toBe(400);
    expect(JSON.stringify(schemaFailure.body)).not.toContain('Piimarker');
    expect((schemaFailure.body.error as { issues: { field: string }[] }).issues.length).toBeGreaterThan(0);
    expect((await deliver('persona', '{"data":')).status).toBe(400);

    expect(await investor(investorId)).toEqual(before);
    // The valid delivery afterwards is the first this system accepts for that event.
    expect((await deliver('persona', raw)).body).toEqual({ received: true, duplicate: false });
    await reaches(investorId, 'allowlisted');
  });

  it('refuses residents or nationals of a blocked country with 422 and stores nothing', async () => {
    const body = registration({ countryOfResidence: 'KP' });
    const refused = await api(system, 'POST', '/investors', {
      role: 'portal',
      body: { ...body, kyc: { vendor: 'sumsub', applicantId: `applicant-${body.externalId}` } },
    });
    expect(refused.status).toBe(422);
    expect((refused.body.error as { code: string }).code).toBe('JURISDICTION_BLOCKED');
    const national = registration({ nationality: 'IR' });
    expect((await api(system, 'POST', '/investors', { role: 'portal', body: national })).status).toBe(422);
    // Nothing was claimed: the same wallet and externalId register fine in an allowed country.
    expect((await api(system, 'POST', '/investors', { role: 'portal', body: { ...body, countryOfResidence: 'US' } })).status).toBe(201);
  });
});

describe('wallets and the lifecycle after onboarding', () => {
  it('adds a wallet to the chain after screening, removes one, suspends, reinstates and offboards (every wallet leaves)', async () => {
    const body = registration();
    const { investorId } = await registerWithKyc(system, body);
    const [first] = body.wallets as [string];
    await eventually(() => verifiedEverywhere(first), 30_000);

    const second = Wallet.createRandom().address.toLowerCase();
    expect((await api(system, 'POST', `/investors/${investorId}/wallets`, { role: 'portal', body: { wallet: second } })).status).toBe(200);
    await eventually(() => verifiedEverywhere(second), 30_000);

    const taken = await api(system, 'POST', '/investors', { role: 'portal', body: { ...registration(), wallets: [second] } });
    expect(taken.status).toBe(409);

    expect((await api(system, 'DELETE', `/investors/${investorId}/wallets/${first}`, { role: 'portal' })).status).toBe(200);
    await eventually(() => verifiedNowhere(first), 30_000);
    expect(await verifiedEverywhere(second)).toBe(true);

    expect((await api(system, 'POST', `/investors/${investorId}/suspend`, { role: 'portal', body: { reason: 'dispute' } })).status).toBe(403);
    expect((await api(system, 'POST', `/investors/${investorId}/suspend`, { role: 'operator', body: { reason: 'court order' } })).status).toBe(200);
    await eventually(() => verifiedNowhere(second), 30_000);
    // A wallet was removed since the last screening: reinstatement asks for a screening of the current data first.
    const first409 = await api(system, 'POST', `/investors/${investorId}/reinstate`, { role: 'operator' });
    expect(first409.status).toBe(409);
    expect(JSON.stringify(first409.body)).toMatch(/screening is now requested/);
    await eventually(async () => (await api(system, 'POST', `/investors/${investorId}/reinstate`, { role: 'operator' })).status === 200, 30_000, 500);
    await eventually(() => verifiedEverywhere(second), 30_000);

    expect((await api(system, 'POST', `/investors/${investorId}/offboard`, { role: 'operator', body: { reason: 'redeemed and left' } })).status).toBe(200);
    await eventually(() => verifiedNowhere(second), 30_000);
    expect((await investor(investorId)).status).toBe('offboarded');
    expect((await api(system, 'POST', `/investors/${investorId}/wallets`, { role: 'portal', body: { wallet: Wallet.createRandom().address } })).status).toBe(
      409,
    );
  });
});

describe('personal data', () => {
  it('never reaches the logs of any function (the runner logs everything at DEBUG)', async () => {
    const logFile = process.env[E2E_RUNNER_LOG_ENV];
    expect(logFile).toBeDefined();
    const logged = readFileSync(logFile!, 'utf8');
    // The runner really logged this run's traffic, so an absent marker means something.
    expect(logged).toMatch(/kycWebhook|kyc-webhook/);
    expect(logged.length).toBeGreaterThan(10_000);
    expect(logged).not.toContain('Piimarker');
    expect(logged).not.toContain('Ostrowska');
    expect(logged).not.toContain('1984-03-09');
  });
});
