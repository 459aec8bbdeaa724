// Checks for the counts and durations every workload takes: a bad one fails at once with a fix.

import { LabError } from '../errors';

export function positiveInteger(value: number, name: string, max: number, example: string): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new LabError({
      what: `${name}=${value} is not a whole number between 1 and ${max.toLocaleString('en-US')}`,
      fix: `Use ${example}.`,
    });
  }
}

export function positiveNumber(value: number, name: string): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new LabError({ what: `${name}=${value} is not a positive number of milliseconds`, fix: 'Use e.g. 2000.' });
  }
}

/** How long a run may go on, and how many of its units (requests, batches) it may start. */
export interface RunBounds {
  /** The count asked for, if the run is a count run. */
  count: number | undefined;
  /** Units at most: the count, or the ceiling of a duration run. */
  countLimit: number;
  /** ms at most: the duration, or the ceiling of a count run. */
  timeLimitMs: number;
}

/**
 * A run goes for a count or for a duration (exactly one); the other is bounded by a ceiling, so every run
 * ends. `unit` names the count's option (`requests`: `maxRequests` is its ceiling).
 */
export function countOrDuration(
  run: { name: string; unit: string; example: string },
  options: { count?: number; durationMs?: number; maxCount?: number; maxDurationMs?: number },
  defaults: { maxCount: number; maxDurationMs: number },
): RunBounds {
  const { count, durationMs } = options;
  const maxName = `max${run.unit[0]!.toUpperCase()}${run.unit.slice(1)}`;
  if ((count === undefined) === (durationMs === undefined)) {
    throw new LabError({
      what: `${run.name} needs either \`${run.unit}\` or \`durationMs\` (exactly one)`,
      fix: `Pass e.g. { ${run.example}, ${run.unit}: 500 } or { ${run.example}, durationMs: 2000 }.`,
    });
  }
  const maxCount = options.maxCount ?? defaults.maxCount;
  positiveInteger(maxCount, maxName, Number.MAX_SAFE_INTEGER, 'e.g. 10000');
  if (count !== undefined) positiveInteger(count, run.unit, maxCount, 'e.g. 500');
  const timeLimitMs = durationMs ?? options.maxDurationMs ?? defaults.maxDurationMs;
  positiveNumber(timeLimitMs, durationMs !== undefined ? 'durationMs' : 'maxDurationMs');
  return { count, countLimit: count ?? maxCount, timeLimitMs };
}
