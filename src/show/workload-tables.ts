// Workload results as table rows and one-line descriptions: concurrent runs, pipelines, INFO series.

import type { ConcurrentResult } from '../measure/concurrent';
import type { PipelinedResult } from '../measure/pipeline';
import type { InfoSeries } from '../measure/sampler';
import { formatMs, roundMs } from './describe';
import { formatNumber } from './format';

const MB = 1024 * 1024;

/** One concurrent run as a table row; latency columns are of the requests that succeeded. */
export type ConcurrentRow = {
  name: string;
  callers: number;
  requests: number;
  errors: number;
  'ops/s': number;
  'p50 ms': number | null;
  'p95 ms': number | null;
  'p99 ms': number | null;
  'max ms': number | null;
};

/** One pipelined run as a table row. */
export type PipelineRow = {
  name: string;
  'batch size': number;
  batches: number;
  commands: number;
  errors: number;
  'ops/s': number;
  'batch p50 ms': number;
  'batch p99 ms': number;
};

/** One INFO sample as a table row (deltas are since the sample before). */
export type InfoSampleRow = {
  s: number;
  'ops/s': number | null;
  'hit rate': string | null;
  hits: number | null;
  misses: number | null;
  'used memory MB': number;
  expired: number;
  evicted: number;
  clients: number;
};

/** One row per run, in the order given (e.g. one per stampede strategy). */
export function concurrentTable(results: readonly ConcurrentResult[]): ConcurrentRow[] {
  return results.map((r) => {
    const latency = r.summary.latency;
    const ms = (value: number | undefined) => (value === undefined ? null : roundMs(value));
    return {
      name: r.name,
      callers: r.callers,
      requests: r.summary.requests,
      errors: r.summary.errors,
      'ops/s': Math.round(r.summary.throughput),
      'p50 ms': ms(latency?.p50),
      'p95 ms': ms(latency?.p95),
      'p99 ms': ms(latency?.p99),
      'max ms': ms(latency?.max),
    };
  });
}

/** One row per run, e.g. one per batch size. */
export function pipelineTable(results: readonly PipelinedResult[]): PipelineRow[] {
  return results.map((r) => ({
    name: r.name,
    'batch size': r.batchSize,
    batches: r.batches,
    commands: r.commands,
    errors: r.errors,
    'ops/s': Math.round(r.opsPerSec),
    'batch p50 ms': roundMs(r.batchLatency.p50),
    'batch p99 ms': roundMs(r.batchLatency.p99),
  }));
}

/** One row per sample of an INFO series. */
export function infoSeriesTable(series: InfoSeries): InfoSampleRow[] {
  return series.samples.map((s) => ({
    s: Math.round(s.elapsedMs / 100) / 10,
    'ops/s': s.opsPerSec === undefined ? null : Math.round(s.opsPerSec),
    'hit rate': s.hitRate === undefined ? null : `${(s.hitRate * 100).toFixed(1)}%`,
    hits: s.hits ?? null,
    misses: s.misses ?? null,
    'used memory MB': Math.round((s.usedMemory / MB) * 100) / 100,
    expired: s.expiredKeys,
    evicted: s.evictedKeys,
    clients: s.connectedClients,
  }));
}

/** `lock: 100 callers, 1,000 requests, 3 errors · 5,230 ops/s · p50 0.41 ms · p99 2.3 ms`. */
export function describeConcurrent(result: ConcurrentResult): string {
  const { summary } = result;
  const errors = `${formatNumber(summary.errors)} ${summary.errors === 1 ? 'error' : 'errors'}`;
  const latency = summary.latency
    ? `p50 ${formatMs(summary.latency.p50)} · p99 ${formatMs(summary.latency.p99)}`
    : 'no request succeeded';
  return (
    `${result.name}: ${formatNumber(result.callers)} ${result.callers === 1 ? 'caller' : 'callers'}, ` +
    `${formatNumber(summary.requests)} requests, ${errors} · ` +
    `${formatNumber(Math.round(summary.throughput))} ops/s · ${latency}`
  );
}

/** `SET ×16: 800 commands in 50 batches of 16 · 41,200 ops/s · batch p50 0.31 ms · 0 errors`. */
export function describePipelined(result: PipelinedResult): string {
  return (
    `${result.name}: ${formatNumber(result.commands)} commands in ${formatNumber(result.batches)} batches of ` +
    `${result.batchSize} · ${formatNumber(Math.round(result.opsPerSec))} ops/s · batch p50 ` +
    `${formatMs(result.batchLatency.p50)} · ${formatNumber(result.errors)} ${result.errors === 1 ? 'error' : 'errors'}`
  );
}
