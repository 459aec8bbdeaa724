// Times an operation the way the lab measures everything: warm-up first, then many awaited, timed runs.

import { performance } from 'node:perf_hooks';
import { LabError, errorMessage } from '../errors';
import { printsBriefly } from './printed';
import { summarizeSamples, type BenchResult } from './summary';

export interface BenchOptions {
  /** Untimed runs first, so connection set-up, JIT and cold caches do not count. Default 50. */
  warmup?: number;
  /** Timed runs. Default 1000. */
  iterations?: number;
  /** What the operation is, in the lab's words (shown in tables and charts). */
  name?: string;
}

/** Anything the lab can time: a function whose result (or promise) is awaited each run. */
export type Operation = () => unknown;

export const DEFAULT_WARMUP = 50;
export const DEFAULT_ITERATIONS = 1000;

/**
 * Runs `fn` `warmup` times untimed, then `iterations` times timed with `performance.now()`,
 * awaiting each run before the next, and summarizes the timed runs.
 */
export async function bench(fn: Operation, options: BenchOptions = {}): Promise<BenchResult> {
  const { warmup, iterations } = checkedCounts(options);
  const name = options.name ?? (fn.name || 'operation');
  for (let i = 0; i < warmup; i++) await runOnce(fn, name, 'warm-up run', i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) samples.push(await timeOnce(fn, name, i));
  return labelled(summarizeSamples(name, samples, warmup));
}

/** Awaits one run of `fn` and returns how long it took in milliseconds. */
export async function timeOnce(fn: Operation, name: string, iteration: number): Promise<number> {
  const start = performance.now();
  await runOnce(fn, name, 'run', iteration);
  return performance.now() - start;
}

/** Awaits one untimed run of `fn`, naming the operation and the run if it throws. */
export async function runOnce(fn: Operation, name: string, kind: string, iteration: number): Promise<void> {
  try {
    await fn();
  } catch (cause) {
    // Say which operation and which run failed: a notebook cell may time several.
    throw new LabError({
      what: `Benchmark "${name}" failed on ${kind} ${iteration + 1}: ${errorMessage(cause)}`,
      fix: 'Run the operation once on its own to see the error.',
      cause,
    });
  }
}

/** Validates warm-up and iteration counts, applying the defaults. */
export function checkedCounts(options: BenchOptions): { warmup: number; iterations: number } {
  const warmup = options.warmup ?? DEFAULT_WARMUP;
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  if (!Number.isInteger(warmup) || warmup < 0) {
    throw new LabError({ what: `warmup=${warmup} is not a whole number of runs`, fix: 'Use 0 or more, e.g. 50.' });
  }
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new LabError({
      what: `iterations=${iterations} is not a positive whole number`,
      fix: 'Use 1 or more, e.g. 1000.',
    });
  }
  return { warmup, iterations };
}

/** Makes a result print its figures and only the number of its samples (see `printsBriefly`). */
export function labelled(result: BenchResult): BenchResult {
  return printsBriefly(result, { samples: 'samples' });
}
