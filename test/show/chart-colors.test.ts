// One colour per server across a notebook's charts.

import { describe, expect, it } from 'vitest';
import { hitRateChart } from '../../src/show/cache-charts';
import { SERVER_COLORS, seriesColorScale } from '../../src/show/chart-specs';

describe('seriesColorScale', () => {
  it('gives the database, Valkey and the near cache their own colour, in any order', () => {
    expect(seriesColorScale(['cache hit (Valkey 8.0.1)', 'database (MariaDB 10.11)']).range).toEqual([
      SERVER_COLORS.valkey,
      SERVER_COLORS.database,
    ]);
    expect(seriesColorScale(['Valkey hit (GET)', 'near hit (memory)']).range).toEqual([
      SERVER_COLORS.valkey,
      SERVER_COLORS.memory,
    ]);
    expect(seriesColorScale(['hub routes from the database', 'hub routes from the cache']).range).toEqual([
      SERVER_COLORS.database,
      SERVER_COLORS.valkey,
    ]);
  });

  it('gives two series of one server two colours, and series of no server the usual ones', () => {
    const [a, b] = seriesColorScale(['database query A', 'database query B']).range;
    expect(a).not.toBe(b);
    expect(seriesColorScale(['without index', 'with index']).range).toEqual(['#4e79a7', '#f28e2b']);
    expect(seriesColorScale(['database', 'GET', 'SET']).range).toEqual([SERVER_COLORS.database, '#f28e2b', '#e15759']);
  });
});

describe('hitRateChart', () => {
  it("draws one workload's hit rate, a figure of the cache, in Valkey's colour", () => {
    const spec = JSON.stringify(
      hitRateChart([
        { at: 0, hitRatio: 0.2 },
        { at: 1, hitRatio: 0.7 },
      ]),
    );
    expect(spec).toContain(`"color":{"value":"${SERVER_COLORS.valkey}"}`);
    expect(spec).not.toContain(SERVER_COLORS.database);
  });
});
