// Measurements as table rows (units in the headers, figures rounded), ready for `showTable`.

import type { Comparison } from '../measure/compare';
import type { BenchResult } from '../measure/summary';
import { roundMs, roundRatio } from './describe';

/** One benchmark as a table row (a type, not an interface, so it is also a plain record). */
export type BenchRow = {
  name: string;
  n: number;
  'min ms': number;
  'mean ms': number;
  'p50 ms': number;
  'p95 ms': number;
  'p99 ms': number;
  'max ms': number;
};

/** One statistic of a comparison as a table row; the ms columns are named after the two operations. */
export type ComparisonRow = { statistic: string; speedup: number } & Record<string, string | number>;

/** One row per result, in the order given. */
export function benchTable(results: readonly BenchResult[]): BenchRow[] {
  return results.map((r) => ({
    name: r.name,
    n: r.n,
    'min ms': roundMs(r.min),
    'mean ms': roundMs(r.mean),
    'p50 ms': roundMs(r.p50),
    'p95 ms': roundMs(r.p95),
    'p99 ms': roundMs(r.p99),
    'max ms': roundMs(r.max),
  }));
}

/** p50, p95, p99 and mean side by side for both operations, with the speedup (baseline ÷ candidate). */
export function comparisonTable(comparison: Comparison): ComparisonRow[] {
  const baselineColumn = `${comparison.baseline} ms`;
  const candidateColumn = `${comparison.candidate} ms`;
  return (['p50', 'p95', 'p99', 'mean'] as const).map(
    (statistic) =>
      ({
        statistic,
        [baselineColumn]: roundMs(comparison.baselineMs[statistic]),
        [candidateColumn]: roundMs(comparison.candidateMs[statistic]),
        speedup: roundRatio(comparison.speedup[statistic]),
      }) as ComparisonRow,
  );
}
