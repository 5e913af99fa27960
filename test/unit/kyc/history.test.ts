import { kycHistory } from '../../../lambda/modules/kyc';
import { inMemoryAuditLog } from '../../../lambda/modules/audit/fakes';
import { InMemoryInvestorRepository, anInvestor } from '../../../lambda/modules/investors/fakes';
import { NotFoundError } from '../../../lambda/shared';

describe("an investor's KYC history", () => {
  it('gathers the KYC steps from every stream the investor appears in, oldest first, and leaves the rest out', async () => {
    let clock = Date.parse('2026-03-01T10:00:00.000Z');
    const { audit, store } = inMemoryAuditLog(() => new Date((clock += 1000)));
    const investor = anInvestor();
    const { investorId } = investor;
    const on = (stream: string, type: string, data: Record<string, unknown> = {}) => audit.append({ stream, type, actor: 'system:test', investorId, data });
    await on(`investor#${investorId}`, 'investor.registered', { vendor: 'sumsub' });
    await on(`investor#${investorId}`, 'investor.kyc_pending', { vendor: 'sumsub' });
    await on('kyc#sumsub:applicant-1', 'kyc.event.stale', { reason: 'a newer verdict of this vendor was already applied' });
    await on(`investor#${investorId}`, 'investor.kyc_approved', { verdict: 'approved' });
    await on(`investor#${investorId}`, 'screening.completed', { verdict: 'clear' });
    await on('case#case_1', 'case.opened', { caseType: 'kyc_conflict' });
    await on('case#case_2', 'case.opened', { caseType: 'potential_match' });
    await audit.append({ stream: 'kyc#sumsub:someone-else', type: 'kyc.event.applied', actor: 'system:test', investorId: 'other', data: {} });

    const history = await kycHistory({ investors: new InMemoryInvestorRepository([investor]), records: store }, investorId);
    expect(history.events.map((event) => `${event.stream} ${event.type}`)).toEqual([
      `investor#${investorId} investor.registered`,
      `investor#${investorId} investor.kyc_pending`,
      'kyc#sumsub:applicant-1 kyc.event.stale',
      `investor#${investorId} investor.kyc_approved`,
      'case#case_1 case.opened',
    ]);
    expect(history).toMatchObject({ investorId, current: { vendor: 'sumsub', verdict: 'approved' }, truncated: false });
  });

  it('reads page after page of a long trail', async () => {
    const { audit, store } = inMemoryAuditLog();
    const investor = anInvestor();
    for (let index = 0; index < 1203; index += 1)
      await audit.append({
        stream: `investor#${investor.investorId}`,
        type: 'investor.kyc_updated',
        actor: 'system:test',
        investorId: investor.investorId,
        data: {},
      });
    const history = await kycHistory({ investors: new InMemoryInvestorRepository([investor]), records: store }, investor.investorId);
    expect(history.events).toHaveLength(1203);
  });

  it('is a 404 for an investor that does not exist', async () => {
    const { store } = inMemoryAuditLog();
    await expect(kycHistory({ investors: new InMemoryInvestorRepository(), records: store }, 'nobody')).rejects.toThrow(NotFoundError);
  });
});
