/**
 * Wallet addresses compare exactly, after the normalisation each address family allows and no
 * more: EVM hex and bech32/cashaddr are case-insensitive, Base58 (legacy Bitcoin, Tron, Monero,
 * Ripple, ...) is case-sensitive. Never a prefix or substring match.
 */

const URI_SCHEMES = /^(bitcoin|ethereum|litecoin|bitcoincash|tron|dash|zcash|monero|ripple):/i;
const EVM = /^0x[0-9a-f]{40}$/i;
const BECH32 = /^(bc|tb|bcrt|ltc|tltc)1[02-9ac-hj-np-z]{6,87}$/i;
const CASHADDR = /^[qp][02-9ac-hj-np-z]{41}$/i;

/** The comparable form of an address: trimmed, URI scheme and parameters removed, case folded where the format allows. */
export function normaliseWallet(address: string): string {
  let value = address.trim();
  const scheme = URI_SCHEMES.exec(value);
  if (scheme) {
    // bitcoin:<addr>?amount=…, ethereum:<addr>@<chainId>/transfer?…
    value = value.slice(scheme[0].length).replace(/^\/\//, '').split(/[?@/]/)[0]!;
  }
  if (EVM.test(value) || BECH32.test(value) || CASHADDR.test(value)) return value.toLowerCase();
  return value;
}
