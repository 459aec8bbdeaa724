// Workload charts and tables: INFO over time, concurrent runs and pipeline throughput render to real SVG.

import { afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { LabError } from '../../src/errors';
import { runConcurrent, type ConcurrentResult, type InfoSample, type InfoSeries } from '../../src/measure';
import {
  concurrentLatencyChart,
  concurrentPercentileChart,
  concurrentTable,
  describeConcurrent,
  describePipelined,
  infoSeriesChart,
  infoSeriesTable,
  latencyOverTimeChart,
  pipelineTable,
  pipelineThroughputChart,
  renderChart,
  type ChartSpec,
} from '../../src/show';

function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

/** How many marks of a kind vega drew: points are paths with role-mark groups; count their items. */
function markItems(svg: string, role: string): number {
  const group = new RegExp(`<g class="mark-${role} role-mark[^"]*"[^>]*>(.*?)</g>`, 'gs');
  return [...svg.matchAll(group)].reduce((n, m) => n + (m[1]!.match(/<path|<line|<rect/g)?.length ?? 0), 0);
}

let warn: MockInstance<typeof console.warn> | undefined;
beforeAll(async () => {
  await renderChart(pipelineThroughputChart([{ batchSize: 1, opsPerSec: 1 }]));
});
afterEach(() => {
  if (warn) expect(warn).not.toHaveBeenCalled();
  warn = undefined;
  vi.restoreAllMocks();
});

async function render(spec: ChartSpec): Promise<{ svg: string; texts: string[] }> {
  warn = vi.spyOn(console, 'warn');
  const svg = await renderChart(spec);
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  return { svg, texts: svgTexts(svg) };
}

/** A series as a 2-second run would give it: load rises, then the cache warms. */
function infoSeries(): InfoSeries {
  const samples: InfoSample[] = Array.from({ length: 11 }, (_, i) => ({
    elapsedMs: i * 200,
    at: new Date(Date.UTC(2025, 11, 1, 9, 0, 0, i * 200)),
    totalCommands: 1000 + i * i * 100,
    opsPerSec: i === 0 ? undefined : 1000 * (2 * i - 1),
    instantaneousOpsPerSec: 900 * i,
    usedMemory: (1 + i * 0.1) * 1024 * 1024,
    keyspaceHits: i * 80,
    keyspaceMisses: i * 20,
    hits: i === 0 ? undefined : 40 + 4 * i,
    misses: i === 0 ? undefined : 60 - 4 * i,
    hitRate: i === 0 ? undefined : (40 + 4 * i) / 100,
    expiredKeys: i,
    evictedKeys: 0,
    connectedClients: 21,
  }));
  return { intervalMs: 200, samples, errors: [], endedBy: 'stop' };
}

let runs: ConcurrentResult[];
beforeAll(async () => {
  const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const lock = await runConcurrent(
    async ({ request }) => {
      await delay(request < 5 ? 12 : 1);
      if (request % 25 === 24) throw new Error('lock wait timed out');
      return 'hit';
    },
    { callers: 20, requests: 100, name: 'lock' },
  );
  const none = await runConcurrent(() => delay(3), { callers: 20, requests: 100, name: 'no protection' });
  runs = [none, lock];
});

describe('INFO series chart', () => {
  it('draws one small chart per figure over the same time axis, with its titles', async () => {
    const spec = infoSeriesChart(infoSeries(), { title: 'Warming the cache', subtitle: 'INFO every 200 ms' });
    const { svg, texts } = await render(spec);
    expect(texts).toEqual(
      expect.arrayContaining(['Warming the cache', 'INFO every 200 ms', 'commands/s', 'hit rate', 'used memory (MB)']),
    );
    expect(texts).toContain('seconds since start');
    expect((spec.vconcat as unknown[]).length).toBe(3);
    // The first sample has no rate yet: 10 points for ops/s and hit rate, 11 for memory.
    const points = (spec.vconcat as Array<{ data: { values: unknown[] } }>).map((c) => c.data.values.length);
    expect(points).toEqual([10, 10, 11]);
    expect(markItems(svg, 'line')).toBe(3);
  });

  it('draws the metrics asked for, and refuses one it does not know', async () => {
    const spec = infoSeriesChart(infoSeries(), { metrics: ['evictedKeys', 'connectedClients'] });
    const { texts } = await render(spec);
    expect(texts).toEqual(
      expect.arrayContaining(['evicted keys (total)', 'connected clients', 'The server over time']),
    );
    expect(() => infoSeriesChart(infoSeries(), { metrics: ['cpu' as never] })).toThrow(/no metric "cpu"/);
  });

  it('lays six figures out as a dashboard of two columns, the time axis named on the bottom row only', async () => {
    const metrics = [
      'instantaneousOpsPerSec',
      'usedMemory',
      'hitRate',
      'expiredKeys',
      'evictedKeys',
      'connectedClients',
    ];
    const spec = infoSeriesChart(infoSeries(), { metrics: metrics as never, columns: 2 });
    expect(spec.columns).toBe(2);
    const charts = spec.concat as Array<{ encoding: { x: { axis: { title: string | null } } } }>;
    expect(charts.map((c) => c.encoding.x.axis.title)).toEqual([
      null,
      null,
      null,
      null,
      'seconds since start',
      'seconds since start',
    ]);
    const { texts } = await render(spec);
    expect(texts).toEqual(
      expect.arrayContaining(['ops/s (server estimate)', 'evicted keys (total)', 'connected clients']),
    );
    expect(() => infoSeriesChart(infoSeries(), { columns: 0 })).toThrow(LabError);
  });

  it("latency over time: each sample's PING with the median dashed, and refuses samples taken without a PING", async () => {
    const series = infoSeries();
    series.samples.forEach((s, i) => (s.pingMs = 0.1 + (i % 3) * 0.05));
    const spec = latencyOverTimeChart(series);
    const { texts } = await render(spec);
    expect(texts).toEqual(expect.arrayContaining(['Latency over time', 'PING round trip (ms)']));
    const median = (spec.layer as Array<{ data: { values: Array<{ median?: number }> } }>)[1]!.data.values[0]!.median;
    expect(median).toBeCloseTo(0.15, 10);
    expect(() => latencyOverTimeChart(infoSeries())).toThrow(/without a PING time/);
  });
});

describe('concurrent run charts', () => {
  it('latency over time: one point per request, failures as crosses, both runs named', async () => {
    const spec = concurrentLatencyChart(runs, { title: 'Stampede: 20 callers' });
    const { svg, texts } = await render(spec);
    expect(texts).toEqual(expect.arrayContaining(['Stampede: 20 callers', 'no protection', 'lock', 'ok', 'error']));
    expect(texts.some((t) => t.includes('4 failed (×)'))).toBe(true);
    expect((spec.data as { values: unknown[] }).values).toHaveLength(200);
    expect(markItems(svg, 'symbol')).toBeGreaterThanOrEqual(200);
  });

  it('latency over time thins a long run evenly and says so', () => {
    const spec = concurrentLatencyChart(runs, { maxPoints: 10 });
    expect((spec.data as { values: unknown[] }).values).toHaveLength(20);
    expect(JSON.stringify(spec.title)).toContain('thinned evenly');
  });

  it('percentiles per run: bars from zero on a linear axis, dots on a log axis, errors in the label', async () => {
    const bars = concurrentPercentileChart(runs);
    expect((bars.layer as Array<{ mark: { type: string } }>)[0]!.mark.type).toBe('bar');
    expect((bars.encoding as { x: { scale: unknown } }).x.scale).toEqual({ zero: true });
    const { svg, texts } = await render(bars);
    expect(texts).toEqual(expect.arrayContaining(['no protection', 'lock (4 errors)', 'p50', 'p99']));
    expect(markItems(svg, 'rect')).toBe(6);
    const dots = concurrentPercentileChart(runs, { scale: 'log' });
    expect((dots.layer as Array<{ mark: { type: string } }>)[0]!.mark.type).toBe('point');
    const log = await render(dots);
    expect(log.texts).toContain('latency (ms, log scale)');
    expect(markItems(log.svg, 'symbol')).toBe(6);
  });

  it('refuses to draw percentiles when no request succeeded', async () => {
    const failed = await runConcurrent(
      () => {
        throw new Error('down');
      },
      { callers: 2, requests: 4 },
    );
    expect(() => concurrentPercentileChart([failed])).toThrow(LabError);
  });

  it('tables and descriptions carry the counts and percentiles', () => {
    const rows = concurrentTable(runs);
    expect(rows[1]).toMatchObject({ name: 'lock', callers: 20, requests: 100, errors: 4 });
    expect(rows[1]!['p50 ms']).toBeGreaterThan(0);
    expect(describeConcurrent(runs[1]!)).toMatch(/^lock: 20 callers, 100 requests, 4 errors · [\d,]+ ops\/s · p50 /);
  });
});

describe('pipeline throughput chart', () => {
  it('draws throughput against batch size, one labelled point per run and a line per series', async () => {
    const points = [1, 16, 128].flatMap((batchSize) => [
      { series: 'SET', batchSize, opsPerSec: 9000 * Math.sqrt(batchSize) },
      { series: 'GET', batchSize, opsPerSec: 11000 * Math.sqrt(batchSize) },
    ]);
    const spec = pipelineThroughputChart(points, { title: 'Pipelining on Valkey' });
    const { svg, texts } = await render(spec);
    expect(texts).toEqual(expect.arrayContaining(['Pipelining on Valkey', 'SET', 'GET', '1', '16', '128']));
    expect(texts).toContain('9,000/s');
    expect(texts).toContain('101,823/s');
    expect(markItems(svg, 'line')).toBe(2);
    expect((spec.encoding as { y: { scale: unknown } }).y.scale).toEqual({ zero: true });
  });

  it('refuses a batch size below 1', () => {
    expect(() => pipelineThroughputChart([{ batchSize: 0, opsPerSec: 5 }])).toThrow(LabError);
  });
});

describe('tables', () => {
  it('lists an INFO series per sample, with the rates empty on the first', () => {
    const rows = infoSeriesTable(infoSeries());
    expect(rows).toHaveLength(11);
    expect(rows[0]).toMatchObject({ s: 0, 'ops/s': null, 'hit rate': null, 'used memory MB': 1, clients: 21 });
    expect(rows[10]).toMatchObject({ s: 2, 'ops/s': 19000, 'hit rate': '80.0%', hits: 80, misses: 20 });
  });

  it('lists pipelined runs per batch size', () => {
    const result = {
      name: 'SET ×16',
      batchSize: 16,
      batches: 50,
      commands: 800,
      errors: 0,
      errorMessages: [],
      durationMs: 20,
      opsPerSec: 40_000.4,
      batchLatency: {
        name: 'SET ×16',
        n: 50,
        warmup: 0,
        min: 0.2,
        mean: 0.35,
        p50: 0.31,
        p95: 0.6,
        p99: 0.9,
        max: 1,
        samples: [],
      },
      cutShort: undefined,
      records: [],
    };
    expect(pipelineTable([result])).toEqual([
      {
        name: 'SET ×16',
        'batch size': 16,
        batches: 50,
        commands: 800,
        errors: 0,
        'ops/s': 40000,
        'batch p50 ms': 0.31,
        'batch p99 ms': 0.9,
      },
    ]);
    expect(describePipelined(result)).toBe(
      'SET ×16: 800 commands in 50 batches of 16 · 40,000 ops/s · batch p50 0.31 ms · 0 errors',
    );
  });
});
