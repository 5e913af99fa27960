import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { ListFolderError, readListFolder, FolderListSource } from '../../lambda/modules/screening/adapters';
import { DomainError } from '../../lambda/shared';
import { compose as composeRefresh } from '../../lambda/functions/sanctions-refresh/root';
import { ScreeningEngine, parsePublication, refreshSanctionsList, type ScreeningOutcome, type ScreeningSubject } from '../../lambda/modules/screening';
import { CliError, EXIT, emit } from './output';
import { progressBar } from './progress';
import { WORK_DIR_HELP, composeFor } from './session';

import { CURRENT_SDN_DIR } from '../local/ofac-data';
/** The newest complete SDN snapshot shipped with the repository (data/ofac, see its PROVENANCE.md). */
const DEFAULT_LIST_DIR = CURRENT_SDN_DIR;

/** One line of `--in`: our contract with the acceptance checks, so unknown fields are ignored but known ones must be right. */
const queryLineSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().optional(),
    type: z.enum(['individual', 'entity']).optional(),
    dateOfBirth: z.string().optional(),
    country: z.string().optional(),
    walletAddress: z.string().optional(),
  })
  .refine((line) => Boolean(line.name?.trim()) || Boolean(line.walletAddress?.trim()), { message: 'needs a name or a walletAddress' });
type QueryLine = z.output<typeof queryLineSchema>;

/** The output contract: exactly these fields, in this order. */
function resultLine(id: string, outcome: ScreeningOutcome): string {
  return JSON.stringify({
    id,
    verdict: outcome.verdict,
    listVersion: outcome.listVersion,
    matches: outcome.matches.map(({ sdnId, name, score, matchedOn }) => ({ sdnId, name, score, matchedOn })),
  });
}

function loadEngine(listDir: string): ScreeningEngine {
  try {
    const { files, fileDate } = readListFolder(listDir);
    return new ScreeningEngine(parsePublication(files, fileDate));
  } catch (error) {
    if (error instanceof ListFolderError || error instanceof DomainError) throw new CliError(error.message);
    throw error;
  }
}

/** Every line is checked before any is screened, so bad input produces no partial output. */
function readQueries(file: string): QueryLine[] {
  if (!existsSync(file)) throw new CliError(`input file ${file} does not exist`);
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const queries: QueryLine[] = [];
  lines.forEach((text, index) => {
    if (text.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CliError(`${file} line ${index + 1}: not valid JSON`);
    }
    const result = queryLineSchema.safeParse(parsed);
    if (!result.success) {
      const problems = result.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
      throw new CliError(`${file} line ${index + 1}: ${problems}`);
    }
    queries.push(result.data);
  });
  return queries;
}

const subjectOfLine = (line: QueryLine): ScreeningSubject => ({
  name: line.name,
  type: line.type,
  dateOfBirth: line.dateOfBirth,
  country: line.country,
  wallets: line.walletAddress ? [line.walletAddress] : [],
});

function describe(outcome: ScreeningOutcome): string {
  const lines = [`verdict  ${outcome.verdict}`, `list     ${outcome.listVersion}`];
  if (outcome.matches.length === 0) lines.push('no match at or above the review threshold');
  for (const match of outcome.matches) {
    const via =
      match.matchedOn === 'address' ? `listed address ${match.evidence?.matchedName}` : `${match.matchedOn.replace('_', ' ')} "${match.evidence?.matchedName}"`;
    lines.push(`  ${match.score.toFixed(4)}  SDN ${match.sdnId}  ${match.name}  [${match.programs.join(', ')}]  via ${via}`);
  }
  return lines.join('\n');
}

interface ScreenOptions {
  listDir: string;
  in?: string;
  out?: string;
  name?: string;
  wallet?: string;
  type?: 'individual' | 'entity';
  dob?: string;
  country?: string;
  json: boolean;
}

/** `cli screen`: screen names and wallets against a list folder, in batch (JSON lines) or one at a time. */
export function register(program: Command): void {
  program
    .command('screen')
    .description('Screen names and wallet addresses against an OFAC list folder (no AWS needed)')
    .option('--list-dir <dir>', 'folder with sdn.csv, add.csv, alt.csv, sdn_comments.csv (or sdn.xml / sdn_advanced.xml)', DEFAULT_LIST_DIR)
    .option('--in <file>', 'queries, one JSON object a line: {"id","name"?,"type"?,"dateOfBirth"?,"country"?,"walletAddress"?}')
    .option('--out <file>', 'write result lines here instead of stdout')
    .option('--name <name>', 'screen one name')
    .option('--wallet <address>', 'screen one wallet address')
    .option('--type <type>', 'with --name: individual or entity')
    .option('--dob <date>', 'with --name: date of birth, YYYY-MM-DD or YYYY')
    .option('--country <country>', 'with --name: country (ISO code or name)')
    .option('--json', 'one-off screening: print the result as a JSON line', false)
    .addHelpText(
      'after',
      '\nOutput lines: {"id","verdict":"clear"|"review"|"block","listVersion","matches":[{"sdnId","name","score","matchedOn"}]} (best first, at most 10).\nOne-off screenings exit 0 when clear and 1 on review or block; batches exit 0 once every line is written.\n',
    )
    .action((options: ScreenOptions) => {
      if (options.in && (options.name || options.wallet)) throw new CliError('use either --in <file> or --name/--wallet, not both');
      if (!options.in && !options.name && !options.wallet) throw new CliError('nothing to screen: pass --in <file>, --name <name> or --wallet <address>');
      if (options.type && !['individual', 'entity'].includes(options.type)) throw new CliError('--type must be individual or entity');
      if (options.in) {
        const queries = readQueries(options.in);
        const engine = loadEngine(options.listDir);
        const bar = progressBar('screening', queries.length, { quiet: !options.out });
        const output: string[] = [];
        for (const query of queries) {
          output.push(resultLine(query.id, engine.screen(subjectOfLine(query))));
          bar.tick();
        }
        bar.stop();
        const text = output.length > 0 ? `${output.join('\n')}\n` : '';
        if (options.out) writeFileSync(options.out, text);
        else process.stdout.write(text);
        return;
      }
      const engine = loadEngine(options.listDir);
      const outcome = engine.screen({
        name: options.name,
        type: options.type,
        dateOfBirth: options.dob,
        country: options.country,
        wallets: options.wallet ? [options.wallet] : [],
      });
      if (options.json) process.stdout.write(`${resultLine('cli', outcome)}\n`);
      else process.stdout.write(`${describe(outcome)}\n`);
      if (outcome.verdict !== 'clear') process.exitCode = EXIT.negative;
    });

  const lists = program.command('lists').description('Sanctions list versions (through AWS directly, or the local system with --local)');
  lists
    .command('load')
    .description('Load a list folder as a new version: diff against the current one, snapshot, re-screen the whole book')
    .requiredOption('--dir <folder>', 'folder with OFAC files (e.g. data/ofac/2023-12-28)')
    .option('--local', 'use the running `npm start` system', false)
    .option('--work-dir <dir>', WORK_DIR_HELP)
    .option('--json', 'print JSON', false)
    .action(async (options: { dir: string; local: boolean; workDir: string; json: boolean }) => {
      if (!existsSync(options.dir)) throw new CliError(`list folder ${options.dir} does not exist`);
      const { source: _scheduledSource, ...deps } = composeFor(options, composeRefresh);
      let result;
      try {
        result = await refreshSanctionsList({ ...deps, actor: 'operator:cli' }, new FolderListSource(options.dir));
      } catch (error) {
        if (error instanceof ListFolderError || (error instanceof DomainError && error.code === 'LIST_FORMAT_INVALID')) throw new CliError(error.message);
        throw error;
      }
      const summary = {
        changed: result.changed,
        versionId: result.version.id,
        entryCount: result.version.entryCount,
        added: result.diff?.added.length ?? 0,
        removed: result.diff?.removed.length ?? 0,
        changedEntries: result.diff?.changed.length ?? 0,
        investorsQueued: result.investorsQueued,
      };
      emit(options.json, summary, () =>
        result.changed
          ? [
              `loaded ${summary.versionId} (${summary.entryCount} entries)`,
              `  added ${summary.added}, removed ${summary.removed}, changed ${summary.changedEntries}`,
              `  ${summary.investorsQueued} investor(s) queued for re-screening`,
            ].join('\n')
          : `unchanged: ${summary.versionId} is already current${summary.investorsQueued ? ` (${summary.investorsQueued} re-screen(s) re-queued)` : ''}`,
      );
    });
  lists
    .command('current')
    .description('Show the list version screening uses now')
    .option('--local', 'use the running `npm start` system', false)
    .option('--work-dir <dir>', WORK_DIR_HELP)
    .option('--json', 'print JSON', false)
    .action(async (options: { local: boolean; workDir: string; json: boolean }) => {
      const current = await composeFor(options, composeRefresh).versions.current();
      if (!current) throw new CliError('no sanctions list has been loaded yet', EXIT.negative);
      emit(options.json, current, () =>
        [
          `${current.id}`,
          `  ${current.entryCount} entries, ${current.format}, ${current.dateSource.replace('_', ' ')} ${current.listDate}`,
          `  recorded ${current.recordedAt}; vs previous: +${current.diff.added.length} -${current.diff.removed.length} ~${current.diff.changed.length}`,
          `  snapshot ${current.snapshotKey}`,
        ].join('\n'),
      );
    });
}
