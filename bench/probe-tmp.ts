import { ScreeningEngine } from '../lambda/modules/screening';
import { ScreeningEngine as BaselineEngine } from './screening/baseline/engine';
import { loadList } from './screening/fixtures';
import { buildHardMix, HARD_CATEGORIES } from './screening/hard-mix';
const list = loadList();
const now = new ScreeningEngine(list);
const before = new BaselineEngine(list);
const mix = buildHardMix(list.entries);
for (const q of mix.slice(0, 300)) { now.screen(q.query); before.screen(q.query); }
const pct = (a: number[], p: number) => a[Math.min(a.length - 1, Math.floor(a.length * p))]!;
for (const c of HARD_CATEGORIES) {
  const qs = mix.filter((q) => q.category === c);
  const tb: number[] = [], tn: number[] = [];
  const slow: [number, string][] = [];
  for (const q of qs) {
    let s = performance.now(); before.screen(q.query); tb.push(performance.now() - s);
    s = performance.now(); now.screen(q.query); const t = performance.now() - s; tn.push(t); slow.push([t, q.query.name]);
  }
  tb.sort((a, b) => a - b); tn.sort((a, b) => a - b);
  console.log(c, 'before p50', pct(tb, .5).toFixed(3), 'p99', pct(tb, .99).toFixed(3), 'max', tb.at(-1)!.toFixed(2), '| now p50', pct(tn, .5).toFixed(3), 'p99', pct(tn, .99).toFixed(3), 'max', tn.at(-1)!.toFixed(2));
  slow.sort((a, b) => b[0] - a[0]); console.log('   slowest:', slow.slice(0, 4).map(([t, n]) => `${t.toFixed(2)} ${n}`).join(' | '));
}
import { buildLabelledSet } from './screening/labelled-set';
const set = buildLabelledSet(list.entries, { positivesPerKind: 300, negatives: 2000 });
const key = (o: { verdict: string; matches: readonly { sdnId: number; score: number; matchedOn: string; evidence?: { matchedName: string } }[] }) =>
  JSON.stringify([o.verdict, o.matches.map((m) => [m.sdnId, m.score, m.matchedOn, m.evidence?.matchedName])]);
let diff = 0; let total = 0;
for (const q of [...set.positives, ...set.negatives, ...mix.filter((m) => m.category !== 'non_latin')]) {
  total++;
  const a = key(before.screen(q.query)); const b = key(now.screen(q.query));
  if (a !== b) { diff++; if (diff <= 8) console.log('DIFF', q.query.name, '\n  before', a, '\n  now   ', b); }
}
console.log('differences', diff, 'of', total);
