import { ScreeningEngine } from '../lambda/modules/screening';
import { loadList } from './screening/fixtures';
import { buildHardMix } from './screening/hard-mix';
const list = loadList();
const now = new ScreeningEngine(list);
const mix = buildHardMix(list.entries).filter((q) => q.category === 'many_aliases' || q.category === 'long_entity_common_words');
const s = performance.now();
for (let r = 0; r < 3; r++) for (const q of mix) now.screen(q.query);
console.log('total', (performance.now() - s).toFixed(0), 'ms for', mix.length * 3);
