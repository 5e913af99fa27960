import { Option, type Command } from 'commander';
import { KYC_VERDICTS, KYC_VENDORS } from '../../lambda/shared';
import { CliError, EXIT, emit } from './output';
import { WORK_DIR_HELP, readLocalSession } from './session';

interface DecideOptions {
  vendor: string;
  applicant: string;
  verdict: string;
  reference?: string;
  firstName?: string;
  lastName?: string;
  dob?: string;
  country?: string;
  at?: string;
  workDir?: string;
  json: boolean;
}

/** `cli kyc decide`: the local vendor simulator decides, and delivers its signed webhook to the local API. */
export function register(program: Command): void {
  const kyc = program.command('kyc').description('KYC vendors, simulated locally');
  kyc
    .command('decide')
    .description(
      'Make the simulated KYC vendor decide on an applicant and deliver the webhook exactly as the vendor signs it (npm start must be running). ' +
        'The vendor reports the person it verified: --first-name, --last-name, --dob and --country (unset ones default to Jane Doe, 1980-01-31, US; ' +
        'with none given, the person of an earlier decision on the same applicant, else that default). A person who differs from the registration opens a kyc_conflict case.',
    )
    .addOption(new Option('--vendor <vendor>', 'the vendor').choices(KYC_VENDORS).makeOptionMandatory())
    .requiredOption('--applicant <id>', "the vendor's applicant id (as registered in the investor's kyc.applicantId)")
    .addOption(new Option('--verdict <verdict>', 'the decision').choices(KYC_VERDICTS).makeOptionMandatory())
    .option('--reference <externalId>', 'our reference the vendor echoes (the portal externalId)')
    .option('--first-name <name>', 'the verified person (default Jane)')
    .option('--last-name <name>', 'the verified person (default Doe)')
    .option('--dob <YYYY-MM-DD>', 'the verified date of birth (default 1980-01-31)')
    .option('--country <alpha-2>', 'the verified country (default US)')
    .option('--at <ISO time>', "the vendor's event time (default now): older than a verdict already applied means ignored")
    .option('--work-dir <dir>', WORK_DIR_HELP)
    .option('--json', 'print JSON', false)
    .action(async (options: DecideOptions) => {
      const { vendorSimulatorUrl } = readLocalSession(options.workDir);
      if (!vendorSimulatorUrl) throw new CliError('the running npm start has no vendor simulator; restart it');
      const person =
        options.firstName || options.lastName || options.dob || options.country
          ? {
              firstName: options.firstName ?? 'Jane',
              lastName: options.lastName ?? 'Doe',
              dateOfBirth: options.dob ?? '1980-01-31',
              country: (options.country ?? 'US').toUpperCase(),
            }
          : undefined;
      if (options.at && Number.isNaN(Date.parse(options.at))) throw new CliError('--at must be an ISO 8601 time');
      let response: Response;
      try {
        response = await fetch(`${vendorSimulatorUrl}/_simulator/decide`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            vendor: options.vendor,
            applicantId: options.applicant,
            verdict: options.verdict,
            externalReference: options.reference,
            person,
            at: options.at,
          }),
        });
      } catch (cause) {
        throw new CliError(`cannot reach the vendor simulator at ${vendorSimulatorUrl}: ${(cause as Error).message}; is npm start running?`, EXIT.failure);
      }
      if (!response.ok) throw new CliError(`the vendor simulator answered ${response.status}: ${await response.text()}`, EXIT.failure);
      const { delivered } = (await response.json()) as { delivered: { status: number; body: string } };
      emit(
        options.json,
        delivered,
        () => `${options.vendor} decided ${options.verdict} for ${options.applicant}: our webhook answered ${delivered.status} ${delivered.body}`,
      );
      if (delivered.status >= 300) process.exitCode = delivered.status >= 500 ? EXIT.failure : EXIT.refused;
    });
}
