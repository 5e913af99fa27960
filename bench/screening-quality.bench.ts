import type { Benchmark } from './benchmarks';
import { evaluate } from './screening/evaluate';
import { loadList } from './screening/fixtures';
import { buildLabelledSet } from './screening/labelled-set';
import { ScreeningEngine } from '../lambda/modules/screening';

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(2)}%`;

export const screeningQualityBenchmark: Benchmark = {
  name: 'screening-quality',
  description: 'OFAC engine: recall at review on labelled name variants, alerts and auto-blocks on common names (seeded)',
  async run() {
    const list = loadList();
    const engine = new ScreeningEngine(list);
    const seeds = [20240503, 1, 2];
    console.log(`list ${list.version.id}; review threshold ${engine.thresholds.review}; labelled sets built from the list with seeds ${seeds.join(', ')}`);
    for (const seed of seeds) {
      const report = evaluate(engine, buildLabelledSet(list.entries, { seed, positivesPerKind: 300, negatives: 2000 }));
      const positives = Object.values(report.recallByKind).reduce((sum, kind) => sum + kind.total, 0);
      console.log(`\nseed ${seed}: ${positives} positives, ${report.negatives} negatives`);
      console.log(`  recall at review ${percent(report.recallAtReview * positives, positives)}   target >= 98%`);
      console.log(
        `    ${Object.entries(report.recallByKind)
          .map(([kind, { found, total }]) => `${kind} ${found}/${total}`)
          .join(', ')}`,
      );
      console.log(
        `  negatives: ${report.negativeBlocks} auto-blocks (target 0), review alerts ${report.negativeReviews} = ${percent(report.negativeReviews, report.negatives)} (target <= 5%)`,
      );
      console.log(
        `    by name pool: ${Object.entries(report.reviewRateByGroup)
          .map(([group, { alerts, total }]) => `${group} ${alerts}/${total}`)
          .join(', ')}`,
      );
      if (seed === seeds[0]) {
        console.log('  examples of missed variants:');
        for (const miss of report.misses.slice(0, 8))
          console.log(`    ${miss.kind}: "${miss.query.name}" should reach SDN ${miss.sdnId} (${engine.entry(miss.sdnId!)?.name})`);
        console.log('  examples of alerts on negatives:');
        for (const alert of report.falseAlerts.slice(0, 8)) console.log(`    "${alert.query.query.name}" → ${alert.top}`);
      }
    }
  },
};
