import type { Benchmark } from './benchmarks';
import { evaluate } from './screening/evaluate';
import { NON_SDN_LIST_DIR, loadList } from './screening/fixtures';
import { buildLabelledSet, type VariantKind } from './screening/labelled-set';
import { ScreeningEngine } from '../lambda/modules/screening';

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(2)}%`;

/** One edit, case, punctuation, token order: variants every screening must find (target 100%). */
const EASY: ReadonlySet<VariantKind> = new Set(['exact', 'case_punctuation', 'reordered', 'typo']);

export const screeningQualityBenchmark: Benchmark = {
  name: 'screening-quality',
  description:
    'OFAC engine: recall at review by difficulty on labelled name variants, alerts and auto-blocks on common names (seeded), SDN alone and SDN + non-SDN',
  async run() {
    const sdn = loadList();
    const cons = loadList(NON_SDN_LIST_DIR);
    const setups = [
      { label: 'SDN alone', engine: new ScreeningEngine(sdn), entries: sdn.entries },
      { label: 'SDN + non-SDN', engine: new ScreeningEngine([sdn, cons]), entries: [...sdn.entries, ...cons.entries] },
    ];
    const seeds = [20240503, 1, 2];
    console.log(
      `lists ${sdn.version.id}, ${cons.version.id}; review threshold ${setups[0]!.engine.thresholds.review}; labelled sets built from the lists with seeds ${seeds.join(', ')}`,
    );
    console.log(
      `easy variants: ${[...EASY].join(', ')} (target 100%, every miss listed); the others: accents, dropped middle names, transliterations, aliases`,
    );
    for (const { label, engine, entries } of setups) {
      console.log(`\n-- ${label}`);
      for (const seed of seeds) {
        const report = evaluate(engine, buildLabelledSet(entries, { seed, positivesPerKind: 300, negatives: 2000 }));
        const kinds = Object.entries(report.recallByKind);
        const sum = (filter: (kind: string) => boolean) =>
          kinds
            .filter(([kind]) => filter(kind))
            .reduce((total, [, { found, total: all }]) => ({ found: total.found + found, total: total.total + all }), { found: 0, total: 0 });
        const easy = sum((kind) => EASY.has(kind as VariantKind));
        const harder = sum((kind) => !EASY.has(kind as VariantKind));
        console.log(
          `seed ${seed}: recall at review ${percent(easy.found + harder.found, easy.total + harder.total)} (target >= 98%); easy ${easy.found}/${easy.total} = ${percent(easy.found, easy.total)} (target 100%), harder ${percent(harder.found, harder.total)}`,
        );
        console.log(`    ${kinds.map(([kind, { found, total }]) => `${kind} ${found}/${total}`).join(', ')}`);
        console.log(
          `  negatives: ${report.negativeBlocks} auto-blocks (target 0), review alerts ${report.negativeReviews}/${report.negatives} = ${percent(report.negativeReviews, report.negatives)} (target <= 5%)`,
        );
        const easyMisses = report.misses.filter((miss) => EASY.has(miss.kind as VariantKind));
        for (const miss of easyMisses)
          console.log(
            `    MISSED (easy) ${miss.kind}: "${miss.query.name}" should reach ${miss.sdnId} (${engine.entry(miss.sdnId!)?.name ?? engine.entry(miss.sdnId!, 'ofac-cons')?.name})`,
          );
        if (seed === seeds[0]) {
          for (const miss of report.misses.filter((candidate) => !EASY.has(candidate.kind as VariantKind)).slice(0, 6))
            console.log(
              `    missed (harder) ${miss.kind}: "${miss.query.name}" should reach ${miss.sdnId} (${engine.entry(miss.sdnId!)?.name ?? engine.entry(miss.sdnId!, 'ofac-cons')?.name})`,
            );
          for (const alert of report.falseAlerts.slice(0, 5)) console.log(`    alert on a negative: "${alert.query.query.name}" → ${alert.top}`);
        }
      }
    }
  },
};
