// Failed requests over time in a concurrent run: how many, when the first and last came, and how long recovery took.

import { LabError } from '../errors';
import type { ConcurrentResult, RequestRecord } from './concurrent';

/** What counts as failed: the request threw, or (for a cache-aside read) the cache did not answer. */
export type FailureTest = (record: RequestRecord) => boolean;

/** A request failed, or a cache-aside read fell back to the database because the cache failed. */
export const failedOrCacheError: FailureTest = (r) => !r.ok || r.outcome === 'cache-error';

/** One time slice of a run: requests started in it, and how many of them failed. */
export interface FailureBucket {
  /** Start of the slice, ms after the run began. */
  atMs: number;
  requests: number;
  failed: number;
}

/** The run cut into slices of `bucketMs` (default 250 ms), failed requests counted per slice. */
export function failuresOverTime(
  result: ConcurrentResult,
  options: { bucketMs?: number; failed?: FailureTest } = {},
): FailureBucket[] {
  const bucketMs = options.bucketMs ?? 250;
  if (!(bucketMs > 0)) throw new LabError({ what: `bucketMs ${bucketMs} is not above 0`, fix: 'Pass e.g. 250.' });
  const failed = options.failed ?? failedOrCacheError;
  const last = result.records.reduce((m, r) => Math.max(m, r.startMs), 0);
  const buckets: FailureBucket[] = Array.from({ length: Math.floor(last / bucketMs) + 1 }, (_, i) => ({
    atMs: i * bucketMs,
    requests: 0,
    failed: 0,
  }));
  for (const record of result.records) {
    const bucket = buckets[Math.floor(record.startMs / bucketMs)]!;
    bucket.requests++;
    if (failed(record)) bucket.failed++;
  }
  return buckets;
}

/** How the failures of a run were spread: none, or a window from the first to the last. */
export interface FailureWindow {
  requests: number;
  failed: number;
  /** Start of the first and last failed request, ms after the run began (undefined with no failure). */
  firstFailureMs: number | undefined;
  lastFailureMs: number | undefined;
  /** From the first failed request until the last one ended: how long the outage looked to clients. */
  outageMs: number;
  /** Each distinct failure reason (error message or cache problem) and how often. */
  reasons: Array<{ reason: string; count: number }>;
}

/** The failed requests of a run and the window they fell in. */
export function failureWindow(result: ConcurrentResult, failed: FailureTest = failedOrCacheError): FailureWindow {
  const failures = result.records.filter(failed);
  const reasons = new Map<string, number>();
  for (const r of failures) {
    const reason = r.error ?? r.outcome ?? 'failed';
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const first = failures[0];
  const lastEnd = failures.reduce((m, r) => Math.max(m, r.startMs + r.latencyMs), 0);
  return {
    requests: result.records.length,
    failed: failures.length,
    firstFailureMs: first?.startMs,
    lastFailureMs: failures.at(-1)?.startMs,
    outageMs: first ? lastEnd - first.startMs : 0,
    reasons: [...reasons.entries()].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
  };
}
