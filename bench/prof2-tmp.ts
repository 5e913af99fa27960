import { ScreeningEngine } from '../lambda/modules/screening';
import { tokenVariants } from '../lambda/modules/screening/name-index';
import { loadList } from './screening/fixtures';
import { buildHardMix } from './screening/hard-mix';
const list = loadList();
const now = new ScreeningEngine(list);
const idx = (now as any).index;
console.log('forms', idx.forms.length, 'vocab', idx.tokens.length, 'common tokens', idx.commonToken.reduce((a: number, b: number) => a + b, 0), 'reachable postings', idx.reachableData.length, 'all postings', idx.postingData.length);
const mix = buildHardMix(list.entries);
for (const c of ['long_entity_common_words', 'one_token', 'many_aliases', 'non_latin']) {
  let tn = 0, tc = 0, ts = 0, nc = 0, nr = 0, nearCount = 0;
  for (const q of mix.filter((m) => m.category === c)) {
    for (const variant of tokenVariants(q.query.name)) {
      const toks = [...new Set(variant)];
      let s = performance.now();
      const near = toks.map((t) => idx.nearTokens(t, false));
      tn += performance.now() - s; s = performance.now();
      nearCount += near.reduce((a: number, m: Map<number, number>) => a + m.size, 0);
      const cands = idx.candidates(near, 0.84, toks, 2);
      tc += performance.now() - s; s = performance.now();
      nr += cands.length;
      for (const f of cands) idx.score(f, toks, 2, (qi: number, t: number) => near[qi]!.get(t) ?? 0);
      ts += performance.now() - s;
    }
  }
  console.log(c, 'near', tn.toFixed(0), 'ms cand', tc.toFixed(0), 'ms score', ts.toFixed(0), 'ms; near tokens', nearCount, 'scored forms', nr);
}
