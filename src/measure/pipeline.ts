// Pipelined batches: many commands sent in one round trip, timed per batch, with per-command errors counted.

import { performance } from 'node:perf_hooks';
import type { ChainableCommander, Cluster, Redis } from 'iovalkey';
import { LabError, errorMessage } from '../errors';
import { labelled } from './bench';
import { countOrDuration, positiveInteger } from './limits';
import { printsBriefly } from './printed';
import { summarizeSamples, type BenchResult } from './summary';

/** Where a batch sits in the run: its number, how many commands it should hold, and the first one's number. */
export interface BatchContext {
  batch: number;
  size: number;
  /** batch × size: the run-wide number of this batch's first command (for key names). */
  first: number;
}

/** Adds one batch's commands to the pipeline, e.g. `for (i…) pipeline.set(key(first + i), value)`. */
export type BuildBatch = (pipeline: ChainableCommander, batch: BatchContext) => void;

export interface PipelinedOptions {
  /** Commands per batch (one round trip each). */
  batchSize: number;
  /** Batches in all (give this or `durationMs`). */
  batches?: number;
  /** Keep sending batches for this long (give this or `batches`). */
  durationMs?: number;
  name?: string;
  /** A count run stops after this long. Default 60 s. */
  maxDurationMs?: number;
  /** A duration run stops after this many batches. Default 100,000. */
  maxBatches?: number;
}

/** One batch: when it was sent (ms after the start), its round trip, its commands and how many failed. */
export interface BatchRecord {
  batch: number;
  startMs: number;
  latencyMs: number;
  commands: number;
  errors: number;
}

export interface PipelinedResult {
  name: string;
  batchSize: number;
  batches: number;
  commands: number;
  /** Commands the server answered with an error (e.g. WRONGTYPE), plus those of batches that failed whole. */
  errors: number;
  errorMessages: Array<{ message: string; count: number }>;
  durationMs: number;
  /** Commands per second over the run. */
  opsPerSec: number;
  /** Round trip of each batch (HDR percentiles). */
  batchLatency: BenchResult;
  cutShort: 'max duration' | 'max batches' | undefined;
  records: BatchRecord[];
}

export const DEFAULT_MAX_BATCHES = 100_000;
const DEFAULT_MAX_DURATION_MS = 60_000;
/** Larger batches only buffer more in memory on both sides; the gain flattens out well before this. */
export const MAX_BATCH_SIZE = 100_000;

/**
 * Sends batches of `batchSize` commands, one pipeline at a time, and times each round trip. A pipeline
 * answers every command separately: a command that fails (WRONGTYPE…) is counted with its message
 * and the rest of the batch still counts. On a cluster, every key in one batch must live on the same
 * node (use a hash tag, e.g. `bench:{1}:…`).
 */
export async function runPipelined(
  client: Redis | Cluster,
  buildBatch: BuildBatch,
  options: PipelinedOptions,
): Promise<PipelinedResult> {
  const { batchSize, batches } = options;
  positiveInteger(batchSize, 'batchSize', MAX_BATCH_SIZE, 'e.g. 16');
  const { countLimit: target, timeLimitMs } = countOrDuration(
    { name: 'runPipelined', unit: 'batches', example: 'batchSize: 16' },
    { ...options, count: batches, maxCount: options.maxBatches },
    { maxCount: DEFAULT_MAX_BATCHES, maxDurationMs: DEFAULT_MAX_DURATION_MS },
  );
  const name = options.name ?? (buildBatch.name || `pipeline of ${batchSize}`);

  const records: BatchRecord[] = [];
  const messages = new Map<string, number>();
  const count = (message: string, n: number) => messages.set(message, (messages.get(message) ?? 0) + n);
  const origin = performance.now();
  let cutShort: PipelinedResult['cutShort'];
  for (let batch = 0; batch < target; batch++) {
    // A batch starts when it is decided on, so no batch starts after the time is up.
    const startedAt = performance.now();
    if (startedAt - origin >= timeLimitMs) {
      if (batches !== undefined) cutShort = 'max duration';
      break;
    }
    const pipeline = client.pipeline();
    buildBatch(pipeline, { batch, size: batchSize, first: batch * batchSize });
    const commands = pipeline.length;
    if (commands === 0) {
      throw new LabError({
        what: `Batch ${batch + 1} of "${name}" has no commands`,
        fix: 'Add the batch’s commands to the pipeline it is given, e.g. pipeline.set(key, value).',
      });
    }
    const start = performance.now();
    let errors = 0;
    try {
      const replies = (await pipeline.exec()) ?? [];
      for (const [error] of replies) {
        if (error) {
          errors++;
          count(errorMessage(error), 1);
        }
      }
    } catch (cause) {
      // The whole batch failed (connection lost, timeout): none of its commands is known to have run.
      errors = commands;
      count(errorMessage(cause), commands);
    }
    records.push({ batch, startMs: startedAt - origin, latencyMs: performance.now() - start, commands, errors });
    if (batches === undefined && batch === target - 1) cutShort = 'max batches';
  }
  const durationMs = performance.now() - origin;
  const commands = records.reduce((sum, r) => sum + r.commands, 0);
  const result: PipelinedResult = {
    name,
    batchSize,
    batches: records.length,
    commands,
    errors: records.reduce((sum, r) => sum + r.errors, 0),
    errorMessages: [...messages.entries()]
      .map(([message, n]) => ({ message, count: n }))
      .sort((a, b) => b.count - a.count),
    durationMs,
    opsPerSec: durationMs > 0 ? commands / (durationMs / 1000) : 0,
    batchLatency: labelled(
      summarizeSamples(
        name,
        records.map((r) => r.latencyMs),
      ),
    ),
    cutShort,
    records,
  };
  return printsBriefly(result, { records: 'batches' });
}
