import { NotFoundError, TransientError, type KycVendor } from '../../../lambda/shared';
import { applyKycEvent, receiveKycWebhook, signWebhook } from '../../../lambda/modules/kyc';
import type { ApplyKycDeps } from '../../../lambda/modules/kyc/apply';
import {
  InMemoryKycEventStore,
  InMemoryWebhookRefusals,
  RecordingKycEventQueue,
  TableKycVendorApi,
  type VendorApplicantTable,
} from '../../../lambda/modules/kyc/fakes';
import { expireKycApprovals, streamOf, type Investor } from '../../../lambda/modules/investors';
import { InMemoryInvestorRepository, RecordingAllowlistRequests, RecordingScreeningRequests, anInvestor } from '../../../lambda/modules/investors/fakes';
import { InMemoryCaseRepository } from '../../../lambda/modules/cases/fakes';
import { inMemoryAuditLog } from '../../../lambda/modules/audit/fakes';
import { kycPayload, type PayloadOptions } from '../../../bin/local/vendor-simulator/payloads';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const SECRET = 'vendor-secret-1';
const STANDARD_SECRET = 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
const REGISTRIES = [
  { chainId: 1, identityRegistry: '0x00000000000000000000000000000000000000A1' },
  { chainId: 137, identityRegistry: '0x00000000000000000000000000000000000000B2' },
];
const JANE = { firstName: 'Jane', lastName: 'Doe', dateOfBirth: '1980-01-31', country: 'US' };
const minutes = (n: number) => new Date(NOW.getTime() - 60 * 60_000 + n * 60_000);

/** The KYC worker over in-memory parts: events arrive through the real webhook edge. */
function kycWorld(vendorTables: Partial<Record<KycVendor, VendorApplicantTable>> = {}) {
  const { audit, store: auditStore } = inMemoryAuditLog(() => NOW);
  const events = new InMemoryKycEventStore();
  const queue = new RecordingKycEventQueue();
  const investors = new InMemoryInvestorRepository();
  const allowlist = new RecordingAllowlistRequests();
  const screening = new RecordingScreeningRequests();
  const cases = new InMemoryCaseRepository();
  const apis = Object.fromEntries(Object.entries(vendorTables).map(([vendor, table]) => [vendor, new TableKycVendorApi(table)])) as Partial<
    Record<KycVendor, TableKycVendorApi>
  >;
  const deps: ApplyKycDeps = {
    investors,
    audit,
    allowlist,
    screening,
    registries: REGISTRIES,
    now: () => NOW,
    events,
    cases,
    vendorApi: (vendor) => apis[vendor],
    kycValidityDays: 365,
    actor: 'system:kyc-worker',
  };
  let requestId = 0;
  /** Delivers a vendor's webhook body through receiveKycWebhook; returns the stored event's key. */
  const deliver = async (vendor: KycVendor, body: unknown): Promise<string> => {
    const rawBody = Buffer.from(JSON.stringify(body));
    const headers = signWebhook(vendor, rawBody, vendor === 'standard-webhooks' ? STANDARD_SECRET : SECRET, { now: NOW, id: `msg_${++requestId}` });
    const { eventKey } = await receiveKycWebhook(
      {
        secretsFor: async (v) => ({ secrets: [v === 'standard-webhooks' ? STANDARD_SECRET : SECRET] }),
        store: events,
        queue,
        refusals: new InMemoryWebhookRefusals(),
        now: () => NOW,
      },
      { vendor, headers, rawBody },
    );
    return eventKey;
  };
  const stored = (investor: Investor) => investors.put(investor);
  const current = async (investorId: string) => (await investors.get(investorId))!;
  return { deps, events, investors, allowlist, screening, cases, auditStore, apis, deliver, stored, current };
}

/** A Veriff decision about session `applicantId` at `at`. */
const veriff = (status: string, options: PayloadOptions = {}) => kycPayload.veriff({ status, applicantId: 'veriff-session-1', ...options });
/** A Persona inquiry event: it names our reference (the investor's externalId) as well as the inquiry. */
const persona = (name: string, options: PayloadOptions & { eventId?: string } = {}) => kycPayload.persona({ name, applicantId: 'inq_1', ...options });

/** An investor waiting for Veriff's verdict on session veriff-session-1. */
const awaitingVeriff = (overrides: Partial<Investor> = {}) =>
  anInvestor({ status: 'kyc_pending', kyc: { vendor: 'veriff', applicantId: 'veriff-session-1' }, ...overrides });

describe('applyKycEvent applies a verdict to the investor it is about', () => {
  it('approves the investor of the applicant, keeps the facts in vendor time, asks for screening and settles the event', async () => {
    const world = kycWorld();
    const investor = world.stored(awaitingVeriff());
    const eventKey = await world.deliver('veriff', veriff('approved', { at: minutes(0) }));

    await expect(applyKycEvent(world.deps, eventKey)).resolves.toBe('applied');

    const after = await world.current(investor.investorId);
    expect(after).toMatchObject({
      status: 'kyc_approved',
      version: investor.version + 1,
      kyc: {
        vendor: 'veriff',
        applicantId: 'veriff-session-1',
        verdict: 'approved',
        lastEventAt: minutes(0).toISOString(),
        lastEventKey: eventKey,
        approvedAt: minutes(0).toISOString(),
        expiresAt: new Date(minutes(0).getTime() + 365 * 86_400_000).toISOString(),
      },
    });
    expect(world.screening.requests).toEqual([{ investorId: investor.investorId, reason: 'kyc approved' }]);
    expect((await world.events.get(eventKey))!.state).toBe('processed');
    expect(world.auditStore.records(streamOf(investor.investorId))).toEqual([
      expect.objectContaining({ type: 'investor.kyc_approved', actor: 'system:kyc-worker', data: expect.objectContaining({ from: 'kyc_pending', eventKey }) }),
    ]);
    expect(world.allowlist.requests).toEqual([]);
  });

  it('applies an event once: a redelivery of a settled event, or an unknown key, changes nothing', async () => {
    const world = kycWorld();
    const investor = world.stored(awaitingVeriff());
    const eventKey = await world.deliver('veriff', veriff('approved'));
    await applyKycEvent(world.deps, eventKey);

    await expect(applyKycEvent(world.deps, eventKey)).resolves.toBe('already_processed');
    await expect(applyKycEvent(world.deps, 'veriff#never-stored')).resolves.toBe('already_processed');
    expect((await world.current(investor.investorId)).version).toBe(investor.version + 1);
    expect(world.screening.requests).toHaveLength(1);
  });

  it('finishes a run that crashed after the save: only the effects are repeated', async () => {
    const world = kycWorld();
    const investor = world.stored(awaitingVeriff());
    const eventKey = await world.deliver('veriff', veriff('approved'));
    await applyKycEvent(world.deps, eventKey);
    // The crash: the investor was saved, the event never marked.
    world.events.put({ ...(await world.events.get(eventKey))!, state: 'received' });

    await expect(applyKycEvent(world.deps, eventKey)).resolves.toBe('applied');
    expect((await world.current(investor.investorId)).version).toBe(investor.version + 1);
    expect(world.auditStore.types(streamOf(investor.investorId))).toEqual(['investor.kyc_approved']);
    // The receipt (recorded by the worker, not the webhook) is there once, without the person.
    const receipts = world.auditStore.records('kyc#veriff:veriff-session-1').filter((record) => record.type === 'kyc.webhook.received');
    expect(receipts).toEqual([
      expect.objectContaining({
        actor: 'vendor:veriff',
        data: {
          vendor: 'veriff',
          receivedAt: NOW.toISOString(),
          eventKey,
          eventType: 'decision.approved',
          occurredAt: expect.any(String),
          verdict: 'approved',
          bodySha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      }),
    ]);
    expect(JSON.stringify(receipts)).not.toMatch(/JANE|DOE|1980-01-31/);
    expect(world.screening.requests).toEqual([
      { investorId: investor.investorId, reason: 'kyc approved' },
      { investorId: investor.investorId, reason: 'kyc approved' },
    ]);
    expect((await world.events.get(eventKey))!.state).toBe('processed');
  });

  it('finds an investor the vendor knows only by our reference (no applicant attached yet)', async () => {
    const world = kycWorld();
    const investor = world.stored(anInvestor({ status: 'registered', externalId: 'portal-7', kyc: undefined }));
    const eventKey = await world.deliver('persona', persona('inquiry.approved', { externalReference: 'portal-7' }));

    await expect(applyKycEvent(world.deps, eventKey)).resolves.toBe('applied');
    expect(await world.current(investor.investorId)).toMatchObject({
      status: 'kyc_approved',
      kyc: { vendor: 'persona', applicantId: 'inq_1', verdict: 'approved' },
    });
  });

  it('claims the applicant of an investor found by reference: its later verdicts find them, and nobody else can be given it', async () => {
    const world = kycWorld();
    const investor = world.stored(anInvestor({ status: 'registered', externalId: 'portal-8', kyc: undefined }));
    await applyKycEvent(world.deps, await world.deliver('persona', persona('inquiry.approved', { externalReference: 'portal-8' })));

    expect((await world.investors.findByKycApplicant('persona', 'inq_1'))?.investorId).toBe(investor.investorId);
    const other = world.stored(anInvestor({ status: 'registered', kyc: undefined }));
    await expect(
      world.investors.save(
        { ...other, kyc: { vendor: 'persona', applicantId: 'inq_1' }, version: other.version + 1 },
        { claimKycApplicant: { vendor: 'persona', applicantId: 'inq_1' } },
      ),
    ).rejects.toThrow('kyc.applicantId already belongs to another investor');
  });

  it('prefers the applicant over the reference when both point somewhere', async () => {
    const world = kycWorld();
    const byReference = world.stored(anInvestor({ status: 'registered', externalId: 'portal-1', kyc: undefined }));
    const byApplicant = world.stored(anInvestor({ status: 'kyc_pending', kyc: { vendor: 'persona', applicantId: 'inq_1' } }));
    const eventKey = await world.deliver('persona', persona('inquiry.approved', { externalReference: 'portal-1' }));

    await expect(applyKycEvent(world.deps, eventKey)).resolves.toBe('applied');
    expect((await world.current(byApplicant.investorId)).status).toBe('kyc_approved');
    expect((await world.current(byReference.investorId)).status).toBe('registered');
  });

  it('records a verdict nobody matches as unmatched, in the applicant stream, and ignores it', async () => {
    const world = kycWorld();
    const eventKey = await world.deliver('veriff', veriff('approved', { externalReference: 'nobody' }));

    await expect(applyKycEvent(world.deps, eventKey)).resolves.toBe('unmatched');
    expect((await world.events.get(eventKey))!.state).toBe('ignored');
    const unmatched = world.auditStore.records('kyc#veriff:veriff-session-1').find((record) => record.type === 'kyc.event.unmatched')!;
    expect(unmatched).toMatchObject({ actor: 'system:kyc-worker', data: { eventKey, reason: 'no investor has this KYC applicant or reference' } });
    expect(unmatched.investorId).toBeUndefined();
  });

  it('keeps an event without a verdict as processed, changing nothing', async () => {
    const world = kycWorld({ sumsub: { applicants: { 'sumsub-applicant-1': { externalReference: 'portal-1', person: JANE } } } });
    const investor = world.stored(anInvestor({ status: 'kyc_pending', kyc: { vendor: 'sumsub', applicantId: 'sumsub-applicant-1' } }));
    const eventKey = await world.deliver('sumsub', { ...kycPayload.sumsub({}), type: 'applicantCreated', reviewResult: undefined });

    await expect(applyKycEvent(world.deps, eventKey)).resolves.toBe('unchanged');
    expect(await world.current(investor.investorId)).toEqual(investor);
    expect((await world.events.get(eventKey))!.state).toBe('processed');
    expect(world.auditStore.records('kyc#sumsub:sumsub-applicant-1').at(-1)).toMatchObject({
      type: 'kyc.event.unchanged',
      investorId: investor.investorId,
      data: { reason: 'the event carries no verdict', eventType: 'applicantCreated' },
    });
  });
});

describe('applyKycEvent orders verdicts by the vendor’s event time', () => {
  it('ignores a verdict older than the newest one applied, and one of the same time, as stale', async () => {
    const world = kycWorld();
    const investor = world.stored(awaitingVeriff());
    const approved = await world.deliver('veriff', veriff('approved', { at: minutes(10) }));
    const earlierRejection = await world.deliver('veriff', veriff('declined', { at: minutes(5) }));
    const sameTimeRetry = await world.deliver('veriff', veriff('resubmission_requested', { at: minutes(10) }));

    await applyKycEvent(world.deps, approved);
    const approvedInvestor = await world.current(investor.investorId);
    await expect(applyKycEvent(world.deps, earlierRejection)).resolves.toBe('stale');
    await expect(applyKycEvent(world.deps, sameTimeRetry)).resolves.toBe('stale');

    expect(await world.current(investor.investorId)).toEqual(approvedInvestor);
    expect((await world.events.get(earlierRejection))!.state).toBe('ignored');
    expect(world.auditStore.records('kyc#veriff:veriff-session-1').find((record) => record.type === 'kyc.event.stale')).toMatchObject({
      investorId: investor.investorId,
      data: { eventKey: earlierRejection, occurredAt: minutes(5).toISOString(), newest: minutes(10).toISOString() },
    });
  });

  it('applies verdicts that arrive in order: a newer one after an older one wins', async () => {
    const world = kycWorld();
    const investor = world.stored(awaitingVeriff());
    const review = await world.deliver('veriff', veriff('review', { at: minutes(1) }));
    const approved = await world.deliver('veriff', veriff('approved', { at: minutes(2) }));

    // `review` keeps a pending investor pending: the facts are recorded, the status stays.
    await expect(applyKycEvent(world.deps, review)).resolves.toBe('unchanged');
    expect(await world.current(investor.investorId)).toMatchObject({ status: 'kyc_pending', kyc: { verdict: 'review', lastEventKey: review } });
    await expect(applyKycEvent(world.deps, approved)).resolves.toBe('applied');
    expect(await world.current(investor.investorId)).toMatchObject({ status: 'kyc_approved', kyc: { verdict: 'approved', lastEventKey: approved } });
    expect(world.auditStore.types(streamOf(investor.investorId))).toEqual(['investor.kyc_updated', 'investor.kyc_approved']);
  });

  it('ignores a late verdict of an earlier applicant once the investor has a new one (superseded)', async () => {
    const world = kycWorld();
    const investor = world.stored(anInvestor({ status: 'kyc_pending', externalId: 'portal-1', kyc: { vendor: 'persona', applicantId: 'inq_2' } }));
    const oldAttempt = await world.deliver('persona', persona('inquiry.declined', { applicantId: 'inq_1', externalReference: 'portal-1' }));

    await expect(applyKycEvent(world.deps, oldAttempt)).resolves.toBe('superseded');
    expect(await world.current(investor.investorId)).toEqual(investor);
    expect((await world.events.get(oldAttempt))!.state).toBe('ignored');
    expect(world.auditStore.records('kyc#persona:inq_1').at(-1)).toMatchObject({
      type: 'kyc.event.superseded',
      investorId: investor.investorId,
      data: { currentVendor: 'persona' },
    });
  });

  it('ignores the verdict of another vendor than the investor’s current one', async () => {
    const world = kycWorld();
    const investor = world.stored(awaitingVeriff({ externalId: 'portal-1' }));
    const other = await world.deliver('persona', persona('inquiry.approved', { externalReference: 'portal-1' }));

    await expect(applyKycEvent(world.deps, other)).resolves.toBe('superseded');
    expect(world.auditStore.records('kyc#persona:inq_1').at(-1)!.data).toMatchObject({ currentVendor: 'veriff' });
    expect((await world.current(investor.investorId)).status).toBe('kyc_pending');
  });
});

describe('applyKycEvent compares the verified person with the registration', () => {
  it.each([
    ['a different date of birth', { ...JANE, dateOfBirth: '1981-01-31' }, ['dateOfBirth']],
    ['a surname not in the legal name', { ...JANE, lastName: 'Smith' }, ['name']],
    ['a given name not in the legal name', { ...JANE, firstName: 'John' }, ['name']],
    ['a country neither of residence nor of nationality', { ...JANE, country: 'FR' }, ['country']],
    ['everything different', { firstName: 'John', lastName: 'Smith', dateOfBirth: '1990-02-02', country: 'FR' }, ['dateOfBirth', 'name', 'country']],
  ])('opens a high-risk kyc_conflict case for %s instead of approving', async (_, person, conflictingFields) => {
    const world = kycWorld();
    const investor = world.stored(awaitingVeriff());
    const eventKey = await world.deliver('veriff', veriff('approved', { person }));

    await expect(applyKycEvent(world.deps, eventKey)).resolves.toBe('conflict');
    expect(await world.current(investor.investorId)).toEqual(investor);
    expect(world.screening.requests).toEqual([]);
    expect(world.cases.all()).toEqual([
      expect.objectContaining({
        type: 'kyc_conflict',
        investorId: investor.investorId,
        risk: 'high',
        status: 'open',
        evidence: expect.objectContaining({ vendor: 'veriff', eventKey, applicantId: 'veriff-session-1', conflictingFields }),
      }),
    ]);
    expect((await world.events.get(eventKey))!.state).toBe('processed');
    expect(world.auditStore.records('kyc#veriff:veriff-session-1').at(-1)).toMatchObject({
      type: 'kyc.event.conflict',
      data: { eventKey, conflictingFields },
    });
  });

  it('accepts the vendor’s spelling: case, accents and punctuation aside, and a nationality instead of the residence', async () => {
    const world = kycWorld();
    const investor = world.stored(
      awaitingVeriff({ legalName: 'María-José Núñez de la Peña', dateOfBirth: '1975-06-01', countryOfResidence: 'US', nationality: 'ES' }),
    );
    const eventKey = await world.deliver(
      'veriff',
      veriff('approved', { person: { firstName: 'MARIA JOSE', lastName: 'NUNEZ DE LA PENA', dateOfBirth: '1975-06-01', country: 'ES' } }),
    );
    await expect(applyKycEvent(world.deps, eventKey)).resolves.toBe('applied');
    expect((await world.current(investor.investorId)).status).toBe('kyc_approved');
    expect(world.cases.all()).toEqual([]);
  });

  it('opens one case for the same conflict reported twice', async () => {
    const world = kycWorld();
    world.stored(awaitingVeriff());
    const person = { ...JANE, dateOfBirth: '1981-01-31' };
    await applyKycEvent(world.deps, await world.deliver('veriff', veriff('approved', { person, at: minutes(1) })));
    await applyKycEvent(world.deps, await world.deliver('veriff', veriff('approved', { person, at: minutes(2) })));
    expect(world.cases.all()).toHaveLength(1);
  });

  it('does not compare the person of a rejection', async () => {
    const world = kycWorld();
    const investor = world.stored(awaitingVeriff());
    const eventKey = await world.deliver('veriff', veriff('declined', { person: { ...JANE, lastName: 'Smith' } }));
    await expect(applyKycEvent(world.deps, eventKey)).resolves.toBe('applied');
    expect((await world.current(investor.investorId)).status).toBe('kyc_rejected');
    expect(world.cases.all()).toEqual([]);
  });
});

describe('applyKycEvent after approval', () => {
  /** An allowlisted investor approved by Veriff at minute 0, with two wallets. */
  const allowlisted = () =>
    awaitingVeriff({
      status: 'allowlisted',
      wallets: ['0x1111111111111111111111111111111111111111', '0x2222222222222222222222222222222222222222'],
      kyc: {
        vendor: 'veriff',
        applicantId: 'veriff-session-1',
        verdict: 'approved',
        lastEventAt: minutes(0).toISOString(),
        approvedAt: minutes(0).toISOString(),
      },
    });

  it.each([
    ['declined', 'kyc_rejected'],
    ['resubmission_requested', 'kyc_retry'],
  ])('revokes on a later %s: the investor moves back and every wallet leaves every registry', async (status, to) => {
    const world = kycWorld();
    const investor = world.stored(allowlisted());
    const eventKey = await world.deliver('veriff', veriff(status, { at: minutes(30) }));

    await expect(applyKycEvent(world.deps, eventKey)).resolves.toBe('applied');
    expect(await world.current(investor.investorId)).toMatchObject({ status: to, kyc: { verdict: to === 'kyc_rejected' ? 'rejected' : 'retry' } });
    expect(world.allowlist.summary().sort()).toEqual([
      'remove 0x1111111111111111111111111111111111111111@1',
      'remove 0x1111111111111111111111111111111111111111@137',
      'remove 0x2222222222222222222222222222222222222222@1',
      'remove 0x2222222222222222222222222222222222222222@137',
    ]);
    expect(world.allowlist.requests.every((change) => change.version === investor.version + 1)).toBe(true);
    expect(world.auditStore.records(streamOf(investor.investorId))).toEqual([
      expect.objectContaining({ type: 'investor.kyc_revoked', data: expect.objectContaining({ from: 'allowlisted', to, reasons: expect.any(Array) }) }),
    ]);
    expect(world.screening.requests).toEqual([]);
  });

  it('does not move an approved investor back on a later pending or review, nor re-approve an eligible one', async () => {
    const world = kycWorld();
    const investor = world.stored(allowlisted());
    await expect(applyKycEvent(world.deps, await world.deliver('veriff', veriff('review', { at: minutes(10) })))).resolves.toBe('unchanged');
    await expect(applyKycEvent(world.deps, await world.deliver('veriff', veriff('approved', { at: minutes(20) })))).resolves.toBe('unchanged');

    const after = await world.current(investor.investorId);
    expect(after).toMatchObject({
      status: 'allowlisted',
      version: investor.version + 2,
      updatedAt: NOW.toISOString(),
      // A renewed approval restarts the validity.
      kyc: { verdict: 'approved', approvedAt: minutes(20).toISOString(), expiresAt: new Date(minutes(20).getTime() + 365 * 86_400_000).toISOString() },
    });
    expect(world.allowlist.requests).toEqual([]);
    expect(world.auditStore.types(streamOf(investor.investorId))).toEqual(['investor.kyc_updated', 'investor.kyc_updated']);
    expect(world.auditStore.records(streamOf(investor.investorId))[0]!.data).toMatchObject({ verdict: 'review', status: 'allowlisted' });
  });

  it('keeps a standing approval through a later review: its validity still runs out on time and the re-KYC sweep revokes it', async () => {
    const world = kycWorld();
    const approved = allowlisted();
    const investor = world.stored({ ...approved, kyc: { ...approved.kyc!, expiresAt: new Date(minutes(0).getTime() + 365 * 86_400_000).toISOString() } });
    const approval = investor.kyc!;
    await expect(applyKycEvent(world.deps, await world.deliver('veriff', veriff('review', { at: minutes(10) })))).resolves.toBe('unchanged');
    expect((await world.current(investor.investorId)).kyc).toMatchObject({
      verdict: 'approved',
      approvedAt: approval.approvedAt,
      expiresAt: approval.expiresAt,
    });

    const afterExpiry = new Date(Date.parse(approval.expiresAt!) + 1000);
    await expect(expireKycApprovals({ ...world.deps, now: () => afterExpiry })).resolves.toEqual({ expired: 1 });
    expect(await world.current(investor.investorId)).toMatchObject({ status: 'kyc_retry', kyc: { verdict: 'expired' } });
  });

  it('keeps the newest verdict of a suspended investor without moving them', async () => {
    const world = kycWorld();
    const investor = world.stored(
      awaitingVeriff({ status: 'suspended', suspension: { kind: 'operator', reason: 'court order', at: minutes(0).toISOString() } }),
    );
    await expect(applyKycEvent(world.deps, await world.deliver('veriff', veriff('declined', { at: minutes(5) })))).resolves.toBe('unchanged');
    expect(await world.current(investor.investorId)).toMatchObject({ status: 'suspended', kyc: { verdict: 'rejected' }, version: investor.version + 1 });
  });

  it('approves an investor the vendor rejected earlier and then reversed, and asks for screening', async () => {
    const world = kycWorld();
    const investor = world.stored(awaitingVeriff());
    await applyKycEvent(world.deps, await world.deliver('veriff', veriff('declined', { at: minutes(1) })));
    expect((await world.current(investor.investorId)).status).toBe('kyc_rejected');
    await expect(applyKycEvent(world.deps, await world.deliver('veriff', veriff('approved', { at: minutes(2) })))).resolves.toBe('applied');
    expect(await world.current(investor.investorId)).toMatchObject({
      status: 'kyc_approved',
      kyc: { verdict: 'approved', approvedAt: minutes(2).toISOString() },
    });
    expect(world.screening.requests).toEqual([{ investorId: investor.investorId, reason: 'kyc approved' }]);
  });
});

describe('applyKycEvent enriches events from the vendor’s API', () => {
  it('reads the person of a Sumsub applicant from the API and compares it', async () => {
    const world = kycWorld({
      sumsub: { applicants: { 'sumsub-applicant-1': { externalReference: 'portal-1', person: { ...JANE, dateOfBirth: '1970-01-01' } } } },
    });
    const investor = world.stored(anInvestor({ status: 'kyc_pending', kyc: { vendor: 'sumsub', applicantId: 'sumsub-applicant-1' } }));
    const eventKey = await world.deliver('sumsub', kycPayload.sumsub({ reviewResult: { reviewAnswer: 'GREEN' } }));

    await expect(applyKycEvent(world.deps, eventKey)).resolves.toBe('conflict');
    expect(world.apis.sumsub!.requests).toEqual([{ resource: 'applicant', id: 'sumsub-applicant-1' }]);
    expect(world.cases.all()[0]!.evidence).toMatchObject({ conflictingFields: ['dateOfBirth'], vendorPerson: { dateOfBirth: '1970-01-01' } });
    expect((await world.current(investor.investorId)).status).toBe('kyc_pending');
  });

  it('finds the applicant of an Onfido workflow run through the API', async () => {
    const world = kycWorld({ onfido: { applicants: { 'onfido-applicant-1': { person: JANE } }, workflowRuns: { wfr_1: 'onfido-applicant-1' } } });
    const investor = world.stored(anInvestor({ status: 'kyc_pending', kyc: { vendor: 'onfido', applicantId: 'onfido-applicant-1' } }));
    const eventKey = await world.deliver('onfido', kycPayload.onfido({ status: 'approved' }));

    await expect(applyKycEvent(world.deps, eventKey)).resolves.toBe('applied');
    expect(await world.current(investor.investorId)).toMatchObject({ status: 'kyc_approved', kyc: { applicantId: 'onfido-applicant-1', verdict: 'approved' } });
  });

  it('takes the verdict of an Onfido check from the API, where only the API knows it', async () => {
    const world = kycWorld({
      onfido: { applicants: { 'onfido-applicant-1': { person: JANE } }, checks: { 'check-1': { applicantId: 'onfido-applicant-1', verdict: 'review' } } },
    });
    const investor = world.stored(anInvestor({ status: 'registered', kyc: { vendor: 'onfido', applicantId: 'onfido-applicant-1' } }));
    const body = {
      payload: {
        resource_type: 'check',
        action: 'check.completed',
        object: { id: 'check-1', status: 'complete', completed_at_iso8601: '2026-11-24T11:00:00Z' },
      },
    };
    await expect(applyKycEvent(world.deps, await world.deliver('onfido', body))).resolves.toBe('applied');
    expect(await world.current(investor.investorId)).toMatchObject({ status: 'kyc_pending', kyc: { verdict: 'review' } });
  });

  it('refuses to apply without the vendor data: retried while the API is not configured or down, and applied once it answers', async () => {
    const world = kycWorld();
    const investor = world.stored(anInvestor({ status: 'kyc_pending', kyc: { vendor: 'sumsub', applicantId: 'sumsub-applicant-1' } }));
    const eventKey = await world.deliver('sumsub', kycPayload.sumsub({ reviewResult: { reviewAnswer: 'GREEN' } }));

    await expect(applyKycEvent(world.deps, eventKey)).rejects.toThrow(TransientError);
    await expect(applyKycEvent(world.deps, eventKey)).rejects.toThrow(/kycVendorApi/);

    const api = new TableKycVendorApi({ applicants: { 'sumsub-applicant-1': { person: JANE } } }).unavailable();
    const configured: ApplyKycDeps = { ...world.deps, vendorApi: (vendor) => (vendor === 'sumsub' ? api : undefined) };
    await expect(applyKycEvent(configured, eventKey)).rejects.toThrow(TransientError);
    expect((await world.events.get(eventKey))!.state).toBe('received');
    expect(await world.current(investor.investorId)).toEqual(investor);

    api.available();
    await expect(applyKycEvent(configured, eventKey)).resolves.toBe('applied');
    expect((await world.current(investor.investorId)).status).toBe('kyc_approved');
  });

  it('fails permanently for an applicant the vendor does not know', async () => {
    const world = kycWorld({ sumsub: { applicants: {} } });
    const eventKey = await world.deliver('sumsub', kycPayload.sumsub({ reviewResult: { reviewAnswer: 'GREEN' } }));
    await expect(applyKycEvent(world.deps, eventKey)).rejects.toThrow(NotFoundError);
    expect((await world.events.get(eventKey))!.state).toBe('received');
  });
});
