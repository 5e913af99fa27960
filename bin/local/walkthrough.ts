import { readFileSync } from 'node:fs';
import path from 'node:path';

export const README_FILE = path.resolve(__dirname, '..', '..', 'README.md');

const BEGIN = '<!-- walkthrough:begin -->';
const END = '<!-- walkthrough:end -->';

/**
 * The README's walk-through: the lines of the shell block between the walkthrough markers. It is
 * the one copy: `npm start` prints it and test/e2e/walkthrough.test.ts runs it.
 */
export function walkthroughOf(markdown: string): string[] {
  const begin = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END, begin);
  if (begin < 0 || end < 0) throw new Error(`no walk-through: the README has no ${BEGIN} … ${END} section`);
  const fenced = /```sh\n([\s\S]*?)\n```/.exec(markdown.slice(begin + BEGIN.length, end));
  if (!fenced) throw new Error('the walk-through section of the README has no ```sh block');
  return fenced[1]!.split('\n');
}

/** The walk-through of the README next to this checkout. */
export function readmeWalkthrough(readmeFile = README_FILE): string[] {
  return walkthroughOf(readFileSync(readmeFile, 'utf8'));
}
