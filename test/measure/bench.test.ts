// bench and its statistics: percentiles from the HDR histogram, warm-up excluded, counts right.

import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LabError } from '../../src/errors';
import { bench, percentileRun, summarizeSamples } from '../../src/measure';
import { percentile, percentileOf } from '../../src/measure/summary';

/** Blocks for `ms`: a sleep would measure the timer's granularity, not the operation. */
function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

describe('summarizeSamples', () => {
  it('reports the percentiles of a known uniform distribution (1..1000 µs)', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => (i + 1) / 1000);
    const result = summarizeSamples('uniform', samples);
    expect(result).toMatchObject({ name: 'uniform', n: 1000, warmup: 0, min: 0.001, p50: 0.5, p95: 0.95, p99: 0.99 });
    expect(result.max).toBe(1);
    expect(result.mean).toBeCloseTo(0.5005, 6);
    expect(result.samples).toEqual(samples);
  });

  it('stays within the histogram resolution (0.1%) for wider values, in any order', () => {
    // 2, 4, ..., 2000 ms shuffled: the order samples arrive in must not matter.
    const samples = Array.from({ length: 1000 }, (_, i) => (i + 1) * 2).sort((a, b) => Math.sin(a) - Math.sin(b));
    const result = summarizeSamples('wide', samples);
    expect(result.p50).toBeCloseTo(1000, -1);
    expect(Math.abs(result.p95 - 1900) / 1900).toBeLessThan(0.001);
    expect(Math.abs(result.p99 - 1980) / 1980).toBeLessThan(0.001);
    expect(Math.abs(result.max - 2000) / 2000).toBeLessThan(0.001);
    expect(result.min).toBe(2);
  });

  it('puts a long tail into p99 but not into p50', () => {
    const samples = [...Array.from({ length: 980 }, () => 0.1), ...Array.from({ length: 20 }, () => 25)];
    const result = summarizeSamples('tail', samples);
    expect(result.p50).toBe(0.1);
    expect(result.p95).toBe(0.1);
    expect(result.p99).toBeCloseTo(25, 1);
    expect(result.mean).toBeCloseTo(0.1 * 0.98 + 25 * 0.02, 3);
  });

  it('refuses an empty series', () => {
    expect(() => summarizeSamples('nothing', [])).toThrow(/No samples/);
  });
});

describe('percentileRun', () => {
  it.each([20, 37, 300, 500, 1000])('names the run the histogram reads for p50, p95 and p99 of %i runs', (n) => {
    // Runs of 1, 2, … n ms: the k-th fastest run took k ms, so a percentile's value says which run it read.
    const result = summarizeSamples(
      'ranks',
      Array.from({ length: n }, (_, i) => i + 1),
    );
    for (const p of [50, 95, 99] as const) {
      const { fromFastest, fromSlowest } = percentileRun(n, p);
      expect(result[`p${p}`]).toBeCloseTo(fromFastest, 0);
      expect(fromFastest + fromSlowest).toBe(n + 1);
    }
  });

  it('reads the fourth-slowest of 300 runs for p99, and the slowest of 20', () => {
    expect(percentileRun(300, 99).fromSlowest).toBe(4);
    expect(percentileRun(20, 99).fromSlowest).toBe(1);
  });
});

describe('percentile', () => {
  it('reads the run the HDR summary reads, exactly, so every table and script agrees on p50 and p99', () => {
    const samples = Array.from({ length: 301 }, (_, i) => ((i * 7919) % 301) / 10 + 0.25);
    const summary = summarizeSamples('spread', samples);
    for (const [p, hdr] of [
      [50, summary.p50],
      [95, summary.p95],
      [99, summary.p99],
      [100, summary.max],
    ] as const)
      expect(Math.abs(percentile(samples, p) - hdr) / hdr).toBeLessThan(0.001);
    expect(percentile([4, 1, 3, 2], 50)).toBe(2);
    expect(percentile([], 50)).toBeNaN();
  });

  it('picks the median item of several runs by a field', () => {
    const runs = [{ ms: 9 }, { ms: 3 }, { ms: 5 }];
    expect(percentileOf(runs, 50, (r) => r.ms)).toBe(runs[2]);
    expect(percentileOf([], 50, (r: { ms: number }) => r.ms)).toBeUndefined();
  });
});

describe('bench', () => {
  it('runs the warm-up untimed, then exactly `iterations` timed runs', async () => {
    let calls = 0;
    const result = await bench(() => void calls++, { warmup: 7, iterations: 25, name: 'counter' });
    expect(calls).toBe(32);
    expect(result.n).toBe(25);
    expect(result.warmup).toBe(7);
    expect(result.samples).toHaveLength(25);
    expect(result.name).toBe('counter');
  });

  it('leaves slow warm-up runs out of the figures', async () => {
    let calls = 0;
    const result = await bench(
      () => {
        calls++;
        if (calls <= 5) busyWait(30); // a cold start: only the warm-up sees it
      },
      { warmup: 5, iterations: 50 },
    );
    expect(result.max).toBeLessThan(30);
  });

  it('measures an operation of known duration, awaiting each run', async () => {
    const result = await bench(
      async () => {
        await Promise.resolve();
        busyWait(2);
      },
      { warmup: 3, iterations: 40, name: '2 ms of work' },
    );
    expect(result.min).toBeGreaterThanOrEqual(2);
    expect(result.p50).toBeGreaterThanOrEqual(2);
    // No upper bound: on a busy machine a run can be descheduled for any length of time.
    expect(result.min).toBeLessThanOrEqual(result.p50);
    expect(result.p50).toBeLessThanOrEqual(result.p95);
    expect(result.p95).toBeLessThanOrEqual(result.p99);
    expect(result.p99).toBeLessThanOrEqual(result.max);
  });

  it('uses 50 warm-up runs and 1000 iterations by default, and the function name', async () => {
    let calls = 0;
    const result = await bench(function cacheHit() {
      calls++;
    });
    expect(calls).toBe(1050);
    expect(result).toMatchObject({ name: 'cacheHit', n: 1000, warmup: 50 });
  });

  it('prints its figures and the number of its samples, not the samples', async () => {
    const result = await bench(() => undefined, { warmup: 0, iterations: 200, name: 'no-op' });
    const printed = inspect(result);
    expect(printed).toMatch(/name: 'no-op'/);
    expect(printed).toMatch(/p99: [\d.e-]+/);
    expect(printed).toContain('samples: [200 samples]');
    expect(Object.keys(result)).toContain('samples');
    expect(result.samples).toHaveLength(200);
  });

  it('names the operation and the run that failed', async () => {
    let calls = 0;
    const failing = bench(
      () => {
        if (++calls === 4) throw new Error('connection reset');
      },
      { warmup: 1, iterations: 10, name: 'flaky query' },
    );
    await expect(failing).rejects.toThrow(LabError);
    await expect(
      bench(
        () => {
          throw new Error('boom');
        },
        { warmup: 0, iterations: 1, name: 'x' },
      ),
    ).rejects.toThrow('Benchmark "x" failed on run 1: boom');
  });

  it('rejects counts that are not whole numbers', async () => {
    await expect(bench(() => 1, { iterations: 0 })).rejects.toThrow(/iterations=0/);
    await expect(bench(() => 1, { warmup: -1 })).rejects.toThrow(/warmup=-1/);
    await expect(bench(() => 1, { iterations: 2.5 })).rejects.toThrow(/iterations=2.5/);
  });
});
