import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { GENESIS_HASH, nextRecord, type AuditEvent, type AuditRecord } from '../../../lambda/modules/audit';
import { canonicalRecord, hashOf } from '../../../lambda/modules/audit/record';

const event: AuditEvent = {
  stream: 'investor#1',
  type: 'investor.registered',
  actor: 'portal:app',
  investorId: '1',
  data: { wallets: ['0xabc'], country: 'US' },
};

describe('audit record hash chain', () => {
  it('starts a stream at seq 1 chained to the genesis hash', () => {
    const first = nextRecord(event, undefined, '2026-01-01T00:00:00.000Z');
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('links each record to the hash of the one before', () => {
    const first = nextRecord(event, undefined, '2026-01-01T00:00:00.000Z');
    const second = nextRecord({ ...event, type: 'screening.completed' }, first, '2026-01-01T00:00:01.000Z');
    expect(second.seq).toBe(2);
    expect(second.prevHash).toBe(first.hash);
  });

  it('hashes canonically: key order does not matter, every field does', () => {
    const record = nextRecord(event, undefined, '2026-01-01T00:00:00.000Z');
    const { hash, ...unsigned } = record;
    const reordered = Object.fromEntries(Object.entries(unsigned).reverse()) as typeof unsigned;
    expect(hashOf(reordered)).toBe(hash);
    expect(hashOf({ ...unsigned, data: { ...unsigned.data, country: 'GB' } })).not.toBe(hash);
    expect(hashOf({ ...unsigned, seq: 2 })).not.toBe(hash);
    expect(hashOf({ ...unsigned, actor: 'someone-else' })).not.toBe(hash);
  });
});

describe('canonical record serialisation', () => {
  const text = fc.string({ unit: 'binary' });
  const json: fc.Arbitrary<unknown> = fc.jsonValue();
  it('is byte for byte what the general RFC 8785 canonicaliser gives, for any record shape', () => {
    fc.assert(
      fc.property(
        fc.record({
          stream: text,
          type: text,
          actor: text,
          investorId: fc.option(text, { nil: undefined }),
          data: fc.dictionary(text, json),
          idempotencyKey: fc.option(text, { nil: undefined }),
          seq: fc.oneof(fc.nat(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string()),
          at: text,
          prevHash: text,
        }),
        (record) => {
          const { stream, type, actor, investorId, data, idempotencyKey, seq, at, prevHash } = record as unknown as AuditRecord;
          expect(canonicalRecord(record as unknown as AuditRecord)).toBe(
            canonicalize({ stream, type, actor, investorId: investorId ?? null, data, idempotencyKey: idempotencyKey ?? null, seq, at, prevHash }),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
