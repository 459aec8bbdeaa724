// A run of concurrent requests over time, as a client lives it: how many requests started, how many the cache
// failed, and how long the slowest and the median one waited — so a stall shows as a stall.

import type { ConcurrentResult } from '../measure/concurrent';
import { failedOrCacheError, type FailureTest } from '../measure/failures';
import { percentile } from '../measure/summary';
import type { ChartSpec } from './chart';
import { chartFrame, requireSome, type ChartOptions } from './chart-specs';
import type { TimelineEvent } from './cluster-charts';

/** One time slice: requests started in it, how many failed, and their median and slowest latency. */
export interface StallBucket {
  atMs: number;
  requests: number;
  failed: number;
  p50Ms: number;
  maxMs: number;
}

/** The run cut into slices of `bucketMs` by when each request started. */
export function stallBuckets(
  result: ConcurrentResult,
  options: { bucketMs?: number; failed?: FailureTest } = {},
): StallBucket[] {
  const bucketMs = options.bucketMs ?? 500;
  const failed = options.failed ?? failedOrCacheError;
  const last = result.records.reduce((m, r) => Math.max(m, r.startMs), 0);
  const slices = Array.from({ length: Math.floor(last / bucketMs) + 1 }, () => [] as ConcurrentResult['records']);
  for (const record of result.records) slices[Math.floor(record.startMs / bucketMs)]!.push(record);
  return slices.map((records, i) => {
    const latencies = records.map((r) => r.latencyMs);
    return {
      atMs: i * bucketMs,
      requests: records.length,
      failed: records.filter(failed).length,
      p50Ms: latencies.length ? percentile(latencies, 50) : 0,
      maxMs: latencies.length ? percentile(latencies, 100) : 0,
    };
  });
}

/**
 * Three panels on one time axis: requests started per slice, those the cache failed (their own scale, so a few
 * are not lost beside thousands), and the median and slowest wait of the requests started in each slice (log
 * scale). Events are dashed rules on every panel.
 */
export function stallChart(
  buckets: readonly StallBucket[],
  options: ChartOptions & { events?: readonly TimelineEvent[]; failedLabel?: string } = {},
): ChartSpec {
  requireSome(buckets, 'stall chart', 'time slices');
  const slice = buckets.length > 1 ? buckets[1]!.atMs - buckets[0]!.atMs : 500;
  const values = buckets.map((b) => ({ ...b, seconds: b.atMs / 1000, end: (b.atMs + slice) / 1000 }));
  const events = (options.events ?? []).map((e) => ({ seconds: e.atMs / 1000, label: e.label }));
  const x = { field: 'seconds', type: 'quantitative', axis: { title: 'seconds since the run began', format: '~r' } };
  const rules = {
    data: { values: events },
    mark: { type: 'rule', color: '#333', strokeDash: [4, 3] },
    encoding: { x: { field: 'seconds', type: 'quantitative' } },
  };
  const labels = {
    data: { values: events.map((e, i) => ({ ...e, line: (i % 2) * 12 })) },
    mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 2, color: '#333', fontSize: 10 },
    encoding: {
      x: { field: 'seconds', type: 'quantitative' },
      y: { field: 'line', type: 'quantitative', scale: null },
      text: { field: 'label' },
    },
  };
  const bars = (field: 'requests' | 'failed', title: string, colour: string) => ({
    height: 90,
    layer: [
      {
        data: { values },
        mark: { type: 'rect', color: colour },
        encoding: {
          x,
          x2: { field: 'end' },
          // At least 0…1, so a panel with nothing in it still has a readable axis.
          y: {
            field,
            type: 'quantitative',
            scale: { domain: [0, Math.max(1, ...values.map((v) => v[field]))] },
            axis: { title, format: '~d', tickMinStep: 1 },
          },
          y2: { datum: 0 },
        },
      },
      rules,
      labels,
    ],
  });
  const waits = {
    height: 120,
    layer: [
      {
        data: {
          values: values.flatMap((v) => [
            { seconds: v.seconds + slice / 2000, ms: Math.max(v.maxMs, 0.01), wait: 'slowest' },
            { seconds: v.seconds + slice / 2000, ms: Math.max(v.p50Ms, 0.01), wait: 'median' },
          ]),
        },
        mark: { type: 'line', point: { size: 16 }, strokeWidth: 1.5 },
        encoding: {
          x,
          y: {
            field: 'ms',
            type: 'quantitative',
            scale: { type: 'log' },
            axis: { title: 'wait (ms, log)', format: '~g' },
          },
          color: {
            field: 'wait',
            type: 'nominal',
            title: null,
            scale: { domain: ['slowest', 'median'], range: ['#e15759', '#4e79a7'] },
          },
        },
      },
      rules,
    ],
  };
  const {
    width,
    height: _unused,
    ...frame
  } = chartFrame(options, {
    title: 'Requests over time, as the clients saw them',
    subtitle: `per ${slice} ms, by when each request started`,
    width: 560,
    height: 0,
  });
  return {
    ...frame,
    spacing: 12,
    vconcat: [
      { width, ...bars('requests', `requests per ${slice} ms`, '#bab0ac') },
      { width, ...bars('failed', options.failedLabel ?? 'failed', '#e15759') },
      { width, ...waits },
    ],
  };
}
