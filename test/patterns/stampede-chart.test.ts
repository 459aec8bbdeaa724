import { describe, expect, it } from 'vitest';
import { summarizeStampede, type StampedeRun } from '../../src/patterns';
import { renderChart, stampedeChart } from '../../src/show';

const run = (strategy: StampedeRun['strategy'], dbCalls: number, latenciesMs: number[]): StampedeRun => ({
  strategy,
  requests: latenciesMs.length,
  served: latenciesMs.length,
  failed: 0,
  dbCalls,
  loadsMs: [],
  outcomes: {
    hit: latenciesMs.length - 1,
    loaded: 1,
    waited: 0,
    'took-over': 0,
    'gave-up': 0,
    coalesced: 0,
    'early-refresh': 0,
  },
  latenciesMs,
  errors: [],
  durationMs: 1000,
  concurrency: 100,
  waves: 1,
  waveIntervalMs: 100,
  expiresInMs: 50,
});

describe('stampede summary and chart', () => {
  const none = summarizeStampede(run('none', 200, [...Array(98).fill(0.2), 180, 190]));
  const lock = summarizeStampede(run('lock', 1, [...Array(99).fill(0.25), 175]));

  it('summarises database calls, hits and latency percentiles of a drill', () => {
    expect(none).toMatchObject({ strategy: 'none', requests: 100, failed: 0, dbCalls: 200, hits: 99, notHits: 1 });
    expect(none.p50).toBeCloseTo(0.2, 2);
    expect(none.p99).toBeGreaterThan(170);
    expect(lock.max).toBeGreaterThan(170);
  });

  it('draws calls as bars on a linear axis and latency as points on a log axis, with every figure printed', async () => {
    const spec = stampedeChart([none, lock]);
    const [calls, latency] = spec.hconcat as Array<{
      layer: Array<{ mark: { type: string }; encoding?: { x?: { scale?: { type?: string } } } }>;
    }>;
    expect(calls!.layer[0]!.mark.type).toBe('bar');
    expect(calls!.layer[0]!.encoding?.x?.scale?.type).toBeUndefined(); // linear
    expect(latency!.layer.map((l) => l.mark.type)).not.toContain('bar');
    expect(latency!.layer[1]!.encoding?.x?.scale?.type).toBe('log');
    const svg = await renderChart(spec);
    expect(svg).toMatch(/^<svg/);
    for (const text of ['none', 'lock', '200', 'database calls', 'p50 0.2 ms']) expect(svg).toContain(text);
  });

  it('refuses an empty chart and two strategies with one name', () => {
    expect(() => stampedeChart([])).toThrow(/no strategies/);
    expect(() => stampedeChart([none, none])).toThrow(/two series named "none"/);
  });
});
