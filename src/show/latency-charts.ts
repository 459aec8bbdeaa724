// Latency charts: how response times are distributed, and their percentiles side by side.

import { formatMs } from './describe';
import type { ChartSpec } from './chart';
import { chartFrame, requireDistinct, requireSome, seriesColorScale, type ChartOptions } from './chart-specs';

/** A measured series: a `BenchResult` is one. */
export interface LatencySeries {
  name: string;
  /** Every timed run, in ms. */
  samples: readonly number[];
  /** The median, when already computed (a `BenchResult` has it); otherwise taken from the samples. */
  p50?: number;
}

export interface LatencyDistributionOptions extends ChartOptions {
  /** Bins per tenfold step of latency. Default 10: fine enough to see a tail, coarse enough to read. */
  binsPerDecade?: number;
}

/** Percentiles of a series: a `BenchResult` is one. */
export interface PercentileSeries {
  name: string;
  p50: number;
  p95: number;
  p99: number;
}

export interface PercentileChartOptions extends ChartOptions {
  /** 'log' when the series differ by orders of magnitude and the small values must stay apart. */
  scale?: 'linear' | 'log';
}

/** The finest latency a benchmark records (1 µs): the lowest edge a log scale can start from. */
const FINEST_MS = 0.001;

/**
 * Where the runs of each series fell (e.g. database query vs cache hit): the share of runs per
 * latency bin on a log scale, so a 0.05 ms cache and a 2 ms database read on one axis; a dashed
 * line marks each median.
 */
export function latencyDistributionChart(
  series: readonly LatencySeries[],
  options: LatencyDistributionOptions = {},
): ChartSpec {
  requireSome(series, 'latency distribution', 'series');
  requireDistinct(
    series.map((s) => s.name),
    'latency distribution',
  );
  for (const s of series) requireSome(s.samples, `latency distribution of "${s.name}"`, 'samples');
  // Each series is named with its median in the legend: labels inside the plot would sit on the bars.
  const legendName = (s: LatencySeries) => `${s.name} · median ${formatMs(s.p50 ?? median(s.samples))}`;
  const names = series.map(legendName);
  const { bins, domain } = logBins(
    series.map((s) => ({ ...s, name: legendName(s) })),
    options.binsPerDecade ?? 10,
  );
  const medians = series.map((s) => ({ series: legendName(s), p50: s.p50 ?? median(s.samples) }));
  const runs = series.map((s) => s.samples.length);
  const sameRuns = runs.every((n) => n === runs[0]);
  const color = { field: 'series', type: 'nominal', title: null, scale: seriesColorScale(names), sort: names };
  return {
    ...chartFrame(options, {
      title: 'Latency distribution',
      subtitle: `${sameRuns ? `${runs[0]} timed runs per series` : `${runs.join(' / ')} timed runs`}; dashed line: median (p50)`,
      width: 560,
      height: 260,
    }),
    layer: [
      {
        data: { values: bins },
        mark: { type: 'rect', opacity: 0.6 },
        encoding: {
          x: {
            field: 'from',
            type: 'quantitative',
            // The bins' own range: a "nice" log domain would pad a decade of empty axis on each side.
            scale: { type: 'log', domain, nice: false },
            axis: { title: 'latency (ms, log scale)', format: '~g', grid: true },
          },
          x2: { field: 'to' },
          y: { field: 'share', type: 'quantitative', axis: { title: 'share of runs', format: '.0%' } },
          y2: { datum: 0 },
          color,
        },
      },
      {
        data: { values: medians },
        mark: { type: 'rule', strokeDash: [5, 3], strokeWidth: 2 },
        encoding: { x: { field: 'p50', type: 'quantitative' }, color },
      },
    ],
    config: { legend: { orient: 'top', labelLimit: 0 } },
  } as ChartSpec;
}

/**
 * p50, p95 and p99 of each series as points side by side, each labelled with its value above it: how the
 * typical request and the slow tail compare (e.g. database vs cache). Points, not bars: a bar on a log
 * scale has no zero to start from, so its length would mean nothing; a point's position reads true on
 * either scale. Each series has its own place within a percentile, so no label sits on another's point.
 */
export function percentileChart(series: readonly PercentileSeries[], options: PercentileChartOptions = {}): ChartSpec {
  requireSome(series, 'percentile chart', 'series');
  requireDistinct(
    series.map((s) => s.name),
    'percentile chart',
  );
  const log = options.scale === 'log';
  return {
    ...chartFrame(options, { ...percentileTitles(log), width: 480, height: 260 }),
    data: { values: series.flatMap((s) => percentileRows(s)) },
    ...percentilePlot(
      series.map((s) => s.name),
      log,
    ),
  };
}

/** Series measured side by side for one subject: e.g. the database and the cache answering one query. */
export interface PercentileGroup {
  name: string;
  /** One per side; the same names in every group (they pick the colours and the legend). */
  series: readonly PercentileSeries[];
}

/**
 * Percentiles for several subjects at once, one small panel per subject on one shared scale: e.g. database vs
 * cache for each of four queries. Eight lines in one plot would cross and bury their labels; four panels of
 * two lines do not.
 */
export function groupedPercentileChart(
  groups: readonly PercentileGroup[],
  options: PercentileChartOptions = {},
): ChartSpec {
  requireSome(groups, 'grouped percentile chart', 'groups');
  requireDistinct(
    groups.map((g) => g.name),
    'grouped percentile chart',
  );
  const log = options.scale === 'log';
  const { width, height, ...frame } = chartFrame(options, { ...percentileTitles(log), width: 200, height: 240 });
  return {
    ...frame,
    data: { values: groups.flatMap((g) => g.series.flatMap((s) => percentileRows(s, g.name))) },
    facet: { column: { field: 'group', type: 'nominal', sort: groups.map((g) => g.name), title: null } },
    spec: {
      width,
      height,
      ...percentilePlot([...new Set(groups.flatMap((g) => g.series.map((s) => s.name)))], log),
    },
  } as ChartSpec;
}

const PERCENTILES = ['p50', 'p95', 'p99'] as const;

function percentileTitles(log: boolean): { title: string; subtitle: string } {
  return {
    title: 'Latency percentiles',
    subtitle: `p50: the typical run · p95, p99: the slow tail${log ? ' · log scale' : ''}`,
  };
}

function percentileRows(s: PercentileSeries, group?: string): Array<Record<string, unknown>> {
  return PERCENTILES.map((p) => ({
    ...(group === undefined ? {} : { group }),
    series: s.name,
    percentile: p,
    ms: s[p],
    label: formatMs(s[p]),
  }));
}

/** A point per series and percentile, side by side within the percentile, each labelled with its value above it. */
function percentilePlot(names: readonly string[], log: boolean): Pick<ChartSpec, 'encoding' | 'layer'> {
  return {
    encoding: {
      x: { field: 'percentile', type: 'ordinal', sort: [...PERCENTILES], axis: { title: null, labelAngle: 0 } },
      xOffset: { field: 'series', type: 'nominal', sort: [...names], scale: { paddingOuter: 0.3 } },
      y: {
        field: 'ms',
        type: 'quantitative',
        scale: log ? { type: 'log' } : { zero: true },
        axis: { title: `latency (ms${log ? ', log scale' : ''})`, format: '~g' },
      },
      color: { field: 'series', type: 'nominal', title: null, scale: seriesColorScale(names), sort: [...names] },
    },
    layer: [
      { mark: { type: 'point', filled: true, size: 70, opacity: 1 } },
      { mark: { type: 'text', baseline: 'bottom', dy: -7, fontSize: 10 }, encoding: { text: { field: 'label' } } },
    ],
  };
}

interface BinRow {
  series: string;
  from: number;
  to: number;
  share: number;
  runs: number;
}

/** Log-spaced bins over all series, with the share of each series' runs in each (empty bins left out). */
function logBins(series: readonly LatencySeries[], perDecade: number): { bins: BinRow[]; domain: [number, number] } {
  // A loop, not Math.min(...samples): a long benchmark has more samples than a call has arguments.
  let smallest = Number.POSITIVE_INFINITY;
  let largest = 0;
  for (const s of series) {
    for (const ms of s.samples) {
      if (ms > 0 && ms < smallest) smallest = ms;
      if (ms > largest) largest = ms;
    }
  }
  const lowest = Math.max(FINEST_MS, Number.isFinite(smallest) ? smallest : FINEST_MS);
  const highest = Math.max(lowest, largest);
  const first = Math.floor(Math.log10(lowest) * perDecade);
  const last = Math.max(first + 1, Math.ceil(Math.log10(highest) * perDecade));
  const edge = (step: number) => 10 ** (step / perDecade);
  const bins = series.flatMap((s) => {
    const counts = new Map<number, number>();
    for (const ms of s.samples) {
      const step = Math.min(last - 1, Math.max(first, Math.floor(Math.log10(Math.max(ms, lowest)) * perDecade)));
      counts.set(step, (counts.get(step) ?? 0) + 1);
    }
    return [...counts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([step, runs]) => ({
        series: s.name,
        from: edge(step),
        to: edge(step + 1),
        share: runs / s.samples.length,
        runs,
      }));
  });
  return { bins, domain: [edge(first), edge(last)] };
}

function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
