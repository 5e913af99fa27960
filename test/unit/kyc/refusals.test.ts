import { ValidationError } from '../../../lambda/shared';
import { parseRefusalQuery, webhookRefusals } from '../../../lambda/modules/kyc';
import { refusalReason } from '../../../lambda/modules/kyc/refusals';
import { InMemoryWebhookRefusals } from '../../../lambda/modules/kyc/fakes';

const NOW = new Date('2026-12-02T18:30:00.000Z');

describe('refusal reasons', () => {
  it('are a bounded vocabulary: array indexes collapse, long field names are cut', () => {
    expect(refusalReason('signature', 'signature_mismatch')).toBe('signature:signature_mismatch');
    expect(refusalReason('malformed', 'data.reasons.17')).toBe('malformed:data.reasons.*');
    expect(refusalReason('malformed', 'a.3.b.12.c')).toBe('malformed:a.*.b.*.c');
    expect(refusalReason('unknown_vendor')).toBe('unknown_vendor');
    expect(refusalReason('malformed', 'x'.repeat(500))).toHaveLength(120);
  });
});

describe('the refusal counts auditors read', () => {
  it('defaults to the last 24 hours and refuses a backwards, oversize or malformed range naming the field', () => {
    expect(parseRefusalQuery({}, NOW)).toEqual({ from: new Date('2026-12-01T18:30:00.000Z'), to: NOW, vendor: undefined });
    const fieldOf = (input: unknown) => {
      try {
        parseRefusalQuery(input, NOW);
        return 'accepted';
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).issues.map((issue) => issue.field).join(',');
      }
    };
    expect(fieldOf({ from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' })).toBe('from');
    expect(fieldOf({ from: '2026-10-01T00:00:00Z', to: '2026-12-01T00:00:00Z' })).toBe('from');
    expect(fieldOf({ from: '2026-02-30T00:00:00Z' })).toBe('from');
    expect(fieldOf({ vendor: 'v'.repeat(41) })).toBe('vendor');
    expect(fieldOf({ stream: 'x' })).toBe('(body)');
  });

  it('sums the counters of the range, newest hour first, one vendor when asked', async () => {
    const refusals = new InMemoryWebhookRefusals();
    for (const [vendor, reason, at] of [
      ['veriff', 'signature:signature_mismatch', '2026-12-02T17:10:00Z'],
      ['veriff', 'signature:signature_mismatch', '2026-12-02T17:50:00Z'],
      ['veriff', 'signature:signature_mismatch', '2026-12-02T18:01:00Z'],
      ['persona', 'malformed:data.id', '2026-12-02T18:02:00Z'],
      ['unknown', 'unknown_vendor', '2026-11-20T00:00:00Z'],
    ] as const)
      await refusals.add({ vendor, reason, at: new Date(at) });
    const all = await webhookRefusals({ refusals }, parseRefusalQuery({}, NOW));
    expect(all.total).toBe(4);
    expect(all.counts.map((count) => [count.hour, count.vendor, count.reason, count.count])).toEqual([
      ['2026-12-02T18', 'persona', 'malformed:data.id', 1],
      ['2026-12-02T18', 'veriff', 'signature:signature_mismatch', 1],
      ['2026-12-02T17', 'veriff', 'signature:signature_mismatch', 2],
    ]);
    const veriff = await webhookRefusals({ refusals }, parseRefusalQuery({ vendor: 'veriff', from: '2026-12-02T18:00:00Z' }, NOW));
    expect(veriff).toMatchObject({ total: 1, from: '2026-12-02T18:00:00.000Z', to: NOW.toISOString() });
  });
});
