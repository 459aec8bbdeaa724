// Latency samples summarized through an HDR histogram: the figures every benchmark in the lab reports.

import { build } from 'hdr-histogram-js';

/** The statistics of one measured series, all in milliseconds. */
export interface LatencyStats {
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** One benchmarked operation: its statistics, how it was measured, and the raw samples. */
export interface BenchResult extends LatencyStats {
  name: string;
  /** Timed iterations (warm-up runs are not counted). */
  n: number;
  /** Untimed runs before the timed ones. */
  warmup: number;
  /** Every timed iteration in milliseconds, in the order they ran (for distribution charts). */
  samples: number[];
}

/** HDR histograms count whole units; the lab records microseconds, so 0.001 ms is the finest step. */
const UNITS_PER_MS = 1000;

/**
 * Summarizes samples (in ms) with an HDR histogram at microsecond resolution and three significant
 * digits, so p99 of a thousand cache hits costs no sort and stays within 0.1% of the true value.
 */
export function summarizeSamples(name: string, samples: readonly number[], warmup = 0): BenchResult {
  if (samples.length === 0) throw new Error(`No samples to summarize for "${name}"`);
  const histogram = build({ numberOfSignificantValueDigits: 3, autoResize: true });
  for (const ms of samples) histogram.recordValue(Math.max(0, Math.round(ms * UNITS_PER_MS)));
  const at = (percentile: number) => histogram.getValueAtPercentile(percentile) / UNITS_PER_MS;
  const result: BenchResult = {
    name,
    n: samples.length,
    warmup,
    min: at(0),
    mean: histogram.mean / UNITS_PER_MS,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    // Read max the same way as the percentiles, so p99 never reads above it.
    max: at(100),
    samples: [...samples],
  };
  histogram.destroy();
  return result;
}

/**
 * Which run a percentile reads. With `n` runs sorted fastest first, the lab's histogram answers percentile `p`
 * with the run at position ⌈p/100 · n⌉ (the fastest is 1): with 300 runs, p99 is run 297, the fourth-slowest.
 */
export function percentileRun(n: number, p: number): { fromFastest: number; fromSlowest: number } {
  const fromFastest = Math.min(n, Math.max(1, Math.ceil(Number(((p / 100) * n).toFixed(9)))));
  return { fromFastest, fromSlowest: n - fromFastest + 1 };
}

/**
 * Percentile `p` (0–100) of `values`, by the lab's one definition: the value at the rank its HDR histograms read
 * (`percentileRun`), exactly rather than to three significant digits. The median is `percentile(values, 50)`.
 * Any unit; `NaN` for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  return percentileOf(values, p, (v) => v) ?? Number.NaN;
}

/** The item at percentile `p` of `items` ordered by `by` (the median run of several, say); undefined for none. */
export function percentileOf<T>(items: readonly T[], p: number, by: (item: T) => number): T | undefined {
  if (items.length === 0) return undefined;
  const sorted = [...items].sort((a, b) => by(a) - by(b));
  return sorted[percentileRun(sorted.length, p).fromFastest - 1];
}
