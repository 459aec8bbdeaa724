// One colour per server across a notebook's charts, and percentile labels that do not print over each other.

import { describe, expect, it } from 'vitest';
import { SERVER_COLORS, seriesColorScale } from '../../src/show/chart-specs';
import { groupedPercentileChart, percentileChart } from '../../src/show/latency-charts';

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

describe('percentile labels', () => {
  const rows = (spec: object) => (spec as { data: { values: Array<Record<string, unknown>> } }).data.values;

  it('put the higher of two points’ labels above it and the lower one’s below, at every percentile', () => {
    const spec = percentileChart([
      { name: 'database', p50: 2, p95: 5, p99: 9 },
      { name: 'cache', p50: 0.3, p95: 6, p99: 8 },
    ]);
    const place = (series: string, percentile: string) =>
      rows(spec).find((r) => r.series === series && r.percentile === percentile)!.place as string;
    expect(place('database', 'p50')).toMatch(/^above/);
    expect(place('cache', 'p50')).toMatch(/^below/);
    expect(place('cache', 'p95')).toMatch(/^above/); // the cache's tail is the higher one there
    expect(place('database', 'p95')).toMatch(/^below/);
  });

  it('place labels per panel in a grouped chart', () => {
    const spec = groupedPercentileChart([
      {
        name: 'q1',
        series: [
          { name: 'database', p50: 2, p95: 3, p99: 4 },
          { name: 'cache', p50: 1, p95: 2, p99: 3 },
        ],
      },
      {
        name: 'q2',
        series: [
          { name: 'database', p50: 1, p95: 2, p99: 3 },
          { name: 'cache', p50: 2, p95: 3, p99: 4 },
        ],
      },
    ]);
    const q2 = rows(spec).filter((r) => r.group === 'q2' && r.percentile === 'p50');
    expect(q2.find((r) => r.series === 'cache')!.place).toMatch(/^above/);
    expect(q2.find((r) => r.series === 'database')!.place).toMatch(/^below/);
  });
});
