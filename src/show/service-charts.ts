// Charts of the service under load: throughput and p99 per concurrency step, a run over time around an outage,
// rates from scraped metrics, and the service's own latency histogram.

import type { LoadRun } from '../service/control';
import type { MetricsScrape } from '../service/control';
import { metricSum, type MetricSample } from '../service/metrics-text';
import type { ChartSpec } from './chart';
import { chartFrame, requireSome, seriesColorScale, type ChartOptions } from './chart-specs';

/** One step of a load: which series it belongs to (with cache, without...) and what it measured. */
export interface LoadStep {
  series: string;
  run: LoadRun;
}

/** Requests per second and p99 against the number of connections, one line per series. */
export function loadStepsChart(steps: readonly LoadStep[], options: ChartOptions = {}): ChartSpec {
  requireSome(steps, 'load steps chart', 'steps');
  const names = [...new Set(steps.map((s) => s.series))];
  const values = steps.map((s) => ({
    series: s.series,
    connections: s.run.connections,
    rps: s.run.requestsPerSecond,
    p50: s.run.p50,
    p99: s.run.p99,
  }));
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: seriesColorScale(names),
    sort: names,
    legend: { labelLimit: 280 },
  };
  const x = {
    field: 'connections',
    type: 'quantitative',
    scale: { type: 'log', base: 2 },
    axis: { title: 'connections (log scale)', values: [...new Set(values.map((v) => v.connections))] },
  };
  const frame = chartFrame(options, {
    title: 'The service under rising load',
    subtitle: 'autocannon in its own process; each point one step of a few seconds',
    width: 260,
    height: 200,
  });
  const { width, height, ...outer } = frame;
  const panel = (field: string, title: string, log: boolean) => ({
    width,
    height,
    mark: { type: 'line', point: true },
    encoding: {
      x,
      y: { field, type: 'quantitative', scale: log ? { type: 'log' } : { zero: true }, axis: { title, format: '~r' } },
      color,
    },
  });
  return {
    ...outer,
    data: { values },
    hconcat: [panel('rps', 'requests per second', false), panel('p99', 'p99 latency (ms, log scale)', true)],
  };
}

/** Something that happened during a run (Valkey killed, restarted...), at ms since the run began. */
export interface RunEvent {
  atMs: number;
  label: string;
}

/** Runs over time: p99 per bucket (log scale) and errors per bucket, with the events as vertical rules. */
export function loadTimelineChart(
  runs: readonly LoadRun[],
  events: readonly RunEvent[] = [],
  options: ChartOptions = {},
): ChartSpec {
  requireSome(runs, 'load timeline chart', 'runs');
  const names = runs.map((r) => r.name);
  const values = runs.flatMap((r) =>
    r.buckets.map((b) => ({
      run: r.name,
      seconds: b.atMs / 1000,
      p99: Math.max(b.p99 || 0.01, 0.01),
      requests: b.requests,
      errors: b.errors,
    })),
  );
  const frame = chartFrame(options, {
    title: 'Latency and errors over time',
    subtitle: 'per 250 ms of the run; dashed: what happened to Valkey',
    width: 520,
    height: 150,
  });
  const { width, height, ...outer } = frame;
  const color = {
    field: 'run',
    type: 'nominal',
    title: null,
    scale: seriesColorScale(names),
    sort: names,
    legend: { labelLimit: 320 },
  };
  const x = { field: 'seconds', type: 'quantitative', axis: { title: 's since the load began' } };
  const rules = {
    data: { values: events.map((e) => ({ seconds: e.atMs / 1000, label: e.label })) },
    layer: [
      {
        mark: { type: 'rule', strokeDash: [5, 3], color: '#b42318' },
        encoding: { x: { field: 'seconds', type: 'quantitative' } },
      },
      {
        mark: { type: 'text', align: 'left', dx: 3, dy: -4, fontSize: 10, color: '#b42318', y: 0 },
        encoding: { x: { field: 'seconds', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  };
  const panel = (field: string, title: string, log: boolean) => ({
    width,
    height,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: { size: 12 } },
        encoding: {
          x,
          y: {
            field,
            type: 'quantitative',
            scale: log ? { type: 'log' } : { zero: true },
            axis: { title, format: '~r' },
          },
          color,
        },
      },
      rules,
    ],
  });
  return {
    ...outer,
    vconcat: [
      panel('p99', 'p99 (ms, log scale)', true),
      panel('requests', 'requests answered', false),
      panel('errors', 'errors', false),
    ],
    resolve: { scale: { color: 'shared' } },
  };
}

/** Per-second rates of counters between scrapes (e.g. database queries/s), one line per series. */
export function metricRateChart(
  series: ReadonlyArray<{
    name: string;
    scrapes: readonly MetricsScrape[];
    metric: string;
    labels?: Record<string, string>;
  }>,
  events: readonly RunEvent[] = [],
  options: ChartOptions = {},
): ChartSpec {
  requireSome(series, 'metric rate chart', 'series');
  const names = series.map((s) => s.name);
  const values = series.flatMap((s) =>
    s.scrapes.slice(1).map((scrape, i) => {
      const before = s.scrapes[i]!;
      const delta = metricSum(scrape.samples, s.metric, s.labels) - metricSum(before.samples, s.metric, s.labels);
      return {
        series: s.name,
        seconds: scrape.atMs / 1000,
        rate: (1000 * delta) / Math.max(1, scrape.atMs - before.atMs),
      };
    }),
  );
  return {
    ...chartFrame(options, {
      title: 'Rate from the service’s /metrics',
      subtitle: 'change between scrapes, per second',
      width: 520,
      height: 180,
    }),
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: { size: 12 } },
        encoding: {
          x: { field: 'seconds', type: 'quantitative', axis: { title: 's since the load began' } },
          y: { field: 'rate', type: 'quantitative', axis: { title: 'per second', format: '~s' } },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: seriesColorScale(names),
            sort: names,
            legend: { labelLimit: 320 },
          },
        },
      },
      {
        data: { values: events.map((e) => ({ seconds: e.atMs / 1000 })) },
        mark: { type: 'rule', strokeDash: [5, 3], color: '#b42318' },
        encoding: { x: { field: 'seconds', type: 'quantitative' } },
      },
    ],
  };
}

/**
 * The service's latency histogram as Prometheus exposes it (cumulative `_bucket` counts per `le`), drawn as the
 * count in each bucket, per route.
 */
export function histogramChart(
  samples: readonly MetricSample[],
  metric: string,
  options: ChartOptions = {},
): ChartSpec {
  const buckets = samples.filter((s) => s.name === `${metric}_bucket`);
  requireSome(buckets, 'histogram chart', `${metric}_bucket samples`);
  const routes = [...new Set(buckets.map((b) => b.labels.route))];
  const values = routes.flatMap((route) => {
    const mine = buckets
      .filter((b) => b.labels.route === route)
      .sort((a, b) => Number(a.labels.le) - Number(b.labels.le));
    return mine.map((b, i) => ({
      route,
      le: b.labels.le === '+Inf' ? '> last' : `≤ ${Number(b.labels.le) * 1000} ms`,
      order: i,
      count: b.value - (i > 0 ? mine[i - 1]!.value : 0),
    }));
  });
  return {
    ...chartFrame(options, {
      title: 'Request latency, as /metrics exposes it',
      subtitle: `${metric}: requests per bucket, per route`,
      width: 520,
      height: 200,
    }),
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'le', type: 'ordinal', sort: { field: 'order' }, axis: { title: 'latency bucket', labelAngle: -30 } },
      y: { field: 'count', type: 'quantitative', axis: { title: 'requests' } },
      xOffset: { field: 'route', type: 'nominal' },
      color: { field: 'route', type: 'nominal', title: null },
    },
  };
}
