/**
 * One cold load + index in a process of its own, so its time and memory are not those of a process
 * that has loaded other engines before: `tsx bench/screening/load-probe.ts <after|before> <list dir>...`
 * prints one JSON line.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { readListFolder } from '../../lambda/modules/screening/adapters';
import { ScreeningEngine, parsePublication, type SanctionsList } from '../../lambda/modules/screening';
import { ScreeningEngine as BaselineEngine } from './baseline/engine';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

const [engineName, ...folders] = process.argv.slice(2);
gc();
const rssBefore = process.memoryUsage().rss;
const cpuStart = process.cpuUsage();
const start = performance.now();
const lists: SanctionsList[] = folders.map((folder) => {
  const { files, fileDate } = readListFolder(folder);
  return parsePublication(files, fileDate);
});
const parsed = performance.now();
const engine = engineName === 'before' ? new BaselineEngine(lists[0]!) : new ScreeningEngine(lists);
const indexed = performance.now();
const cpu = process.cpuUsage(cpuStart);
gc();
const memory = process.memoryUsage();
// Kept alive until the figures are taken.
if (!engine) process.exit(1);
console.log(
  JSON.stringify({
    totalMs: indexed - start,
    cpuMs: (cpu.user + cpu.system) / 1000,
    parseMs: parsed - start,
    indexMs: indexed - parsed,
    entries: lists.reduce((sum, list) => sum + list.entries.length, 0),
    rssMb: memory.rss / 1024 / 1024,
    rssBeforeMb: rssBefore / 1024 / 1024,
    heapMb: memory.heapUsed / 1024 / 1024,
    arrayBuffersMb: memory.arrayBuffers / 1024 / 1024,
  }),
);
