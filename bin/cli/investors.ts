import type { Command } from 'commander';
import { emit } from './output';
import { apiTarget, callApi } from './session';

interface InvestorView {
  readonly investorId: string;
  readonly status: string;
  readonly countryOfResidence: string;
  readonly wallets: readonly string[];
  readonly updatedAt: string;
}

/** `cli investors show <id>`: an investor's lifecycle status, through the HTTP API. */
export function register(program: Command): void {
  const investors = program.command('investors').description('Investors, through the HTTP API');
  investors
    .command('show')
    .description("Show an investor's status and wallets")
    .argument('<investorId>')
    .option('--api-url <url>', 'API base URL (default: TC_API_URL or the local session)')
    .option('--token <jwt>', 'bearer token (default: TC_TOKEN or the local session)')
    .option('--as <user>', 'local dev user or role from `npm start`', 'operator')
    .option('--json', 'print JSON', false)
    .action(async (investorId: string, options: { apiUrl?: string; token?: string; as?: string; json: boolean }) => {
      const investor = await callApi<InvestorView>(apiTarget(options), 'GET', `/investors/${encodeURIComponent(investorId)}`);
      emit(options.json, investor, () =>
        [
          `investor ${investor.investorId}`,
          `  status   ${investor.status}`,
          `  country  ${investor.countryOfResidence}`,
          `  wallets  ${investor.wallets.join(', ')}`,
          `  updated  ${investor.updatedAt}`,
        ].join('\n'),
      );
    });
}
