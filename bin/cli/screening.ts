import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { ListFolderError, readListFolder, FolderListSource } from '../../lambda/modules/screening/adapters';
import { DomainError } from '../../lambda/shared';
import { compose as composeRefresh } from '../../lambda/functions/sanctions-refresh/root';
import {
  LISTS,
  LIST_IDS,
  ScreeningEngine,
  isListId,
  parsePublication,
  refreshSanctionsList,
  type ListId,
  type ScreeningOutcome,
  type ScreeningSubject,
} from '../../lambda/modules/screening';
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

/** The output contract: exactly these fields, in this order; with a non-SDN folder, each match also names its list. */
function resultLine(id: string, outcome: ScreeningOutcome, withLists: boolean): string {
  return JSON.stringify({
    id,
    verdict: outcome.verdict,
    listVersion: outcome.listVersion,
    matches: outcome.matches.map(({ sdnId, name, score, matchedOn, list }) => ({ sdnId, name, score, matchedOn, ...(withLists ? { list } : {}) })),
  });
}

function loadEngine(listDir: string, nonSdnDir?: string): ScreeningEngine {
  try {
    const lists = [listDir, ...(nonSdnDir ? [nonSdnDir] : [])].map((folder) => {
      const { files, fileDate } = readListFolder(folder);
      return parsePublication(files, fileDate);
    });
    return new ScreeningEngine(lists);
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
  if (outcome.transliteration) lines.push(`name     ${outcome.transliteration.name} (compared as ${outcome.transliteration.latin})`);
  if (outcome.matches.length === 0) lines.push('no match at or above the review threshold');
  for (const match of outcome.matches) {
    const via =
      match.matchedOn === 'address' ? `listed address ${match.evidence?.matchedName}` : `${match.matchedOn.replace('_', ' ')} "${match.evidence?.matchedName}"`;
    const list = match.list === 'ofac-cons' ? 'non-SDN' : 'SDN';
    lines.push(
      `  ${match.score.toFixed(4)}  ${list} ${match.sdnId}  ${match.name}  [${match.programs.join(', ')}]  via ${via}  → ${match.outcome ?? 'review'}`,
    );
  }
  return lines.join('\n');
}

interface ScreenOptions {
  listDir: string;
  nonSdnDir?: string;
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
    .option(
      '--non-sdn-dir <dir>',
      "also screen against OFAC's consolidated non-SDN lists in this folder (cons_prim.csv, ... or cons_advanced.xml), e.g. data/ofac/consolidated-non-sdn-2025-12",
    )
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
        const engine = loadEngine(options.listDir, options.nonSdnDir);
        const bar = progressBar('screening', queries.length, { quiet: !options.out });
        const output: string[] = [];
        for (const query of queries) {
          output.push(resultLine(query.id, engine.screen(subjectOfLine(query)), options.nonSdnDir !== undefined));
          bar.tick();
        }
        bar.stop();
        const text = output.length > 0 ? `${output.join('\n')}\n` : '';
        if (options.out) writeFileSync(options.out, text);
        else process.stdout.write(text);
        return;
      }
      const engine = loadEngine(options.listDir, options.nonSdnDir);
      const outcome = engine.screen({
        name: options.name,
        type: options.type,
        dateOfBirth: options.dob,
        country: options.country,
        wallets: options.wallet ? [options.wallet] : [],
      });
      if (options.json) process.stdout.write(`${resultLine('cli', outcome, options.nonSdnDir !== undefined)}\n`);
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
      const { sources: _scheduledSources, ...deps } = composeFor(options, composeRefresh);
      let result;
      try {
        result = await refreshSanctionsList({ ...deps, actor: 'operator:cli' }, new FolderListSource(options.dir));
      } catch (error) {
        if (error instanceof ListFolderError || (error instanceof DomainError && error.code === 'LIST_FORMAT_INVALID')) throw new CliError(error.message);
        throw error;
      }
      const summary = {
        changed: result.changed,
        list: result.version.list ?? 'ofac-sdn',
        versionId: result.version.id,
        rescreen: result.version.rescreen ?? 'full',
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
              `  ${summary.investorsQueued} investor(s) queued for re-screening (${summary.rescreen === 'delta' ? 'delta: against the added and changed entries only' : 'full'})`,
            ].join('\n')
          : `unchanged: ${summary.versionId} is already current${summary.investorsQueued ? ` (${summary.investorsQueued} re-screen(s) re-queued)` : ''}`,
      );
    });
  lists
    .command('current')
    .description('Show the version of each list screening uses now')
    .option('--list <list>', `one list only: ${LIST_IDS.join(' or ')}`)
    .option('--local', 'use the running `npm start` system', false)
    .option('--work-dir <dir>', WORK_DIR_HELP)
    .option('--json', 'print JSON', false)
    .action(async (options: { list?: string; local: boolean; workDir: string; json: boolean }) => {
      if (options.list !== undefined && !isListId(options.list)) throw new CliError(`--list must be one of ${LIST_IDS.join(', ')}`);
      const { versions } = composeFor(options, composeRefresh);
      const wanted = options.list ? [options.list as ListId] : LIST_IDS;
      const current = (await Promise.all(wanted.map((list) => versions.current(list)))).filter((record) => record !== undefined);
      if (current.length === 0) throw new CliError('no sanctions list has been loaded yet', EXIT.negative);
      emit(options.json, options.list ? current[0] : current, () =>
        current
          .map((record) =>
            [
              `${record.id}  (${LISTS[record.list ?? 'ofac-sdn'].name})`,
              `  ${record.entryCount} entries, ${record.format}, ${record.dateSource.replace('_', ' ')} ${record.listDate}`,
              `  recorded ${record.recordedAt}; vs previous: +${record.diff.added.length} -${record.diff.removed.length} ~${record.diff.changed.length}; re-screen ${record.rescreen ?? 'full'}`,
              `  snapshot ${record.snapshotKey}`,
            ].join('\n'),
          )
          .join('\n'),
      );
    });
}
