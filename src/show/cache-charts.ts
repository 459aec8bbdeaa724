// Cache charts: memory per representation, hit ratio per eviction policy, hit rate over time.

import { LabError } from '../errors';
import type { ChartSpec } from './chart';
import {
  chartFrame,
  requireDistinct,
  requireRatio,
  requireSome,
  SERVER_COLORS,
  type ChartOptions,
} from './chart-specs';
import { formatNumber } from './format';

/** What one way of storing the same data costs, e.g. a JSON string vs a HASH (MEMORY USAGE). */
export interface MemorySample {
  representation: string;
  bytes: number;
  /** The server's encoding (OBJECT ENCODING: listpack, hashtable, embstr, raw…), shown with the figure. */
  encoding?: string;
}

/** One run of the eviction workload: a policy at a memory limit, and the hit ratio it reached. */
export interface EvictionPoint {
  /** maxmemory-policy, e.g. allkeys-lru. */
  policy: string;
  /** maxmemory, in bytes. */
  maxmemoryBytes: number;
  /** hits / (hits + misses), between 0 and 1. */
  hitRatio: number;
}

/** The hit ratio at one moment; `at` is seconds since the start, or a point in time. */
export interface HitRatePoint {
  at: number | Date | string;
  hitRatio: number;
  /** Which line the point belongs to, when comparing (e.g. "with warming", "cold start"). */
  series?: string;
}

export interface HitRateOptions extends ChartOptions {
  /** A goal to draw as a dashed line, e.g. 0.95 for flight searches. */
  target?: number;
}

/** Valkey's "mb" in maxmemory means 1024 × 1024 bytes; the chart speaks the same unit. */
const MB = 1024 * 1024;

/** Bytes per representation as horizontal bars, labelled with the figure and the encoding. */
export function memoryChart(samples: readonly MemorySample[], options: ChartOptions = {}): ChartSpec {
  requireSome(samples, 'memory chart', 'samples');
  requireDistinct(
    samples.map((s) => s.representation),
    'memory chart',
  );
  const values = samples.map((s) => ({
    representation: s.representation,
    bytes: s.bytes,
    label: `${formatNumber(s.bytes)} B${s.encoding ? ` · ${s.encoding}` : ''}`,
  }));
  return {
    ...chartFrame(options, {
      title: 'Memory per representation',
      subtitle: 'bytes the server reports (MEMORY USAGE) for the same data',
      width: 480,
      height: Math.max(60, samples.length * 34),
    }),
    data: { values },
    encoding: {
      y: { field: 'representation', type: 'nominal', sort: null, axis: { title: null, labelLimit: 220 } },
      x: { field: 'bytes', type: 'quantitative', axis: { title: 'bytes', format: ',d' } },
    },
    layer: [
      { mark: { type: 'bar', color: '#4e79a7', height: { band: 0.7 } } },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 11, color: '#333' },
        encoding: { text: { field: 'label' } },
      },
    ],
  };
}

/** Hit ratio against memory limit, one line per eviction policy: which policy keeps the right keys. */
export function evictionChart(points: readonly EvictionPoint[], options: ChartOptions = {}): ChartSpec {
  requireSome(points, 'eviction chart', 'points');
  for (const p of points) requireRatio(p.hitRatio, 'eviction chart', 'hitRatio');
  const policies = [...new Set(points.map((p) => p.policy))];
  const values = [...points]
    .sort((a, b) => a.maxmemoryBytes - b.maxmemoryBytes)
    .map((p) => ({ policy: p.policy, mb: p.maxmemoryBytes / MB, hitRatio: p.hitRatio }));
  return {
    ...chartFrame(options, {
      title: 'Hit ratio by eviction policy',
      subtitle: 'the same workload replayed at each memory limit',
      width: 520,
      height: 280,
    }),
    data: { values },
    mark: { type: 'line', point: { size: 40 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'mb', type: 'quantitative', axis: { title: 'maxmemory (MB)', format: '~g' } },
      y: {
        field: 'hitRatio',
        type: 'quantitative',
        scale: { domain: [0, 1] },
        axis: { title: 'hit ratio', format: '.0%' },
      },
      color: {
        field: 'policy',
        type: 'nominal',
        title: 'maxmemory-policy',
        scale: { domain: policies },
        sort: policies,
      },
    },
  };
}

/** Hit rate as it changes over a run (e.g. while the cache warms), with an optional target line. */
export function hitRateChart(points: readonly HitRatePoint[], options: HitRateOptions = {}): ChartSpec {
  requireSome(points, 'hit rate chart', 'points');
  for (const p of points) requireRatio(p.hitRatio, 'hit rate chart', 'hitRatio');
  if (options.target !== undefined) requireRatio(options.target, 'hit rate chart', 'target');
  const elapsed = points.every((p) => typeof p.at === 'number');
  if (!elapsed && points.some((p) => typeof p.at === 'number')) {
    throw new LabError({
      what: 'The hit rate chart got both seconds and dates in "at"',
      fix: 'Use seconds since the start for every point, or a Date for every point.',
    });
  }
  const series = [...new Set(points.map((p) => p.series).filter((s): s is string => s !== undefined))];
  const values = points.map((p) => ({
    at: p.at instanceof Date ? p.at.toISOString() : p.at,
    hitRatio: p.hitRatio,
    series: p.series ?? 'hit rate',
  }));
  const lines = {
    data: { values },
    mark: { type: 'line', point: { size: 24 }, strokeWidth: 2, interpolate: 'monotone' },
    encoding: {
      x: elapsed
        ? { field: 'at', type: 'quantitative', axis: { title: 'seconds since start', format: '~r' } }
        : { field: 'at', type: 'temporal', scale: { type: 'utc' }, axis: { title: 'time (UTC)', format: '%H:%M:%S' } },
      y: {
        field: 'hitRatio',
        type: 'quantitative',
        scale: { domain: [0, 1] },
        axis: { title: 'hit rate', format: '.0%' },
      },
      color:
        series.length > 0
          ? { field: 'series', type: 'nominal', title: null, scale: { domain: series }, sort: series }
          : { value: SERVER_COLORS.valkey }, // a hit rate is the cache's: Valkey's colour in every chart
    },
  };
  const target =
    options.target === undefined
      ? []
      : [
          {
            data: { values: [{ target: options.target, label: `target ${Math.round(options.target * 1000) / 10}%` }] },
            layer: [
              {
                mark: { type: 'rule', strokeDash: [6, 4], color: '#b42318' },
                encoding: { y: { field: 'target', type: 'quantitative' } },
              },
              {
                mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -3, color: '#b42318', fontSize: 11 },
                encoding: {
                  y: { field: 'target', type: 'quantitative' },
                  x: { value: options.width ?? 520 },
                  text: { field: 'label' },
                },
              },
            ],
          },
        ];
  return {
    ...chartFrame(options, {
      title: 'Cache hit rate over time',
      subtitle: 'hits ÷ (hits + misses)',
      width: 520,
      height: 260,
    }),
    layer: [lines, ...target],
  };
}
