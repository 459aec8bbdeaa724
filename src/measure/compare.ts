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
  const [baselineResult, candidateResult] = (await benchInterleaved([baseline, candidate], options)) as [
    BenchResult,
    BenchResult,
  ];
  return { baseline: baselineResult, candidate: candidateResult, comparison: compare(baselineResult, candidateResult) };
}

/**
 * Measures several operations fairly in one run (e.g. one decode per codec): the same warm-up for each, then
 * one timed run of each per round, the order rotating every round (A B C, B C A, C A B, ...), so drift in the
 * machine falls on all alike and none always runs first. Results come back in the order given.
 */
export async function benchInterleaved(
  operations: readonly NamedOperation[],
  options: Omit<BenchOptions, 'name'> = {},
): Promise<BenchResult[]> {
  const names = operations.map((o) => o.name);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) {
    throw new LabError({
      what: `Two operations are named "${repeated}"`,
      fix: 'Give each side its own name, e.g. "database query" and "cache hit".',
    });
  }
  const { warmup, iterations } = checkedCounts(options);
  for (let i = 0; i < warmup; i++) {
    for (const op of rotated(operations, i)) await runOnce(op.fn, op.name, 'warm-up run', i);
  }
  const samples = new Map<NamedOperation, number[]>(operations.map((op) => [op, []]));
  for (let i = 0; i < iterations; i++) {
    for (const op of rotated(operations, i)) samples.get(op)!.push(await timeOnce(op.fn, op.name, i));
  }
  return operations.map((op) => labelled(summarizeSamples(op.name, samples.get(op)!, warmup)));
}

function rotated<T>(items: readonly T[], round: number): readonly T[] {
  const start = round % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

/** A candidate that took no measurable time (under 1 µs) is infinitely faster, not a division error. */
function ratio(baseline: number, candidate: number): number {
  if (candidate > 0) return baseline / candidate;
  return baseline > 0 ? Number.POSITIVE_INFINITY : 1;
}
