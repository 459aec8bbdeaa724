// compare and benchPair: speedups are computed from the two measurements, in the same run.

import { describe, expect, it } from 'vitest';
import { benchInterleaved, benchPair, compare, summarizeSamples } from '../../src/measure';

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

const database = summarizeSamples('database query', [1.2, 1.0, 1.1, 0.9, 1.0, 1.3, 1.0, 1.1, 1.0, 4.0]);
const cache = summarizeSamples('cache hit', [0.05, 0.05, 0.06, 0.05, 0.04, 0.05, 0.05, 0.07, 0.05, 0.2]);

describe('compare', () => {
  it('divides baseline by candidate at p50, p95, p99 and the mean, keeping both names', () => {
    const c = compare(database, cache);
    expect(c.baseline).toBe('database query');
    expect(c.candidate).toBe('cache hit');
    expect(c.speedup.p50).toBeCloseTo(database.p50 / cache.p50, 10);
    expect(c.speedup.p95).toBeCloseTo(database.p95 / cache.p95, 10);
    expect(c.speedup.p99).toBeCloseTo(database.p99 / cache.p99, 10);
    expect(c.speedup.mean).toBeCloseTo(database.mean / cache.mean, 10);
    expect(c.speedup.p50).toBeCloseTo(20, 5); // 1.0 ms / 0.05 ms
    expect(c.baselineMs.p50).toBe(1);
    expect(c.candidateMs.p50).toBe(0.05);
  });

  it('gives a ratio below 1 when the candidate is slower', () => {
    const c = compare(cache, database);
    expect(c.speedup.p50).toBeCloseTo(0.05, 5);
  });

  it('is plain data: it prints and serializes as its fields', () => {
    const c = compare(database, cache);
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    expect(Object.keys(c)).toEqual(['baseline', 'candidate', 'speedup', 'baselineMs', 'candidateMs']);
  });

  it('calls a candidate that took under a microsecond infinitely faster rather than dividing by zero', () => {
    const instant = summarizeSamples('instant', [0, 0, 0]);
    expect(compare(database, instant).speedup.p50).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('benchPair', () => {
  it('measures both sides with the same warm-up and iterations, interleaved in alternating order', async () => {
    const order: string[] = [];
    const pair = await benchPair(
      { name: 'slow', fn: () => void order.push('slow') },
      { name: 'fast', fn: () => void order.push('fast') },
      { warmup: 2, iterations: 4 },
    );
    expect(order).toEqual([
      'slow',
      'fast',
      'fast',
      'slow',
      'slow',
      'fast',
      'fast',
      'slow',
      'slow',
      'fast',
      'fast',
      'slow',
    ]);
    expect(pair.baseline).toMatchObject({ name: 'slow', n: 4, warmup: 2 });
    expect(pair.candidate).toMatchObject({ name: 'fast', n: 4, warmup: 2 });
    expect(pair.comparison).toMatchObject({ baseline: 'slow', candidate: 'fast' });
  });

  it('finds the faster operation faster, by about the ratio of their durations', async () => {
    const pair = await benchPair(
      { name: '3 ms', fn: () => busyWait(3) },
      { name: '1 ms', fn: () => busyWait(1) },
      { warmup: 2, iterations: 30 },
    );
    // Each run takes at least its busy-wait; a busy machine only lengthens runs, so the ratio is
    // bounded loosely here (about 3 on a quiet machine).
    expect(pair.comparison.speedup.p50).toBeGreaterThan(1.5);
    expect(pair.comparison.speedup.p50).toBe(pair.baseline.p50 / pair.candidate.p50);
  });

  it('refuses two sides with the same name (tables and charts could not tell them apart)', async () => {
    await expect(benchPair({ name: 'q', fn: () => 1 }, { name: 'q', fn: () => 2 })).rejects.toThrow(
      /Two operations are named "q"/,
    );
  });
});

describe('benchInterleaved', () => {
  it('runs one of each per round, the order rotating, and returns the results in the order given', async () => {
    const order: string[] = [];
    const op = (name: string) => ({ name, fn: () => void order.push(name) });
    const results = await benchInterleaved([op('a'), op('b'), op('c')], { warmup: 1, iterations: 3 });
    // Warm-up round 0, then timed rounds 0, 1, 2: each name first once, each last once.
    expect(order.join('')).toBe('abc' + 'abc' + 'bca' + 'cab');
    expect(results.map((r) => [r.name, r.n, r.warmup])).toEqual([
      ['a', 3, 1],
      ['b', 3, 1],
      ['c', 3, 1],
    ]);
  });

  it('tells a slower operation from a faster one measured in the same rounds', async () => {
    const [slow, fast] = await benchInterleaved(
      [
        { name: '2 ms', fn: () => busyWait(2) },
        { name: 'at once', fn: () => undefined },
      ],
      { warmup: 1, iterations: 20 },
    );
    expect(slow!.p50).toBeGreaterThanOrEqual(2);
    expect(fast!.p50).toBeLessThan(slow!.p50);
  });

  it('refuses two operations with the same name', async () => {
    const same = { name: 'decode', fn: () => 1 };
    await expect(benchInterleaved([same, { ...same }])).rejects.toThrow(/Two operations are named "decode"/);
  });
});
