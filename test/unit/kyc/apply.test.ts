import { TransientError } from '../../../lambda/shared';
import { applyKycEvent } from '../../../lambda/modules/kyc';
import type { ApplyKycDeps } from '../../../lambda/modules/kyc/apply';
import type { StoredKycEvent } from '../../../lambda/modules/kyc/events';

// A missing secret is an error path no real part produces on demand: the store is a stand-in.
describe('applyKycEvent without the vendor API it needs', () => {
  it('refuses to apply a Sumsub verdict it cannot enrich (retried until configured), and changes nothing', async () => {
    const event: StoredKycEvent = {
      vendor: 'sumsub',
      eventId: 'body-sha',
      eventType: 'applicantReviewed',
      occurredAt: '2026-11-24T12:00:00.000Z',
      applicantId: 'applicant-1',
      verdict: 'approved',
      enrichment: { resource: 'applicant', id: 'applicant-1' },
      eventKey: 'sumsub#body-sha',
      bodySha256: 'body-sha',
      receivedAt: '2026-11-24T12:00:01.000Z',
      state: 'received',
    };
    const markState = jest.fn();
    const findByKycApplicant = jest.fn();
    const deps = { events: { get: async () => event, markState }, vendorApi: () => undefined, investors: { findByKycApplicant } } as unknown as ApplyKycDeps;
    await expect(applyKycEvent(deps, event.eventKey)).rejects.toThrow(TransientError);
    await expect(applyKycEvent(deps, event.eventKey)).rejects.toThrow(/kycVendorApi/);
    expect(markState).not.toHaveBeenCalled();
    expect(findByKycApplicant).not.toHaveBeenCalled();
  });
});
