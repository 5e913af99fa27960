#!/usr/bin/env node
/**
 * `npm run bench [-- <name> ...]`: runs the benchmarks (all, or the named ones). Each prints its own
 * figures; a benchmark that has a target prints the target beside the measurement.
 */
import { BENCHMARKS } from './benchmarks';

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  if (process.argv.includes('--help')) {
    console.log(`npm run bench [-- <name> ...]\n\n${BENCHMARKS.map((b) => `  ${b.name.padEnd(16)}${b.description}`).join('\n') || '  (none yet)'}`);
    return;
  }
  const unknown = wanted.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  for (const benchmark of BENCHMARKS.filter((candidate) => wanted.length === 0 || wanted.includes(candidate.name))) {
    console.log(`\n== ${benchmark.name}: ${benchmark.description}`);
    await benchmark.run();
  }
}

main().catch((error: Error) => {
  console.error(`bench failed: ${error.message}`);
  process.exit(1);
});
