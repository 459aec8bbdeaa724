// One window of a load run: only the buckets and scrapes that lie wholly inside it count.

import { describe, expect, it } from 'vitest';
import { windowFigures, type LoadRun, type MetricsScrape } from '../../src/service';

const bucket = (atMs: number, requests: number, p99 = 1) => ({ atMs, requests, errors: 0, p50: 1, p99, max: p99 });
const scrape = (atMs: number, queries: number): MetricsScrape => ({
  atMs,
  samples: [{ name: 'lab_service_db_queries_total', labels: {}, value: queries }],
});

describe('windowFigures', () => {
  it('leaves out a bucket that straddles the window’s end and scrapes outside it', () => {
    const run = {
      name: 'run',
      buckets: [bucket(0, 100), bucket(250, 10, 120), bucket(500, 10, 110), bucket(750, 300)],
    } as unknown as LoadRun;
    // The window ends at 800 ms: the bucket from 750 ms is mostly after it.
    const figures = windowFigures(
      'down',
      run,
      [scrape(240, 0), scrape(260, 10), scrape(740, 60), scrape(900, 500)],
      250,
      800,
    );
    expect(figures.seconds).toBe(0.5);
    expect(figures.requestsPerSecond).toBe(40);
    expect(figures.worstP99).toBe(120);
    expect(figures.dbQueriesPerSecond).toBeCloseTo((1000 * 50) / 480);
  });
});
