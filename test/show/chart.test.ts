// Charts: every spec builder renders through vega-lite and vega to a real SVG with its titles and series.

import { formatMs } from '../../src/show/describe';
import { inspect } from 'node:util';
import { afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { LabError } from '../../src/errors';
import { summarizeSamples } from '../../src/measure';
import {
  evictionChart,
  hitRateChart,
  latencyDistributionChart,
  memoryChart,
  percentileChart,
  groupedPercentileChart,
  renderChart,
  showChart,
  type ChartSpec,
} from '../../src/show';
import { subtitleLines } from '../../src/show/chart';
import { latencyOverTimeChart } from '../../src/show/workload-charts';
import type { InfoSeries } from '../../src/measure/sampler';

/** A seeded log-normal sample, so the charts' inputs are the same on every run. */
function latencies(medianMs: number, n: number, seed: number): number[] {
  let state = seed;
  const uniform = () => (state = (state * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: n }, () => {
    const normal = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    return medianMs * Math.exp(0.35 * normal);
  });
}

const database = summarizeSamples('MariaDB query', latencies(0.9, 1000, 7));
const cache = summarizeSamples('Valkey cache hit', latencies(0.05, 1000, 11));

/** The texts an SVG shows (vega writes each label as one <text> element, escaped). */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

function expectRealSvg(svg: string): void {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  expect(svg).toMatch(/<path|<rect|<line/);
}

let warn: MockInstance<typeof console.warn> | undefined;
beforeAll(async () => {
  await renderChart(percentileChart([cache])); // loads vega once, outside the timed tests
});
afterEach(() => {
  // vega-lite warns on specs it has to guess about; the lab's builders must not give it cause.
  if (warn) expect(warn).not.toHaveBeenCalled();
  warn = undefined;
  vi.restoreAllMocks();
});

async function render(spec: ChartSpec): Promise<string[]> {
  warn = vi.spyOn(console, 'warn');
  const svg = await renderChart(spec);
  expectRealSvg(svg);
  // The spec is plain JSON: it survives a round trip, so it can be saved and printed.
  expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  return svgTexts(svg);
}

describe('chart builders render to SVG', () => {
  it('latency distribution: both series with their medians in the legend, out of the bars, and the titles', async () => {
    const texts = await render(latencyDistributionChart([database, cache]));
    expect(texts).toContain('Latency distribution');
    expect(texts).toContain(`MariaDB query · median ${formatMs(database.p50)}`);
    expect(texts).toContain(`Valkey cache hit · median ${formatMs(cache.p50)}`);
    expect(texts).toContain('1000 timed runs per series; dashed line: median (p50)');
    expect(texts).toContain('latency (ms, log scale)');
    expect(texts).toContain('share of runs');
  });

  it('latency distribution: shares per series add up to 100%', () => {
    const spec = latencyDistributionChart([database, cache], { binsPerDecade: 5 });
    const bins = (spec.layer as Array<{ data: { values: Array<{ series: string; share: number }> } }>)[0]!.data.values;
    for (const name of ['MariaDB query', 'Valkey cache hit']) {
      const total = bins.filter((b) => b.series.startsWith(`${name} · `)).reduce((sum, b) => sum + b.share, 0);
      expect(total).toBeCloseTo(1, 10);
    }
  });

  it('percentiles: a point for each series side by side, with their values, on a linear or log scale', async () => {
    const texts = await render(percentileChart([database, cache], { title: 'Flight search: database vs cache' }));
    expect(texts).toEqual(
      expect.arrayContaining([
        'Flight search: database vs cache',
        'MariaDB query',
        'Valkey cache hit',
        'p50',
        'p95',
        'p99',
      ]),
    );
    expect(texts).toContain(`${Number(cache.p50.toFixed(3))} ms`);
    expect(texts).toContain('latency (ms)');
    const log = await render(percentileChart([database, cache], { scale: 'log' }));
    expect(log).toContain('latency (ms, log scale)');
    // No bars: a bar's length on a log axis would mean nothing.
    const marks = JSON.stringify(percentileChart([database, cache], { scale: 'log' }).layer);
    expect(marks).not.toContain('"bar"');
    expect(marks).toContain('"point"');
    // Each series has its own place within a percentile, so labels of close values do not print over each other.
    expect(percentileChart([database, cache]).encoding).toHaveProperty('xOffset.field', 'series');
  });

  it('grouped percentiles: one panel per subject, one legend entry per side, every label whole', async () => {
    const side = (name: string, s: typeof cache) => ({ ...s, name });
    const groups = ['flight search · long name', 'round trip', 'user history', 'seat availability'].map((name, i) => ({
      name,
      series: [
        side('database query (MariaDB)', database),
        side('cache hit (Valkey)', { ...cache, p50: cache.p50 + i }),
      ],
    }));
    const texts = await render(groupedPercentileChart(groups, { scale: 'log', title: 'Four queries' }));
    expect(texts).toEqual(expect.arrayContaining([...groups.map((g) => g.name), 'Four queries']));
    // Two legend entries, not eight, and neither cut short with an ellipsis.
    expect(texts.filter((t) => t === 'database query (MariaDB)')).toHaveLength(1);
    expect(texts.filter((t) => t === 'cache hit (Valkey)')).toHaveLength(1);
    expect(texts.some((t) => t.endsWith('…'))).toBe(false);
    expect(texts.filter((t) => t === 'p99')).toHaveLength(groups.length);
    expect(() => groupedPercentileChart([groups[0]!, groups[0]!])).toThrow(/two series named "flight search/);
  });

  it('memory: one bar per representation, labelled with bytes and encoding', async () => {
    const texts = await render(
      memoryChart([
        { representation: 'JSON string', bytes: 1416, encoding: 'raw' },
        { representation: 'HASH', bytes: 280, encoding: 'listpack' },
        { representation: 'seat bitmap', bytes: 72 },
      ]),
    );
    expect(texts).toEqual(expect.arrayContaining(['Memory per representation', 'JSON string', 'HASH', 'seat bitmap']));
    expect(texts).toContain('1,416 B · raw');
    expect(texts).toContain('72 B');
  });

  it('eviction: one line per policy, hit ratio against maxmemory', async () => {
    const policies = ['allkeys-lru', 'allkeys-lfu', 'volatile-ttl'];
    const points = policies.flatMap((policy, k) =>
      [1, 2, 4, 8].map((mb) => ({
        policy,
        maxmemoryBytes: mb * 1024 * 1024,
        hitRatio: Math.min(1, 0.2 * Math.log2(2 * mb) - k * 0.05),
      })),
    );
    const texts = await render(evictionChart(points));
    expect(texts).toEqual(
      expect.arrayContaining(['Hit ratio by eviction policy', 'maxmemory (MB)', 'hit ratio', ...policies]),
    );
    expect(texts).toContain('100%');
  });

  it('hit rate over time: a line per series, seconds or clock time, with a target line', async () => {
    const points = [0, 5, 10, 15, 20].flatMap((at) => [
      { at, hitRatio: Math.min(1, at / 16), series: 'warmed' },
      { at, hitRatio: at / 25, series: 'cold start' },
    ]);
    const texts = await render(hitRateChart(points, { target: 0.95 }));
    expect(texts).toEqual(
      expect.arrayContaining(['Cache hit rate over time', 'warmed', 'cold start', 'seconds since start', 'target 95%']),
    );
    const clock = [0, 1, 2].map((i) => ({ at: new Date(Date.UTC(2025, 11, 1, 9, 0, i * 10)), hitRatio: 0.5 + i / 10 }));
    const byTime = await render(hitRateChart(clock, { title: 'Hit rate while warming' }));
    expect(byTime).toEqual(expect.arrayContaining(['Hit rate while warming', 'time (UTC)', '09:00:10']));
  });
});

describe('titles', () => {
  const subtitle =
    'MariaDB 10.11.19 (10.11.19-MariaDB-0+deb12u1) at 127.0.0.1:3306/flughafendb_handouts; 300 runs each after 30 warm-up runs, one at a time';

  it('sets a long subtitle on several lines, so the chart is no wider than its plot needs', async () => {
    expect(subtitleLines(subtitle)).toEqual([
      'MariaDB 10.11.19 (10.11.19-MariaDB-0+deb12u1) at 127.0.0.1:3306/flughafendb_handouts;',
      '300 runs each after 30 warm-up runs, one at a time',
    ]);
    expect(subtitleLines('a short one; kept')).toBe('a short one; kept');
    expect(subtitleLines('x'.repeat(120))).toBe('x'.repeat(120)); // nowhere to break: kept whole
    const width = async (sub: string | string[]) => {
      const spec = latencyDistributionChart([database, cache], { title: 'Latency' });
      const svg = await renderChart({ ...spec, title: { text: 'Latency', subtitle: sub } });
      return { width: Number(svg.match(/<svg[^>]*\swidth="([\d.]+)"/)![1]), svg };
    };
    const long = await width(subtitle);
    const oneLine = await width([subtitle]); // an array is the caller's own lines: kept as given
    expect(long.width).toBeLessThan(oneLine.width * 0.75);
    expect(long.svg).toContain(
      '<tspan>MariaDB 10.11.19 (10.11.19-MariaDB-0+deb12u1) at 127.0.0.1:3306/flughafendb_handouts;</tspan>',
    );
    expect(long.svg).toMatch(/<tspan[^>]*>300 runs each after 30 warm-up runs, one at a time<\/tspan>/);
  });
});

describe('bad chart input', () => {
  it('says what is wrong with the data instead of drawing nonsense', () => {
    expect(() => latencyDistributionChart([])).toThrow(/Nothing to chart/);
    expect(() => latencyDistributionChart([{ name: 'empty', samples: [] }])).toThrow(/"empty" got no samples/);
    expect(() => percentileChart([cache, cache])).toThrow(/two series named "Valkey cache hit"/);
    expect(() => evictionChart([{ policy: 'allkeys-lru', maxmemoryBytes: 1, hitRatio: 95 }])).toThrow(
      /ratio \(0.95 for 95%\)/,
    );
    expect(() =>
      hitRateChart([
        { at: 0, hitRatio: 0.5 },
        { at: new Date(), hitRatio: 0.6 },
      ]),
    ).toThrow(LabError);
  });

  it('reports a spec vega-lite cannot compile as a LabError naming the chart', async () => {
    const broken: ChartSpec = { title: 'Broken', data: { values: [] }, mark: 'no-such-mark' };
    await expect(renderChart(broken)).rejects.toThrow(/Cannot render the chart "Broken"/);
  });
});

describe('showChart', () => {
  it('returns the spec and the SVG, and prints one line naming the chart outside a notebook', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const spec = percentileChart([database, cache]);
    const chart = await showChart(spec);
    expect(chart.spec).toBe(spec);
    expectRealSvg(chart.svg);
    expect(log).toHaveBeenCalledOnce();
    expect(log.mock.calls[0]![0]).toMatch(/^chart "Latency percentiles" \(SVG \d+×\d+, \d+ kB\)$/);
    expect(inspect(chart)).toBe(log.mock.calls[0]![0]);
  });
});

describe('latencyOverTimeChart', () => {
  it('labels its axis in plain milliseconds (10, 20…), not in exponent notation', async () => {
    const samples = Array.from({ length: 20 }, (_, i) => ({ elapsedMs: i * 250, pingMs: 5 + (i % 7) * 11 }));
    const texts = await render(latencyOverTimeChart({ samples } as unknown as InfoSeries));
    expect(texts.filter((t) => /e\+\d/.test(t))).toEqual([]);
    expect(texts).toContain('60');
  });
});
