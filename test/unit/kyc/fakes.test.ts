import { InvariantError, NotFoundError, TransientError } from '../../../lambda/shared';
import type { StoredKycEvent } from '../../../lambda/modules/kyc/events';
import { InMemoryKycEventStore, TableKycVendorApi } from '../../../lambda/modules/kyc/fakes';

const event = (overrides: Partial<StoredKycEvent> = {}): StoredKycEvent => ({
  vendor: 'veriff',
  eventId: 'session-1:approved:2026-11-24T11:59:00.000Z',
  eventType: 'decision.approved',
  occurredAt: '2026-11-24T11:59:00.000Z',
  applicantId: 'session-1',
  verdict: 'approved',
  eventKey: 'veriff#session-1:approved:2026-11-24T11:59:00.000Z',
  bodySha256: 'a'.repeat(64),
  receivedAt: '2026-11-24T12:00:00.000Z',
  state: 'received',
  ...overrides,
});

// The contracts of DynamoKycEventStore and the vendor adapters, which the unit tests rely on.
describe('InMemoryKycEventStore', () => {
  it('stores an event key once and returns the first event to a second store', async () => {
    const store = new InMemoryKycEventStore();
    expect(await store.storeOnce(event())).toEqual({ stored: true, event: event() });
    const second = await store.storeOnce(event({ receivedAt: '2026-11-24T12:00:05.000Z' }));
    expect(second).toEqual({ stored: false, event: event() });
  });

  it('marks the state of a stored event, and refuses to mark one that is not there', async () => {
    const store = new InMemoryKycEventStore([event()]);
    await store.markState(event().eventKey, 'processed');
    expect((await store.get(event().eventKey))!.state).toBe('processed');
    await expect(store.markState('veriff#missing', 'processed')).rejects.toThrow(InvariantError);
    expect(await store.get('veriff#missing')).toBeUndefined();
  });

  it('hands out copies: changing what it returned changes nothing stored', async () => {
    const store = new InMemoryKycEventStore([event()]);
    const read = (await store.get(event().eventKey)) as { state: string };
    read.state = 'ignored';
    expect((await store.get(event().eventKey))!.state).toBe('received');
  });
});

describe('TableKycVendorApi', () => {
  const person = { firstName: 'Jane', lastName: 'Doe', dateOfBirth: '1980-01-31', country: 'US' };
  const api = () =>
    new TableKycVendorApi({
      applicants: { 'applicant-1': { externalReference: 'portal-1', person } },
      workflowRuns: { wfr_1: 'applicant-1' },
      checks: { 'check-1': { applicantId: 'applicant-1', verdict: 'approved' } },
    });

  it('resolves an applicant directly, or through the workflow run or check that names it', async () => {
    const vendor = api();
    const expected = { applicantId: 'applicant-1', externalReference: 'portal-1', person };
    await expect(vendor.details({ resource: 'applicant', id: 'applicant-1' })).resolves.toEqual({ ...expected, verdict: undefined });
    await expect(vendor.details({ resource: 'workflow_run', id: 'wfr_1' })).resolves.toEqual({ ...expected, verdict: undefined });
    await expect(vendor.details({ resource: 'check', id: 'check-1' })).resolves.toEqual({ ...expected, verdict: 'approved' });
    expect(vendor.requests.map((pointer) => pointer.resource)).toEqual(['applicant', 'workflow_run', 'check']);
  });

  it('answers 404 for what it does not know and 5xx while down', async () => {
    const vendor = api();
    await expect(vendor.details({ resource: 'applicant', id: 'nobody' })).rejects.toThrow(NotFoundError);
    await expect(vendor.details({ resource: 'workflow_run', id: 'wfr_9' })).rejects.toThrow(NotFoundError);
    await expect(vendor.details({ resource: 'check', id: 'check-9' })).rejects.toThrow(NotFoundError);
    vendor.unavailable();
    await expect(vendor.details({ resource: 'applicant', id: 'applicant-1' })).rejects.toThrow(TransientError);
    vendor.available();
    await expect(vendor.details({ resource: 'applicant', id: 'applicant-1' })).resolves.toMatchObject({ applicantId: 'applicant-1' });
  });
});
