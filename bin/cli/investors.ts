import { Option, type Command } from 'commander';
import { INVESTOR_STATUSES, type InvestorStatus } from '../../lambda/modules/investors';
import { KYC_VENDORS } from '../../lambda/shared';
import { CliError, EXIT, emit } from './output';
import { apiTarget, callApi, requestApi, withApiOptions, type ApiTarget } from './session';

interface InvestorView {
  readonly investorId: string;
  readonly externalId: string;
  readonly status: InvestorStatus;
  readonly countryOfResidence: string;
  readonly wallets: readonly string[];
  readonly updatedAt: string;
}

/** GET /investors/{id}/wallets, the part `show` prints: how far each chain has come. */
interface ChainView {
  readonly chainId: number;
  readonly chainName?: string;
  readonly state: 'allowlisted' | 'partial' | 'absent' | 'frozen' | 'unavailable';
}

type ShownInvestor = InvestorView & { readonly chains?: readonly ChainView[] };

interface ApiOptions {
  apiUrl?: string;
  token?: string;
  as?: string;
  workDir?: string;
  json: boolean;
}

interface RegisterOptions extends ApiOptions {
  externalId: string;
  legalName: string;
  type?: string;
  dob?: string;
  country: string;
  nationality?: string;
  wallet: string[];
  kycVendor?: string;
  kycApplicant?: string;
  quiet: boolean;
}

interface ShowOptions extends ApiOptions {
  waitFor?: InvestorStatus;
  timeout: string;
}

const POLL_MS = 500;

function render(investor: ShownInvestor, note?: string): string {
  return [
    `investor ${investor.investorId}${note ? ` (${note})` : ''}`,
    `  status   ${investor.status}`,
    ...(investor.chains ? [`  chains   ${renderChains(investor.chains)}`] : []),
    `  country  ${investor.countryOfResidence}`,
    `  wallets  ${investor.wallets.join(', ')}`,
    `  updated  ${investor.updatedAt}`,
  ].join('\n');
}

/** "allowlisted on 3 of 7 (pending: chain-d, chain-e; unavailable: chain-g)": the status alone turns allowlisted at the first. */
export function renderChains(chains: readonly ChainView[]): string {
  const name = (chain: ChainView) => chain.chainName ?? String(chain.chainId);
  const named = (state: ChainView['state']) => chains.filter((chain) => chain.state === state).map(name);
  const others = (
    [
      ['pending', [...named('partial'), ...named('absent')]],
      ['frozen', named('frozen')],
      ['unavailable', named('unavailable')],
    ] as const
  ).filter(([, names]) => names.length > 0);
  const rest = others.map(([label, names]) => `${label}: ${names.join(', ')}`).join('; ');
  return `allowlisted on ${named('allowlisted').length} of ${chains.length}${rest ? ` (${rest})` : ''}`;
}

/** Every configured chain has every wallet: what `--wait-for allowlisted` waits for, not just the first registry's word. */
const onEveryChain = (investor: ShownInvestor) => investor.chains !== undefined && investor.chains.every((chain) => chain.state === 'allowlisted');

/** Where wallets may be on chain, the investor with each chain's progress (the status says allowlisted at the first). */
async function readInvestor(target: ApiTarget, investorId: string): Promise<ShownInvestor> {
  const path = `/investors/${encodeURIComponent(investorId)}`;
  const investor = await callApi<InvestorView>(target, 'GET', path);
  if (!ON_CHAIN_STATUSES.has(investor.status)) return investor;
  const { chains } = await callApi<{ chains: readonly ChainView[] }>(target, 'GET', `${path}/wallets`);
  return { ...investor, chains };
}

const ON_CHAIN_STATUSES: ReadonlySet<InvestorStatus> = new Set(['eligible', 'allowlisted']);

/** The body of `POST /investors`, from the command's options. */
export function registrationOf(options: RegisterOptions): Record<string, unknown> {
  if (Boolean(options.kycVendor) !== Boolean(options.kycApplicant))
    throw new CliError('--kyc-vendor and --kyc-applicant go together: the applicant the portal created at that vendor');
  return {
    externalId: options.externalId,
    legalName: options.legalName,
    ...(options.type ? { type: options.type } : {}),
    ...(options.dob ? { dateOfBirth: options.dob } : {}),
    countryOfResidence: options.country.toUpperCase(),
    ...(options.nationality ? { nationality: options.nationality.toUpperCase() } : {}),
    wallets: options.wallet,
    ...(options.kycVendor ? { kyc: { vendor: options.kycVendor, applicantId: options.kycApplicant } } : {}),
  };
}

function seconds(value: string, option: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new CliError(`${option} must be a number of seconds above 0`);
  return parsed;
}

const reached = (investor: ShownInvestor, status: InvestorStatus) => investor.status === status && (status !== 'allowlisted' || onEveryChain(investor));

/** Reads the investor until they reached `status` (allowlisted: on every chain) or `timeoutMs` have passed; the last read either way. */
async function waitForStatus(target: ApiTarget, investorId: string, status: InvestorStatus, timeoutMs: number): Promise<ShownInvestor> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const investor = await readInvestor(target, investorId);
    if (reached(investor, status) || Date.now() >= deadline) return investor;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** `cli investors register|show`: the fund portal's registration and an investor's lifecycle status, through the HTTP API. */
export function register(program: Command): void {
  const investors = program.command('investors').description('Investors, through the HTTP API');

  withApiOptions(
    investors
      .command('register')
      .description('Register an investor as the fund portal does (POST /investors); a repeated --external-id returns the first registration'),
    'portal',
  )
    .requiredOption('--external-id <id>', "the portal's own id for the investor")
    .requiredOption('--legal-name <name>', 'the legal name, as on the identity document')
    .addOption(new Option('--type <type>', 'individual (the default) or entity').choices(['individual', 'entity']))
    .option('--dob <YYYY-MM-DD>', 'date of birth (individuals)')
    .requiredOption('--country <alpha-2>', 'country of residence')
    .option('--nationality <alpha-2>', 'nationality')
    .requiredOption('--wallet <address...>', 'the wallets of the investor (one or more)')
    .addOption(new Option('--kyc-vendor <vendor>', "the KYC vendor holding the investor's applicant").choices(KYC_VENDORS))
    .option('--kyc-applicant <id>', "the applicant id at that vendor (the vendor's verdict moves the investor on)")
    .option('-q, --quiet', 'print only the investor id (for `INVESTOR=$(...)`)', false)
    .action(async (options: RegisterOptions) => {
      const body = registrationOf(options);
      const { status, body: investor } = await requestApi<InvestorView>(apiTarget(options), 'POST', '/investors', body);
      if (options.quiet) return void process.stdout.write(`${investor.investorId}\n`);
      emit(options.json, investor, () =>
        render(investor, status === 201 ? 'registered' : `already registered as ${investor.externalId}: the first registration`),
      );
    });

  withApiOptions(
    investors.command('show').description("Show an investor's status, each chain's progress with their wallets, and the wallets").argument('<investorId>'),
    'operator',
  )
    .addOption(
      new Option('--wait-for <status>', 'wait until the investor has this status, allowlisted: on every chain (exit 1 if not within --timeout)').choices(
        INVESTOR_STATUSES,
      ),
    )
    .option('--timeout <seconds>', 'how long --wait-for waits', '60')
    .action(async (investorId: string, options: ShowOptions) => {
      const target = apiTarget(options);
      const investor = options.waitFor
        ? await waitForStatus(target, investorId, options.waitFor, seconds(options.timeout, '--timeout') * 1000)
        : await readInvestor(target, investorId);
      emit(options.json, investor, () => render(investor));
      if (options.waitFor && !reached(investor, options.waitFor)) {
        const where = investor.status === options.waitFor && investor.chains ? ` on every chain (${renderChains(investor.chains)})` : '';
        process.stderr.write(`error: investor ${investorId} is still ${investor.status} after ${options.timeout} s, not ${options.waitFor}${where}\n`);
        process.exitCode = EXIT.negative;
      }
    });
}
