// Same-run comparisons: two operations measured side by side, and the speedups computed from them.

import { LabError } from '../errors';
import { checkedCounts, labelled, runOnce, timeOnce, type BenchOptions, type Operation } from './bench';
import { summarizeSamples, type BenchResult, type LatencyStats } from './summary';

/** The statistics a comparison divides. */
export type ComparedStats = Pick<LatencyStats, 'p50' | 'p95' | 'p99' | 'mean'>;

export interface Comparison {
  baseline: string;
  candidate: string;
  /** baseline ÷ candidate per statistic: how many times faster the candidate is (below 1: slower). */
  speedup: ComparedStats;
  /** The figures the ratios were computed from, in ms. */
  baselineMs: ComparedStats;
  candidateMs: ComparedStats;
}

/** One side of a pair: what it is called and what to run. */
export interface NamedOperation {
  name: string;
  fn: Operation;
}

export interface PairResult {
  baseline: BenchResult;
  candidate: BenchResult;
  comparison: Comparison;
}

const COMPARED = ['p50', 'p95', 'p99', 'mean'] as const;

/**
 * The speedup of `candidate` over `baseline` (e.g. database query vs cache hit). The figures are only
 * comparable when both were measured in the same run on the same machine: prefer `benchPair`.
 */
export function compare(baseline: BenchResult, candidate: BenchResult): Comparison {
  const pick = (r: BenchResult): ComparedStats => ({ p50: r.p50, p95: r.p95, p99: r.p99, mean: r.mean });
  const speedup = Object.fromEntries(COMPARED.map((s) => [s, ratio(baseline[s], candidate[s])])) as ComparedStats;
  return {
    baseline: baseline.name,
    candidate: candidate.name,
    speedup,
    baselineMs: pick(baseline),
    candidateMs: pick(candidate),
  };
}

/**
 * Measures two operations fairly in one run: the same warm-up for both, then timed runs interleaved
 * in alternating order (A B, B A, ...), so drift in the machine, the server or its caches falls on
 * both sides alike and neither always runs second.
 */
export async function benchPair(
  baseline: NamedOperation,
  candidate: NamedOperation,
  options: Omit<BenchOptions, 'name'> = {},
): Promise<PairResult> {
  if (baseline.name === candidate.name) {
    throw new LabError({
      what: `Both operations are named "${baseline.name}"`,
      fix: 'Give each side its own name, e.g. "database query" and "cache hit".',
    });
  }
  const { warmup, iterations } = checkedCounts(options);
  const pair = [baseline, candidate] as const;
  for (let i = 0; i < warmup; i++) {
    for (const side of ordered(pair, i)) await runOnce(side.fn, side.name, 'warm-up run', i);
  }
  const samples = new Map<NamedOperation, number[]>(pair.map((side) => [side, []]));
  for (let i = 0; i < iterations; i++) {
    for (const side of ordered(pair, i)) samples.get(side)!.push(await timeOnce(side.fn, side.name, i));
  }
  const baselineResult = labelled(summarizeSamples(baseline.name, samples.get(baseline)!, warmup));
  const candidateResult = labelled(summarizeSamples(candidate.name, samples.get(candidate)!, warmup));
  return { baseline: baselineResult, candidate: candidateResult, comparison: compare(baselineResult, candidateResult) };
}

function ordered<T>(pair: readonly [T, T], round: number): readonly T[] {
  return round % 2 === 0 ? pair : [pair[1], pair[0]];
}

/** A candidate that took no measurable time (under 1 µs) is infinitely faster, not a division error. */
function ratio(baseline: number, candidate: number): number {
  if (candidate > 0) return baseline / candidate;
  return baseline > 0 ? Number.POSITIVE_INFINITY : 1;
}
