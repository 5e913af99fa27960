import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VendorSimulator, type SimulatorCredentials } from '../../bin/local/vendor-simulator/server';
import { OnfidoApi } from '../../lambda/modules/kyc/adapters/onfido-api';
import { SumsubApi } from '../../lambda/modules/kyc/adapters/sumsub-api';
import { ConfigurationError } from '../../lambda/config/env';
import { NotFoundError, KYC_VENDORS, type KycVendor } from '../../lambda/shared';
import { normaliseKycEvent } from '../../lambda/modules/kyc/events';
import { lowerCaseHeaders, verifyWebhookSignature } from '../../lambda/modules/kyc';

const credentials: SimulatorCredentials = {
  webhookSecrets: {
    sumsub: 'sumsub-secret',
    onfido: 'onfido-token',
    persona: 'wbhsec_persona',
    veriff: 'veriff-secret',
    'standard-webhooks': `whsec_${Buffer.from('s'.repeat(32)).toString('base64')}`,
  },
  sumsub: { appToken: 'sbx:app-token', secretKey: 'sumsub-api-secret' },
  onfido: { apiToken: 'api_sandbox.token' },
};

const received: { vendor: string; headers: Record<string, string>; body: Buffer }[] = [];
const receiver = createServer(async (request: IncomingMessage, response) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  received.push({ vendor: request.url!.split('/').pop()!, headers: lowerCaseHeaders(request.headers as Record<string, unknown>), body: Buffer.concat(chunks) });
  response.writeHead(200).end('{}');
});

let simulator: VendorSimulator;
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  simulator = new VendorSimulator(credentials, `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/kyc`);
  await simulator.start();
});
afterAll(async () => {
  await simulator.stop();
  receiver.close();
});

describe('vendor simulator webhooks', () => {
  it.each(KYC_VENDORS.map((vendor) => [vendor]))('%s: delivers a webhook our verifier accepts and our parser understands', async (vendor: KycVendor) => {
    const verdict = vendor === 'onfido' ? 'approved' : 'rejected';
    const { status } = await simulator.decide({ vendor, applicantId: `${vendor}-app-1`, verdict, externalReference: 'portal-9' });
    expect(status).toBe(200);
    const delivery = received.at(-1)!;
    expect(delivery.vendor).toBe(vendor);
    const verification = verifyWebhookSignature(
      vendor,
      { headers: delivery.headers, rawBody: delivery.body },
      { secrets: [credentials.webhookSecrets[vendor]], now: new Date() },
    );
    expect(verification.valid).toBe(true);
    const event = normaliseKycEvent({ vendor, rawBody: delivery.body, headers: delivery.headers });
    if (vendor !== 'onfido') expect(event.verdict).toBe(verdict);
    else expect(event.verdict).toBe('approved');
  });
});

describe('vendor applicant APIs through our adapters', () => {
  it('Sumsub: signed GET /resources/applicants/{id}/one returns the person with an alpha-2 country', async () => {
    await simulator.decide({
      vendor: 'sumsub',
      applicantId: 'sum-42',
      verdict: 'approved',
      externalReference: 'portal-42',
      person: { firstName: 'Ana', lastName: 'Lima', dateOfBirth: '1990-05-06', country: 'GB' },
    });
    const api = new SumsubApi({ baseUrl: simulator.apiBaseUrls().sumsub, ...credentials.sumsub });
    expect(await api.details({ resource: 'applicant', id: 'sum-42' })).toEqual({
      applicantId: 'sum-42',
      externalReference: 'portal-42',
      person: { firstName: 'Ana', lastName: 'Lima', dateOfBirth: '1990-05-06', country: 'GB' },
    });
  });

  it('Sumsub: a wrong secret key is refused like the vendor refuses it, as a configuration error', async () => {
    const api = new SumsubApi({ baseUrl: simulator.apiBaseUrls().sumsub, appToken: credentials.sumsub.appToken, secretKey: 'wrong' });
    await expect(api.details({ resource: 'applicant', id: 'sum-42' })).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('Onfido: a workflow run leads to its applicant; unknown runs are not found', async () => {
    await simulator.decide({ vendor: 'onfido', applicantId: 'onf-7', verdict: 'approved' });
    const delivery = received.at(-1)!;
    const runId = (JSON.parse(delivery.body.toString()) as { payload: { object: { id: string } } }).payload.object.id;
    const api = new OnfidoApi({ baseUrl: simulator.apiBaseUrls().onfido, apiToken: credentials.onfido.apiToken });
    expect(await api.details({ resource: 'workflow_run', id: runId })).toMatchObject({ applicantId: 'onf-7', person: { firstName: 'Jane', country: 'US' } });
    await expect(api.details({ resource: 'workflow_run', id: 'wfr_unknown' })).rejects.toBeInstanceOf(NotFoundError);
  });
});
