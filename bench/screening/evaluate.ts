import type { ScreeningEngine } from '../../lambda/modules/screening';
import type { LabelledQuery, LabelledSet } from './labelled-set';

export interface QualityReport {
  readonly recallAtReview: number;
  readonly recallByKind: Readonly<Record<string, { found: number; total: number }>>;
  readonly negatives: number;
  readonly negativeReviews: number;
  readonly negativeBlocks: number;
  readonly reviewRateByGroup: Readonly<Record<string, { alerts: number; total: number }>>;
  readonly misses: readonly LabelledQuery[];
  readonly falseAlerts: readonly { query: LabelledQuery; top: string }[];
}

/** Recall at `review` on the positives; alert and auto-block counts on the negatives. */
export function evaluate(engine: ScreeningEngine, set: LabelledSet): QualityReport {
  const recallByKind: Record<string, { found: number; total: number }> = {};
  const misses: LabelledQuery[] = [];
  let found = 0;
  for (const positive of set.positives) {
    const outcome = engine.screen(positive.query);
    const hit = outcome.matches.some((match) => match.sdnId === positive.sdnId && match.score >= engine.thresholds.review);
    const bucket = (recallByKind[positive.kind] ??= { found: 0, total: 0 });
    bucket.total++;
    if (hit) {
      bucket.found++;
      found++;
    } else misses.push(positive);
  }
  const reviewRateByGroup: Record<string, { alerts: number; total: number }> = {};
  const falseAlerts: { query: LabelledQuery; top: string }[] = [];
  let negativeReviews = 0;
  let negativeBlocks = 0;
  for (const negative of set.negatives) {
    const outcome = engine.screen(negative.query);
    const bucket = (reviewRateByGroup[negative.group ?? 'other'] ??= { alerts: 0, total: 0 });
    bucket.total++;
    if (outcome.verdict === 'block') negativeBlocks++;
    if (outcome.verdict !== 'clear') {
      negativeReviews++;
      bucket.alerts++;
      const top = outcome.matches[0]!;
      falseAlerts.push({ query: negative, top: `${top.sdnId} ${top.evidence?.matchedName ?? top.name} (${top.score}, ${top.matchedOn})` });
    }
  }
  return {
    recallAtReview: found / set.positives.length,
    recallByKind,
    negatives: set.negatives.length,
    negativeReviews,
    negativeBlocks,
    reviewRateByGroup,
    misses,
    falseAlerts,
  };
}
