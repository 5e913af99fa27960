/** Labels and dates as people read them; codes stay visible where officers search for them. */

const LABELS: Readonly<Record<string, string>> = {
  potential_match: 'Potential match',
  wallet_hit: 'Wallet hit',
  chain_drift: 'Chain drift',
  kyc_conflict: 'KYC conflict',
  open: 'Open',
  claimed: 'Claimed',
  pending_approval: 'Pending approval',
  needs_info: 'Needs information',
  closed: 'Closed',
  false_positive: 'False positive',
  true_match: 'True match',
  escalate: 'Escalate',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  name: 'name',
  alias: 'alias',
  weak_alias: 'weak alias',
  address: 'wallet address',
};

export const label = (code: string | undefined) => (code === undefined ? '—' : (LABELS[code] ?? code.replace(/_/g, ' ')));

export function dateTime(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-GB', {
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  });
}

export function age(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} days`;
}

export const shortId = (id: string) => (id.length > 16 ? `${id.slice(0, 13)}…` : id);
export const score = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(3));
