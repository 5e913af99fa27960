import type { Command } from 'commander';
import { readChainsConfig, registriesOf } from '../../lambda/config/chains';
import { queueUrl, tableName } from '../../lambda/config/env';
import { migrateIdentities } from '../../lambda/modules/allowlist';
import { DynamoInvestorRepository, SqsAllowlistRequests } from '../../lambda/modules/investors/adapters';
import { documentClient } from '../../lambda/platform/aws/dynamo';
import { sqsClient } from '../../lambda/platform/aws/sqs';
import { emit } from './output';
import { progressBar } from './progress';
import { WORK_DIR_HELP, composeFor } from './session';

interface MigrateOptions {
  readonly local?: boolean;
  readonly workDir?: string;
  readonly json: boolean;
}

/** `cli allowlist migrate-identities`: every wallet onto its investor's one identity, with our KYC claim. */
export function register(program: Command): void {
  const allowlist = program.command('allowlist').description('the ERC-3643 allowlist');
  allowlist
    .command('migrate-identities')
    .description(
      "Moves the wallets of eligible and allowlisted investors off per-wallet identities: queues each wallet's add again on every registry; " +
        "the allowlist worker creates the investor's one identity, gives it our KYC claim and moves the wallet to it (updateIdentity). " +
        'Wallets already on their investor identity are left alone, so it is safe to run again. Run it after setting claimIssuer, before requiring the KYC topic.',
    )
    .option('--local', 'use the running `npm start` (its tables and queue)')
    .option('--work-dir <dir>', WORK_DIR_HELP)
    .option('--json', 'print JSON', false)
    .action(async (options: MigrateOptions) => {
      const deps = composeFor(options, (env) => ({
        investors: new DynamoInvestorRepository(documentClient(), tableName('investors', env)),
        allowlist: new SqsAllowlistRequests(sqsClient(), queueUrl('allowlist', env)),
        registries: registriesOf(readChainsConfig(env)),
      }));
      const progress = progressBar('queueing adds', 0, { quiet: options.json, unit: 'changes' });
      const result = await migrateIdentities(deps, (changes) => progress.tick(changes));
      progress.stop();
      emit(
        options.json,
        result,
        () =>
          `queued ${result.changes} add change(s) for ${result.investors} investor(s) on ${deps.registries.length} registr(ies); the allowlist worker moves each wallet to its investor's identity`,
      );
    });
}
