import type { Command } from 'commander';
import * as audit from './audit';
import * as cases from './cases';
import * as allowlist from './allowlist';
import * as dlq from './dlq';
import * as investors from './investors';
import * as kyc from './kyc';
import * as screening from './screening';
import * as token from './token';
import * as webhook from './webhook';

/** Every CLI command group; each module registers its own subcommands. */
export const COMMANDS: readonly { register(program: Command): void }[] = [investors, screening, dlq, audit, webhook, kyc, cases, allowlist, token];
