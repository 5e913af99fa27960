import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { FAILURE_MESSAGES, SUMSUB_ALGORITHMS, lowerCaseHeaders, verifyWebhookSignature, type SumsubAlgorithm } from '../../lambda/modules/kyc';
import { KYC_VENDORS, type KycVendor } from '../../lambda/shared';
import { CliError, EXIT } from './output';

function readFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new CliError(`cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function readHeaders(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(path, 'headers').toString('utf8'));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`the headers file ${path} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((value) => typeof value !== 'string')) {
    throw new CliError(`the headers file ${path} must hold one JSON object of header name to string value`);
  }
  return lowerCaseHeaders(parsed as Record<string, unknown>);
}

function unixSeconds(value: string): Date {
  if (!/^\d{1,12}$/.test(value)) throw new CliError(`--now must be unix seconds, e.g. ${Math.floor(Date.now() / 1000)}`);
  return new Date(Number(value) * 1000);
}

/** `cli webhook verify`: checks a KYC vendor webhook's signature exactly as the webhook endpoint does. */
export function register(program: Command): void {
  const webhook = program.command('webhook').description('KYC vendor webhooks');
  webhook
    .command('verify')
    .description('Verify a webhook signature on the raw body: prints "valid" (exit 0) or the reason (exit 1)')
    .addOption(new Option('--vendor <vendor>', 'the sender').choices(KYC_VENDORS).makeOptionMandatory())
    .requiredOption('--secret <secret>', 'webhook secret (repeat for several active secrets)', (value: string, previous: string[] = []) => [...previous, value])
    .requiredOption('--headers <file>', 'file with a JSON object of header name to value')
    .requiredOption('--body <file>', 'file with the raw body, byte for byte')
    .option('--now <unix seconds>', 'fix the clock for timestamp checks')
    .addOption(
      new Option('--sumsub-algorithm <algorithm>', 'Sumsub digest algorithm configured on the vendor side')
        .choices(Object.keys(SUMSUB_ALGORITHMS))
        .default('HMAC_SHA256_HEX'),
    )
    .action((options: { vendor: KycVendor; secret: string[]; headers: string; body: string; now?: string; sumsubAlgorithm: SumsubAlgorithm }) => {
      const headers = readHeaders(options.headers);
      const rawBody = readFile(options.body, 'body');
      const now = options.now === undefined ? new Date() : unixSeconds(options.now);
      const result = verifyWebhookSignature(options.vendor, { headers, rawBody }, { secrets: options.secret, now, sumsubAlgorithm: options.sumsubAlgorithm });
      if (result.valid) {
        process.stdout.write('valid\n');
        return;
      }
      process.stdout.write(`invalid: ${FAILURE_MESSAGES[result.failure]} (${result.failure})\n`);
      process.exitCode = EXIT.negative;
    });
}
