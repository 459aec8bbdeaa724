// Workload charts: INFO and PING over time, concurrent runs (latency over time, percentiles per run),
// pipeline throughput.

import { LabError } from '../errors';
import type { ConcurrentResult } from '../measure/concurrent';
import type { InfoSample, InfoSeries } from '../measure/sampler';
import type { ChartSpec } from './chart';
import { chartFrame, requireDistinct, requireSome, SERVER_COLORS, type ChartOptions } from './chart-specs';
import { formatMs } from './describe';
import { formatNumber } from './format';

/** The INFO figures a time-series chart can draw, one small chart each. */
export type InfoMetric =
  | 'opsPerSec'
  | 'instantaneousOpsPerSec'
  | 'hitRate'
  | 'usedMemory'
  | 'hits'
  | 'misses'
  | 'expiredKeys'
  | 'evictedKeys'
  | 'connectedClients';

export interface InfoSeriesChartOptions extends ChartOptions {
  /** Which figures, top to bottom. Default: ops/s, hit rate, used memory. */
  metrics?: readonly InfoMetric[];
  /** Charts side by side per row, e.g. 2 for a dashboard of six figures. Default 1. */
  columns?: number;
}

interface MetricView {
  title: string;
  format: string;
  value: (s: InfoSample) => number | undefined;
  domain?: [number, number];
}

const MB = 1024 * 1024;

const METRICS: Record<InfoMetric, MetricView> = {
  opsPerSec: { title: 'commands/s', format: ',.0f', value: (s) => s.opsPerSec },
  instantaneousOpsPerSec: { title: 'ops/s (server estimate)', format: ',.0f', value: (s) => s.instantaneousOpsPerSec },
  hitRate: { title: 'hit rate', format: '.0%', value: (s) => s.hitRate, domain: [0, 1] },
  usedMemory: { title: 'used memory (MB)', format: ',.1f', value: (s) => s.usedMemory / MB },
  hits: { title: 'hits per interval', format: ',d', value: (s) => s.hits },
  misses: { title: 'misses per interval', format: ',d', value: (s) => s.misses },
  expiredKeys: { title: 'expired keys (total)', format: ',d', value: (s) => s.expiredKeys },
  evictedKeys: { title: 'evicted keys (total)', format: ',d', value: (s) => s.evictedKeys },
  connectedClients: { title: 'connected clients', format: ',d', value: (s) => s.connectedClients },
};

/**
 * An INFO series as small multiples sharing the time axis: one chart per figure (ops/s, hit rate,
 * memory…), each with its own axis from zero, so a rise in one lines up with a change in another.
 */
export function infoSeriesChart(series: InfoSeries, options: InfoSeriesChartOptions = {}): ChartSpec {
  requireSome(series.samples, 'INFO series chart', 'samples');
  const metrics = options.metrics ?? ['opsPerSec', 'hitRate', 'usedMemory'];
  requireSome(metrics, 'INFO series chart', 'metrics');
  for (const metric of metrics) {
    if (!(metric in METRICS)) {
      throw new LabError({
        what: `The INFO series chart has no metric "${metric}"`,
        fix: `Pick from ${Object.keys(METRICS).join(', ')}.`,
      });
    }
  }
  const columns = options.columns ?? 1;
  if (!Number.isInteger(columns) || columns < 1) {
    throw new LabError({ what: `The INFO series chart got ${columns} columns`, fix: 'Use 1, 2 or 3.' });
  }
  const frame = chartFrame(options, {
    title: 'The server over time',
    subtitle: `INFO every ${formatNumber(series.intervalMs)} ms; rates are per interval`,
    width: 520,
    height: 110,
  });
  const { width, height, ...outer } = frame;
  const lastSecond = Math.max(...series.samples.map((s) => s.elapsedMs / 1000));
  const charts = metrics.map((metric, i) => {
    const view = METRICS[metric];
    const values = series.samples
      .map((s) => ({ seconds: s.elapsedMs / 1000, value: view.value(s) }))
      .filter((p): p is { seconds: number; value: number } => p.value !== undefined && Number.isFinite(p.value));
    // Only the bottom row names the shared time axis.
    const last = i >= metrics.length - columns;
    return {
      width,
      height,
      data: { values },
      mark: { type: 'line', point: { size: 20 }, strokeWidth: 2, color: '#4e79a7' },
      encoding: {
        x: {
          field: 'seconds',
          type: 'quantitative',
          scale: { domain: [0, Math.max(lastSecond, 0.001)] },
          axis: { title: last ? 'seconds since start' : null, format: '~r', labels: last },
        },
        y: {
          field: 'value',
          type: 'quantitative',
          scale: view.domain ? { domain: view.domain } : { zero: true },
          // Counts (format ',d') get whole-number ticks: 2 clients must not be labelled 2, 2, 1, 1, 0.
          axis: {
            title: view.title,
            format: view.format,
            tickCount: 4,
            ...(view.format === ',d' ? { tickMinStep: 1 } : {}),
          },
        },
      },
    };
  });
  if (columns === 1) return { ...outer, vconcat: charts, spacing: 8 };
  // Flush bounds: rows sit as close as stacked charts do, with room between columns for the y axes.
  return { ...outer, concat: charts, columns, bounds: 'flush', spacing: { row: 20, column: 90 } };
}

/**
 * Latency over time: the PING round trip of every sample of a series taken with `ping: true`, with its
 * median dashed.
 */
export function latencyOverTimeChart(series: InfoSeries, options: ChartOptions = {}): ChartSpec {
  requireSome(series.samples, 'latency over time chart', 'samples');
  const values = series.samples.map((s) => ({ seconds: s.elapsedMs / 1000, ms: s.pingMs }));
  if (values.some((v) => v.ms === undefined)) {
    throw new LabError({
      what: 'The latency over time chart got samples without a PING time',
      fix: 'Sample with sampleInfo(client, { intervalMs, ping: true }), or use watchServer.',
    });
  }
  const sorted = values.map((v) => v.ms!).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return {
    ...chartFrame(options, {
      title: 'Latency over time',
      subtitle: 'round trip of a PING sent before each INFO read; dashed: median',
      width: 520,
      height: 220,
    }),
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: { size: 18 }, strokeWidth: 1.5, color: SERVER_COLORS.valkey },
        encoding: {
          x: { field: 'seconds', type: 'quantitative', axis: { title: 'seconds since start', format: '~r' } },
          y: { field: 'ms', type: 'quantitative', axis: { title: 'PING round trip (ms)', format: '~r' } },
        },
      },
      {
        data: { values: [{ median }] },
        mark: { type: 'rule', strokeDash: [5, 3], color: '#b42318' },
        encoding: { y: { field: 'median', type: 'quantitative' } },
      },
    ],
  };
}

export interface ConcurrentChartOptions extends ChartOptions {
  /** Points drawn at most per run; longer runs are thinned evenly (the subtitle says so). Default 4000. */
  maxPoints?: number;
  /** 'log' when a few slow requests would flatten the rest (points only, so positions still read true). */
  scale?: 'linear' | 'log';
}

/**
 * Every request of one or more concurrent runs as a point: when it started (x) and how long it took
 * (y), failures as red crosses. A stampede shows as a column of slow requests at the start.
 */
export function concurrentLatencyChart(
  results: readonly ConcurrentResult[],
  options: ConcurrentChartOptions = {},
): ChartSpec {
  requireSome(results, 'concurrent latency chart', 'results');
  requireDistinct(
    results.map((r) => r.name),
    'concurrent latency chart',
  );
  const maxPoints = options.maxPoints ?? 4000;
  const names = results.map((r) => r.name);
  let thinned = false;
  const values = results.flatMap((r) => {
    const stride = Math.max(1, Math.ceil(r.records.length / maxPoints));
    if (stride > 1) thinned = true;
    return r.records
      .filter((_, i) => i % stride === 0)
      .map((rec) => ({
        run: r.name,
        seconds: rec.startMs / 1000,
        ms: Math.max(rec.latencyMs, 0.001),
        result: rec.ok ? 'ok' : 'error',
      }));
  });
  const log = options.scale === 'log';
  const errors = results.reduce((sum, r) => sum + r.summary.errors, 0);
  return {
    ...chartFrame(options, {
      title: 'Latency of every request',
      subtitle:
        `${results.map((r) => `${r.name}: ${callers(r.callers)}`).join(' · ')}` +
        `${errors > 0 ? ` · ${formatNumber(errors)} failed (×)` : ''}${thinned ? ' · thinned evenly for drawing' : ''}`,
      width: 560,
      height: 260,
    }),
    data: { values },
    mark: { type: 'point', filled: true, size: 18, opacity: 0.6 },
    encoding: {
      x: {
        field: 'seconds',
        type: 'quantitative',
        axis: { title: 'request start (s since the run began)', format: '~r' },
      },
      y: {
        field: 'ms',
        type: 'quantitative',
        scale: log ? { type: 'log' } : { zero: true },
        axis: { title: `latency (ms${log ? ', log scale' : ''})`, format: '~r' },
      },
      color: {
        field: 'run',
        type: 'nominal',
        title: null,
        scale: { domain: names },
        sort: names,
        legend: { labelLimit: 280 },
      },
      shape: {
        field: 'result',
        type: 'nominal',
        title: null,
        scale: { domain: ['ok', 'error'], range: ['circle', 'cross'] },
      },
    },
  };
}

/**
 * p50, p95 and p99 of each run's successful requests (e.g. one run per stampede strategy), with each
 * run's error count in its label. Linear: bars from zero, so lengths compare. Log: dots, since a bar's
 * length on a log axis would not read true.
 */
export function concurrentPercentileChart(
  results: readonly ConcurrentResult[],
  options: Omit<ConcurrentChartOptions, 'maxPoints'> = {},
): ChartSpec {
  requireSome(results, 'concurrent percentile chart', 'results');
  requireDistinct(
    results.map((r) => r.name),
    'concurrent percentile chart',
  );
  const measured = results.filter((r) => r.summary.latency !== undefined);
  if (measured.length === 0) {
    throw new LabError({
      what: 'Nothing to chart: no request succeeded in any run',
      fix: 'Look at summary.errorMessages to see why the requests failed.',
    });
  }
  const label = (r: ConcurrentResult) =>
    r.summary.errors > 0 ? `${r.name} (${formatNumber(r.summary.errors)} errors)` : r.name;
  const runs = measured.map(label);
  const percentiles = ['p50', 'p95', 'p99'] as const;
  const values = measured.flatMap((r) =>
    percentiles.map((p) => ({
      run: label(r),
      percentile: p,
      ms: r.summary.latency![p],
      text: formatMs(r.summary.latency![p]),
    })),
  );
  const left = results.length - measured.length;
  const log = options.scale === 'log';
  return {
    ...chartFrame(options, {
      title: 'Latency percentiles per run',
      subtitle:
        `successful requests only; errors counted in the labels${log ? ' · log scale, dots' : ''}` +
        `${left > 0 ? ` · ${left} run(s) with no success left out` : ''}`,
      width: 480,
      height: Math.max(120, measured.length * 60),
    }),
    data: { values },
    encoding: {
      y: { field: 'run', type: 'nominal', sort: runs, axis: { title: null, labelLimit: 240 } },
      yOffset: { field: 'percentile', type: 'nominal', sort: [...percentiles] },
      x: {
        field: 'ms',
        type: 'quantitative',
        scale: log ? { type: 'log' } : { zero: true },
        axis: { title: `latency (ms${log ? ', log scale' : ''})`, format: '~r' },
      },
      color: {
        field: 'percentile',
        type: 'nominal',
        title: null,
        scale: { domain: [...percentiles] },
        sort: [...percentiles],
      },
    },
    layer: [
      log ? { mark: { type: 'point', filled: true, size: 60 } } : { mark: { type: 'bar' } },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 10, color: '#333' },
        encoding: { text: { field: 'text' } },
      },
    ],
  };
}

/** One pipelined run's figures: a `PipelinedResult` is one; `series` groups runs into lines. */
export interface ThroughputPoint {
  batchSize: number;
  opsPerSec: number;
  /** e.g. "SET" and "GET"; runs without one form a single line. */
  series?: string;
}

/**
 * Commands per second against batch size: how much a round trip costs. Batch sizes on a log₂ axis
 * (points and lines: positions, not lengths), throughput from zero, each point labelled.
 */
export function pipelineThroughputChart(points: readonly ThroughputPoint[], options: ChartOptions = {}): ChartSpec {
  requireSome(points, 'pipeline throughput chart', 'results');
  for (const p of points) {
    if (!Number.isFinite(p.opsPerSec) || p.opsPerSec < 0 || !(p.batchSize >= 1)) {
      throw new LabError({
        what: `The pipeline throughput chart got batch size ${p.batchSize} at ${p.opsPerSec} ops/s`,
        fix: 'Pass results of runPipelined (batch size 1 or more, ops/s 0 or more).',
      });
    }
  }
  const series = [...new Set(points.map((p) => p.series ?? 'throughput'))];
  const values = [...points]
    .sort((a, b) => a.batchSize - b.batchSize)
    .map((p) => ({
      series: p.series ?? 'throughput',
      batchSize: p.batchSize,
      opsPerSec: p.opsPerSec,
      label: `${formatNumber(Math.round(p.opsPerSec))}/s`,
    }));
  const sizes = [...new Set(values.map((v) => v.batchSize))];
  const color =
    series.length > 1
      ? { field: 'series', type: 'nominal', title: null, scale: { domain: series }, sort: series }
      : { value: '#4e79a7' };
  return {
    ...chartFrame(options, {
      title: 'Pipelining: throughput by batch size',
      subtitle: 'commands per second, one batch in flight; batch size on a log₂ axis',
      width: 480,
      height: 260,
    }),
    data: { values },
    encoding: {
      x: {
        field: 'batchSize',
        type: 'quantitative',
        scale: { type: 'log', base: 2, domain: [Math.min(...sizes), Math.max(...sizes)], nice: false },
        axis: { title: 'commands per batch', values: sizes, format: '~g' },
      },
      y: {
        field: 'opsPerSec',
        type: 'quantitative',
        scale: { zero: true },
        axis: { title: 'commands/s', format: ',~r' },
      },
      color,
    },
    layer: [
      { mark: { type: 'line', point: { size: 40 }, strokeWidth: 2 } },
      {
        mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -4, dy: -4, fontSize: 10, color: '#333' },
        encoding: { text: { field: 'label' } },
      },
    ],
  };
}

function callers(n: number): string {
  return `${formatNumber(n)} ${n === 1 ? 'caller' : 'callers'}`;
}
