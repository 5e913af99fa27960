import { allowlistChangeSchema, changeDeduplicationId, changeGroupId, type AllowlistChange } from '../../../lambda/shared';

const change: AllowlistChange = allowlistChangeSchema.parse({
  action: 'add',
  investorId: 'i-1',
  wallet: '0x1111111111111111111111111111111111111111',
  country: 'US',
  chainId: 31337,
  identityRegistry: '0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6',
  version: 3,
});

describe('allowlist change keys', () => {
  it('groups by chain and registry, whatever the address case', () => {
    expect(changeGroupId(change)).toBe('31337:0x2279b7a0a67db372996a5fab50d91eaa73d2ebe6');
    expect(changeGroupId({ ...change, identityRegistry: change.identityRegistry.toUpperCase().replace('0X', '0x') })).toBe(changeGroupId(change));
  });

  it('de-duplicates the same intended change and separates different ones', () => {
    expect(changeDeduplicationId({ ...change })).toBe(changeDeduplicationId(change));
    expect(changeDeduplicationId({ ...change, version: 4 })).not.toBe(changeDeduplicationId(change));
    expect(changeDeduplicationId({ ...change, action: 'remove' })).not.toBe(changeDeduplicationId(change));
    expect(changeDeduplicationId({ ...change, chainId: 1 })).not.toBe(changeDeduplicationId(change));
  });

  it('fits SQS limits: at most 128 characters', () => {
    expect(changeDeduplicationId(change).length).toBeLessThanOrEqual(128);
    expect(changeGroupId(change).length).toBeLessThanOrEqual(128);
  });
});
