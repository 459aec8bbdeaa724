// How measurements read: one-line descriptions, rounding, and table rows computed from the figures.

import { describe, expect, it } from 'vitest';
import { compare, summarizeSamples } from '../../src/measure';
import { benchTable, comparisonTable, describeComparison, describeResult, roundMs, roundRatio } from '../../src/show';

const database = summarizeSamples('database query', [1.2, 1.0, 1.1, 0.9, 1.0, 1.3, 1.0, 1.1, 1.0, 4.0]);
const cache = summarizeSamples('cache hit', [0.05, 0.05, 0.06, 0.05, 0.04, 0.05, 0.05, 0.07, 0.05, 0.2]);

describe('descriptions', () => {
  it('says how much faster the candidate is, from the figures', () => {
    expect(describeComparison(compare(database, cache))).toMatch(
      /^cache hit vs database query: 20× faster at p50 \(p95 /,
    );
  });

  it('says "slower" when the candidate is slower', () => {
    expect(describeComparison(compare(cache, database))).toMatch(/^database query vs cache hit: 20× slower at p50/);
  });

  it('gives a result as one line of percentiles', () => {
    expect(describeResult(cache)).toBe('cache hit: p50 0.05 ms · p95 0.2 ms · p99 0.2 ms (n=10, 0 warm-up)');
  });
});

describe('table rows', () => {
  it('lists each result with units in the headers and rounded figures', () => {
    const rows = benchTable([database, cache]);
    expect(rows).toHaveLength(2);
    expect(Object.keys(rows[0]!)).toEqual(['name', 'n', 'min ms', 'mean ms', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms']);
    expect(rows[1]).toMatchObject({ name: 'cache hit', n: 10, 'p50 ms': 0.05, 'min ms': 0.04 });
    expect(rows[0]!['mean ms']).toBe(1.36);
  });

  it('lays a comparison out per statistic, with a column per operation', () => {
    const rows = comparisonTable(compare(database, cache));
    expect(rows.map((r) => r.statistic)).toEqual(['p50', 'p95', 'p99', 'mean']);
    expect(rows[0]).toEqual({ statistic: 'p50', 'database query ms': 1, 'cache hit ms': 0.05, speedup: 20 });
  });

  it('rounds to what a measurement can tell apart', () => {
    expect(roundMs(0.052349)).toBe(0.052);
    expect(roundMs(12.3456)).toBe(12.35);
    expect(roundMs(143.26)).toBe(143.3);
    expect(roundRatio(18.345)).toBe(18.3);
    expect(roundRatio(2.4719)).toBe(2.47);
    expect(roundRatio(0.81549)).toBe(0.815);
    expect(roundRatio(123.4)).toBe(123);
  });
});
