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

function render(investor: InvestorView, note?: string): string {
  return [
    `investor ${investor.investorId}${note ? ` (${note})` : ''}`,
    `  status   ${investor.status}`,
    `  country  ${investor.countryOfResidence}`,
    `  wallets  ${investor.wallets.join(', ')}`,
    `  updated  ${investor.updatedAt}`,
  ].join('\n');
}

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

/** Reads the investor until their status is `status` or `timeoutMs` have passed; the last read either way. */
async function waitForStatus(target: ApiTarget, investorId: string, status: InvestorStatus, timeoutMs: number): Promise<InvestorView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const investor = await callApi<InvestorView>(target, 'GET', `/investors/${encodeURIComponent(investorId)}`);
    if (investor.status === status || Date.now() >= deadline) return investor;
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

  withApiOptions(investors.command('show').description("Show an investor's status and wallets").argument('<investorId>'), 'operator')
    .addOption(new Option('--wait-for <status>', 'wait until the investor has this status (exit 1 if not within --timeout)').choices(INVESTOR_STATUSES))
    .option('--timeout <seconds>', 'how long --wait-for waits', '60')
    .action(async (investorId: string, options: ShowOptions) => {
      const target = apiTarget(options);
      const investor = options.waitFor
        ? await waitForStatus(target, investorId, options.waitFor, seconds(options.timeout, '--timeout') * 1000)
        : await callApi<InvestorView>(target, 'GET', `/investors/${encodeURIComponent(investorId)}`);
      emit(options.json, investor, () => render(investor));
      if (options.waitFor && investor.status !== options.waitFor) {
        process.stderr.write(`error: investor ${investorId} is still ${investor.status} after ${options.timeout} s, not ${options.waitFor}\n`);
        process.exitCode = EXIT.negative;
      }
    });
}
