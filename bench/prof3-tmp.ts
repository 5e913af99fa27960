import { ScreeningEngine } from '../lambda/modules/screening';
import { tokenVariants } from '../lambda/modules/screening/name-index';
import { loadList } from './screening/fixtures';
import { buildHardMix } from './screening/hard-mix';
const list = loadList();
const now = new ScreeningEngine(list);
const idx = (now as any).index;
const mix = buildHardMix(list.entries);
for (const c of ['long_entity_common_words', 'many_aliases']) {
  let postings = 0, commonPostings = 0, nq = 0; const per: number[] = [];
  for (const q of mix.filter((m) => m.category === c)) {
    let qp = 0;
    for (const variant of tokenVariants(q.query.name)) {
      const ids = new Set<number>();
      for (const t of new Set(variant)) for (const id of idx.nearTokens(t, false).keys()) ids.add(id);
      for (const id of ids) {
        if (idx.commonToken[id]) { const n = idx.reachableOffsets[id + 1] - idx.reachableOffsets[id]; commonPostings += n; qp += n; }
        else { const n = idx.postingOffsets[id + 1] - idx.postingOffsets[id]; postings += n; qp += n; }
      }
    }
    nq++; per.push(qp);
  }
  per.sort((a, b) => a - b);
  console.log(c, 'rare postings/query', (postings / nq).toFixed(0), 'common reachable postings/query', (commonPostings / nq).toFixed(0), 'p99', per[Math.floor(per.length * 0.99)], 'max', per.at(-1));
}
