import { parseAuditQuery, parseExportRequest, parsePageSize, parseVerifyParams, queryAudit, type AuditRecord } from '../../../lambda/modules/audit';
import { walletsOf } from '../../../lambda/modules/audit/query';
import { InMemoryAuditRecords, inMemoryAuditLog } from '../../../lambda/modules/audit/fakes';
import { ValidationError } from '../../../lambda/shared';

const WALLET = '0x00000000000000000000000000000000000000aa';

/** The fields of a ValidationError's issues, or the error if it is not one. */
function issuesOf(parse: () => unknown): string[] {
  try {
    parse();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((issue) => issue.field);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseAuditQuery', () => {
  it('takes one subject, a type and a time range, normalising times to UTC and wallets to lower case', () => {
    expect(parseAuditQuery({ wallet: WALLET.toUpperCase().replace('0X', '0x'), from: '2026-03-02T12:00:00+02:00' })).toEqual({
      wallet: WALLET,
      from: '2026-03-02T10:00:00.000Z',
    });
    expect(parseAuditQuery({ type: 'screening.completed' })).toEqual({ type: 'screening.completed' });
    expect(parseAuditQuery({ caseId: 'c1', type: 'case.opened', to: '2026-03-02T10:00:00Z' })).toEqual({
      caseId: 'c1',
      type: 'case.opened',
      to: '2026-03-02T10:00:00.000Z',
    });
  });

  it('names each field that is wrong: two subjects, nothing to narrow by, a reversed range, malformed values, unknown fields', () => {
    expect(issuesOf(() => parseAuditQuery({ investorId: 'a', stream: 'investor#a' }))).toEqual(['stream']);
    expect(issuesOf(() => parseAuditQuery({}))).toEqual(['from']);
    expect(issuesOf(() => parseAuditQuery({ type: 'x.y', from: '2026-03-02T10:00:00Z', to: '2026-03-01T10:00:00Z' }))).toEqual(['to']);
    expect(issuesOf(() => parseAuditQuery({ wallet: '0x1234', type: 'Not A Type' })).sort()).toEqual(['type', 'wallet']);
    expect(issuesOf(() => parseAuditQuery({ from: 'yesterday' }))).toEqual(['from']);
    expect(issuesOf(() => parseAuditQuery({ type: 'x.y', everything: true }))).toEqual(['(body)']);
  });
});

describe('parsePageSize', () => {
  it('defaults to 100 and accepts 1 to 1000', () => {
    expect(parsePageSize(undefined)).toBe(100);
    expect(parsePageSize('1')).toBe(1);
    expect(parsePageSize('1000')).toBe(1000);
  });

  it.each(['0', '1001', '2.5', 'ten', ''])('refuses %p, naming limit', (raw) => {
    expect(issuesOf(() => parsePageSize(raw))).toEqual(['limit']);
  });
});

describe('walletsOf', () => {
  it('finds the wallets of data.wallet and data.wallets, lower-cased, once each, and ignores anything else', () => {
    const upper = WALLET.replace('aa', 'AA');
    expect(walletsOf({ wallet: upper, wallets: [WALLET, '0x00000000000000000000000000000000000000bb', 'not-a-wallet', 7] })).toEqual([
      WALLET,
      '0x00000000000000000000000000000000000000bb',
    ]);
    expect(walletsOf({ wallets: 'not-a-list', wallet: 42 })).toEqual([]);
  });
});

describe('queryAudit', () => {
  async function log() {
    let clock = Date.parse('2026-03-02T10:00:00.000Z');
    const { audit, store } = inMemoryAuditLog(() => new Date((clock += 1000)));
    for (const investor of ['a', 'b']) {
      await audit.append({ stream: `investor#${investor}`, type: 'investor.registered', actor: 'portal', investorId: investor, data: { wallets: [WALLET] } });
      await audit.append({ stream: `investor#${investor}`, type: 'screening.completed', actor: 'system:screening', investorId: investor, data: {} });
    }
    await audit.append({ stream: 'case#c1', type: 'case.opened', actor: 'system:screening', investorId: 'a', data: { wallet: WALLET } });
    return { queries: new InMemoryAuditRecords(store) };
  }

  const names = (records: readonly AuditRecord[]) => records.map((record) => `${record.stream}/${record.seq}`);

  it("pages through a query's records with the cursor of each page, as auditors see them (no index attributes)", async () => {
    const deps = await log();
    const first = await queryAudit(deps, parseAuditQuery({ wallet: WALLET }), 2);
    expect(names(first.records)).toEqual(['investor#a/1', 'investor#b/1']);
    expect(Object.keys(first.records[0]!).sort()).toEqual(['actor', 'at', 'data', 'hash', 'idempotencyKey', 'investorId', 'prevHash', 'seq', 'stream', 'type']);
    const second = await queryAudit(deps, parseAuditQuery({ wallet: WALLET }), 2, first.cursor);
    expect(names(second.records)).toEqual(['case#c1/1']);
    expect(second.cursor).toBeUndefined();
    expect('cursor' in second).toBe(false);
  });

  it('answers by investor, case, stream, type and time', async () => {
    const deps = await log();
    const all = async (input: Record<string, string>) => names((await queryAudit(deps, parseAuditQuery(input), 100)).records);
    expect(await all({ investorId: 'a' })).toEqual(['investor#a/1', 'investor#a/2', 'case#c1/1']);
    expect(await all({ investorId: 'a', type: 'case.opened' })).toEqual(['case#c1/1']);
    expect(await all({ caseId: 'c1' })).toEqual(['case#c1/1']);
    expect(await all({ stream: 'investor#b', type: 'screening.completed' })).toEqual(['investor#b/2']);
    expect(await all({ type: 'investor.registered' })).toEqual(['investor#a/1', 'investor#b/1']);
    expect(await all({ from: '2026-03-02T10:00:02.500Z', to: '2026-03-02T10:00:04.000Z' })).toEqual(['investor#b/1', 'investor#b/2']);
  });

  it('refuses a cursor of another query, and one that is not a cursor', async () => {
    const deps = await log();
    const page = await queryAudit(deps, parseAuditQuery({ investorId: 'a' }), 1);
    await expect(queryAudit(deps, parseAuditQuery({ investorId: 'b' }), 1, page.cursor)).rejects.toThrow(ValidationError);
    await expect(queryAudit(deps, parseAuditQuery({ investorId: 'a' }), 1, 'forged')).rejects.toThrow(/cursor is not a cursor of this query/);
  });
});

describe('parseExportRequest', () => {
  it('takes a query and a delivery, auto by default', () => {
    expect(parseExportRequest({ query: { investorId: 'a' } })).toEqual({ query: { investorId: 'a' }, delivery: 'auto' });
    expect(parseExportRequest({ query: { type: 'case.opened' }, delivery: 'link' })).toEqual({ query: { type: 'case.opened' }, delivery: 'link' });
  });

  it('names what is wrong in the query, the delivery or an unknown field', () => {
    expect(issuesOf(() => parseExportRequest({ query: {}, delivery: 'email', extra: 1 })).sort()).toEqual(['(body)', 'delivery', 'query.from']);
  });
});

describe('parseVerifyParams', () => {
  it('takes an optional stream and nothing else', () => {
    expect(parseVerifyParams({})).toEqual({});
    expect(parseVerifyParams({ stream: 'investor#a' })).toEqual({ onlyStream: 'investor#a' });
    expect(parseVerifyParams({ stream: '' })).toEqual({});
    expect(issuesOf(() => parseVerifyParams({ stream: 'investor#a', everything: '1', limit: '5' }))).toEqual(['everything', 'limit']);
  });
});
