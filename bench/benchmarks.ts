import { allowlistBenchmark } from './allowlist.bench';
import { auditBenchmark } from './audit.bench';
import { emergencyBenchmark } from './emergency.bench';
import { kycWebhookBenchmark } from './kyc-webhook.bench';
import { screeningQualityBenchmark } from './screening-quality.bench';
import { screeningBenchmark } from './screening.bench';

/** A benchmark: prints its figures (and targets and ratios where an issue asks for them). */
export interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(): Promise<void>;
}

/** Every benchmark `npm run bench` knows; each lives in its own bench/<name>.bench.ts. */
export const BENCHMARKS: readonly Benchmark[] = [
  screeningBenchmark,
  screeningQualityBenchmark,
  allowlistBenchmark,
  auditBenchmark,
  kycWebhookBenchmark,
  emergencyBenchmark,
];
