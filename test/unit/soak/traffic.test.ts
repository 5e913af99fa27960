import { receiveKycWebhook } from '../../../lambda/modules/kyc';
import { InMemoryKycEventStore, InMemoryWebhookRefusals, RecordingKycEventQueue } from '../../../lambda/modules/kyc/fakes';
import { inMemoryAuditLog } from '../../../lambda/modules/audit/fakes';
import { errorResponse } from '../../../lambda/platform/http';
import { KYC_VENDORS } from '../../../lambda/shared';
import { LOCAL_KYC_CREDENTIALS } from '../../../bin/local/kyc';
import { DELIVERY_KINDS, EXPECTED_STATUS, Traffic, applicantIdFor, personNamed, syntheticName, type Delivery } from '../../../bin/soak/traffic';

/** The webhook edge over in-memory parts, answering as the handler does. */
function edge() {
  const { audit } = inMemoryAuditLog();
  const store = new InMemoryKycEventStore();
  const deps = {
    secretsFor: async (vendor: (typeof KYC_VENDORS)[number]) => ({ secrets: [LOCAL_KYC_CREDENTIALS.webhookSecrets[vendor]] }),
    store,
    queue: new RecordingKycEventQueue(),
    audit,
    refusals: new InMemoryWebhookRefusals(),
  };
  const answer = async (delivery: Delivery) => {
    const headers = Object.fromEntries(Object.entries(delivery.headers).map(([name, value]) => [name.toLowerCase(), value]));
    try {
      await receiveKycWebhook(deps, { vendor: delivery.vendor, headers, rawBody: delivery.body });
      return 200;
    } catch (error) {
      return errorResponse(error).statusCode ?? 500;
    }
  };
  return { answer, store };
}

describe("the soak's deliveries", () => {
  it('are answered as their kind says by the real webhook edge, for every vendor', async () => {
    const traffic = new Traffic(LOCAL_KYC_CREDENTIALS.webhookSecrets, 'unit');
    const { answer } = edge();
    const answers: [string, string, number][] = [];
    for (let index = 0; index < 10; index += 1) {
      const { delivery } = traffic.background(index);
      answers.push([delivery.kind, delivery.vendor, await answer(delivery)]);
    }
    const targets = KYC_VENDORS.map((vendor, index) => ({
      vendor,
      applicantId: applicantIdFor(vendor, `target-${index}`),
      person: personNamed(syntheticName(index, 5)),
    }));
    for (let index = 0; index < 50; index += 1) {
      const delivery = traffic.bad(index, targets[index % targets.length]!);
      answers.push([delivery.kind, delivery.vendor, await answer(delivery)]);
    }
    for (const [kind, vendor, status] of answers) expect([kind, vendor, status]).toEqual([kind, vendor, EXPECTED_STATUS[kind as keyof typeof EXPECTED_STATUS]]);
    expect(new Set(answers.map(([kind]) => kind))).toEqual(new Set(DELIVERY_KINDS));
    expect(new Set(answers.map(([, vendor]) => vendor))).toEqual(new Set(KYC_VENDORS));
  });

  it('names made up for the load are distinct, two tokens of letters', () => {
    const names = Array.from({ length: 2_000 }, (_, index) => syntheticName(index, 11));
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
  });
});
