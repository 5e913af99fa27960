import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { normaliseWallet } from '../../../lambda/modules/screening/wallets';
import { OFAC_DATA, realEngine, realList } from '../../helpers/ofac-data';

describe('wallet normalisation', () => {
  it('folds case only where the address format is case-insensitive', () => {
    expect(normaliseWallet('0xAbCdEf0000000000000000000000000000000001')).toBe('0xabcdef0000000000000000000000000000000001');
    expect(normaliseWallet('BC1QLLMLVY0000000000000000000000000000000')).toBe('bc1qllmlvy0000000000000000000000000000000');
    expect(normaliseWallet('QQ3VLASHTHKTQPEPPUV7TRMW070E3MYDGQ63ZQ348V')).toBe('qq3vlashthktqpeppuv7trmw070e3mydgq63zq348v');
    // Base58 (legacy Bitcoin, Tron, Monero, Ripple): case is part of the address.
    expect(normaliseWallet('12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h')).toBe('12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h');
  });

  it('trims and strips payment-URI schemes and their parameters', () => {
    expect(normaliseWallet('  bitcoin:12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h?amount=1 ')).toBe('12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h');
    expect(normaliseWallet('ethereum:0xAbCdEf0000000000000000000000000000000001@1')).toBe('0xabcdef0000000000000000000000000000000001');
    expect(normaliseWallet('bitcoincash:qq3vlashthktqpeppuv7trmw070e3mydgq63zq348v')).toBe('qq3vlashthktqpeppuv7trmw070e3mydgq63zq348v');
  });
});

describe('exact wallet screening against the 2024-05-03 list', () => {
  const engine = realEngine();
  const listed = realList().entries.flatMap((entry) => entry.wallets.map((wallet) => ({ sdnId: entry.sdnId, address: wallet.address })));

  it('finds every listed address, each with its SDN id, as a block', () => {
    expect(listed.length).toBeGreaterThanOrEqual(586);
    const missed = listed.filter(({ sdnId, address }) => {
      const outcome = engine.screen({ wallets: [address] });
      return outcome.verdict !== 'block' || !outcome.matches.some((match) => match.sdnId === sdnId && match.matchedOn === 'address' && match.score === 1);
    });
    expect(missed).toEqual([]);
  });

  it('agrees with an independent extraction from sdn_advanced.xml, but for the one address designated after this snapshot', () => {
    const folder = path.join(OFAC_DATA, 'crypto-address-lists', '2024-05-08');
    const independent = readdirSync(folder).flatMap((file) => JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as string[]);
    const unfound = [...new Set(independent)].filter((address) => engine.screen({ wallets: [address] }).verdict !== 'block');
    expect(unfound).toEqual(['bc1qvhnfknw852ephxyc5hm4q520zmvf9maphetc9z']);
  });

  it('matches EVM and bech32 addresses whatever their case, Base58 only exactly', () => {
    const evm = listed.find(({ address }) => address.startsWith('0x'))!;
    expect(engine.screen({ wallets: [evm.address.toUpperCase().replace('0X', '0x')] }).verdict).toBe('block');
    const bech32 = listed.find(({ address }) => address.startsWith('bc1'))!;
    expect(engine.screen({ wallets: [bech32.address.toUpperCase()] }).verdict).toBe('block');
    const base58 = listed.find(({ address }) => /^[13][a-km-zA-HJ-NP-Z1-9]+$/.test(address) && /[a-z]/.test(address))!;
    expect(engine.screen({ wallets: [base58.address.toLowerCase()] }).verdict).toBe('clear');
  });

  it('never matches a prefix, a substring or a longer address', () => {
    for (const { address } of listed.slice(0, 50)) {
      expect(engine.screen({ wallets: [address.slice(0, -1)] }).verdict).toBe('clear');
      expect(engine.screen({ wallets: [address.slice(1)] }).verdict).toBe('clear');
      expect(engine.screen({ wallets: [`${address}0`] }).verdict).toBe('clear');
    }
  });

  it('blocks on a wallet even when the name is clean', () => {
    const outcome = engine.screen({ name: 'Jane Doe', type: 'individual', wallets: ['0x1111111111111111111111111111111111111111', listed[0]!.address] });
    expect(outcome.verdict).toBe('block');
    expect(outcome.matches[0]).toMatchObject({ sdnId: listed[0]!.sdnId, matchedOn: 'address', score: 1 });
  });
});
