// Measuring latency: benchmarks with warm-up and HDR percentiles, same-run comparisons, table rows.

export { bench, DEFAULT_ITERATIONS, DEFAULT_WARMUP, type BenchOptions, type Operation } from './bench';
export {
  benchPair,
  compare,
  type ComparedStats,
  type Comparison,
  type NamedOperation,
  type PairResult,
} from './compare';
export { describeComparison, describeResult, formatMs, formatSpeedup, roundMs, roundRatio } from './describe';
export { summarizeSamples, type BenchResult, type LatencyStats } from './summary';
export { benchTable, comparisonTable, type BenchRow, type ComparisonRow } from './table';
