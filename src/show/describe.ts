// How measurements read: sensible rounding, and one-line descriptions computed from the figures.

import type { Comparison } from '../measure/compare';
import type { BenchResult } from '../measure/summary';

/**
 * Rounds milliseconds to what the measurement can tell apart: microseconds below 10 ms
 * (the histogram's resolution), hundredths up to 100 ms, tenths above.
 */
export function roundMs(ms: number): number {
  if (!Number.isFinite(ms)) return ms;
  const decimals = Math.abs(ms) < 10 ? 3 : Math.abs(ms) < 100 ? 2 : 1;
  return roundTo(ms, decimals);
}

/** Rounds a ratio to three significant digits (18.3×, 2.47×, 0.815×); plenty for run-to-run noise. */
export function roundRatio(ratio: number): number {
  if (!Number.isFinite(ratio) || ratio === 0) return ratio;
  const decimals = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(ratio))));
  return roundTo(ratio, decimals);
}

/** `0.052 ms`, `12.35 ms`, `143.2 ms`. */
export function formatMs(ms: number): string {
  return `${roundMs(ms)} ms`;
}

/** `18.3× faster` or `1.25× slower`, from a baseline/candidate ratio. */
export function formatSpeedup(speedup: number): string {
  if (!Number.isFinite(speedup)) return 'too fast to resolve (under 1 µs)';
  if (speedup >= 1) return `${roundRatio(speedup)}× faster`;
  return `${roundRatio(1 / speedup)}× slower`;
}

/** `cache hit: p50 0.052 ms · p95 0.081 ms · p99 0.12 ms (n=1000, 50 warm-up)`. */
export function describeResult(result: BenchResult): string {
  const figures = (['p50', 'p95', 'p99'] as const).map((p) => `${p} ${formatMs(result[p])}`).join(' · ');
  return `${result.name}: ${figures} (n=${result.n}, ${result.warmup} warm-up)`;
}

/** `cache hit vs database query: 18.3× faster at p50 (p95 12.1× faster, p99 9.8× faster)`. */
export function describeComparison(comparison: Comparison): string {
  const { speedup } = comparison;
  return (
    `${comparison.candidate} vs ${comparison.baseline}: ${formatSpeedup(speedup.p50)} at p50 ` +
    `(p95 ${formatSpeedup(speedup.p95)}, p99 ${formatSpeedup(speedup.p99)})`
  );
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
