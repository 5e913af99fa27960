#!/usr/bin/env node
/**
 * `npm run --silent cli -- <command>`: the operators', officers' and auditors' command line.
 * Every command has --help; commands that print data have --json.
 */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './cli/commands';
import { CliError, EXIT } from './cli/output';

const program = new Command()
  .name('cli')
  .description('treasury-compliance command line (npm run --silent cli -- <command> --help)')
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();
for (const command of COMMANDS) command.register(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  if (error instanceof CliError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exit(EXIT.failure);
});
