// Figures of one window of a load run (before, during, after an outage), from the load generator's buckets and the
// service's own counters.

import type { LoadRun, MetricsScrape } from './control';
import { metricSum } from './metrics-text';

export interface WindowFigures {
  window: string;
  seconds: number;
  /** Requests answered in the window, per second (load generator). */
  requestsPerSecond: number;
  errors: number;
  /** The highest p99 of the window's 250 ms buckets, and the slowest request (ms). */
  worstP99: number;
  slowest: number;
  /** The service's counters over the window, per second. */
  dbQueriesPerSecond: number;
  cacheErrorsPerSecond: number;
  breakerOpenPerSecond: number;
}

/** The first scrape at or after `fromMs` and the last at or before `toMs`: both inside the window. */
function scrapesWithin(scrapes: readonly MetricsScrape[], fromMs: number, toMs: number): MetricsScrape[] {
  const inside = scrapes.filter((s) => s.atMs >= fromMs && s.atMs <= toMs);
  return inside.length >= 2 ? [inside[0]!, inside.at(-1)!] : [];
}

/**
 * The figures of `[fromMs, toMs)` of `run` (ms since the load began): buckets wholly inside the window, and
 * the change of the service's counters between its first and last scrape.
 */
export function windowFigures(
  window: string,
  run: LoadRun,
  scrapes: readonly MetricsScrape[],
  fromMs: number,
  toMs: number,
): WindowFigures {
  const width = run.buckets[1]?.atMs ?? 250;
  // Only buckets wholly inside the window: one that straddles its end would mix the outage with what came after.
  const buckets = run.buckets.filter((b) => b.atMs >= fromMs && b.atMs + width <= toMs);
  const [start, end] = scrapesWithin(scrapes, fromMs, toMs);
  const spanMs = start && end ? Math.max(1, end.atMs - start.atMs) : 1;
  const rate = (name: string, labels: Record<string, string> = {}) =>
    start && end
      ? (1000 * (metricSum(end.samples, name, labels) - metricSum(start.samples, name, labels))) / spanMs
      : 0;
  const seconds = (buckets.length * width) / 1000 || (toMs - fromMs) / 1000;
  return {
    window,
    seconds,
    requestsPerSecond: buckets.reduce((sum, b) => sum + b.requests, 0) / seconds,
    errors: buckets.reduce((sum, b) => sum + b.errors, 0),
    worstP99: Math.max(0, ...buckets.map((b) => b.p99).filter(Number.isFinite)),
    slowest: Math.max(0, ...buckets.map((b) => b.max ?? 0)),
    dbQueriesPerSecond: rate('lab_service_db_queries_total'),
    cacheErrorsPerSecond: rate('lab_service_cache_errors_total'),
    breakerOpenPerSecond: rate('lab_service_reads_total', { outcome: 'breaker-open' }),
  };
}
