// Step 18's comparison: each user-facing query from the database and from the cache, measured in one run.

import type { SqlEngine } from '../db/engine';
import { benchPair, type BenchResult, type Comparison } from '../measure';
import { createCacheAside } from '../patterns/cache-aside';
import {
  bookingStore,
  flightSearch,
  prepareGuideQuery,
  roundTrip,
  seatAvailability,
  sqlTimestamp,
  userLastFlights,
} from '../queries';
import { roundMs, roundRatio } from '../show/describe';
import { createSeatInventory, type SeatLayout } from '../structures/seats';
import type { ValkeyClient } from '../valkey/client';

export interface UserFacingComparison {
  /** The guide's name for the query. */
  query: string;
  /** The cache key the hit reads (without the client's prefix). */
  key: string;
  database: BenchResult;
  cache: BenchResult;
  comparison: Comparison;
}

export interface UserFacingBenchOptions {
  /** Put in front of every key, e.g. `mysql:` (default: the engine's kind and a colon). */
  namespace?: string;
  /** The lab clock, for the history's status column. */
  now: Date;
  warmup?: number;
  iterations?: number;
  /** Flight 1001's seats (default: 150, rows of ABCDEF). */
  layout?: SeatLayout;
}

/**
 * Flight search, round trip, a user's last flights and seat availability, each measured as the database
 * query and as the cache hit an application makes instead (GET and JSON parsing; for seats, the counters
 * HASH read with its consistency check), with `benchPair`: same warm-up, interleaved runs.
 */
export async function benchUserFacingQueries(
  sql: SqlEngine,
  valkey: ValkeyClient,
  options: UserFacingBenchOptions,
): Promise<UserFacingComparison[]> {
  const ns = options.namespace ?? `${sql.kind}:`;
  const counts = { warmup: options.warmup ?? 10, iterations: options.iterations ?? 100 };
  const cacheAside = createCacheAside(valkey);
  const now = sqlTimestamp(options.now);
  const cases = [
    {
      query: 'flight search',
      key: `${ns}flight:search:JFK:LAX:2025-12-15`,
      ttl: 300,
      ...prepareGuideQuery(flightSearch, sql.kind),
    },
    {
      query: 'round trip',
      key: `${ns}flight:roundtrip:JFK:LAX:2025-12-15:2025-12-22`,
      ttl: 600,
      ...prepareGuideQuery(roundTrip, sql.kind),
    },
    {
      query: 'user history',
      key: `${ns}user:12345:flights`,
      ttl: 1800,
      ...prepareGuideQuery(userLastFlights, sql.kind, { now }),
    },
  ];
  const results: UserFacingComparison[] = [];
  for (const c of cases) {
    const load = async () => (await sql.query(c.sql, c.params)).rows;
    await valkey.del(c.key);
    await cacheAside(c.key, c.ttl, load); // the first read fills the cache; the bench times hits
    const pair = await benchPair(
      { name: `${c.query} · database`, fn: load },
      { name: `${c.query} · cache`, fn: () => cacheAside(c.key, c.ttl, load) },
      counts,
    );
    results.push({
      query: c.query,
      key: c.key,
      database: pair.baseline,
      cache: pair.candidate,
      comparison: pair.comparison,
    });
  }
  const seats = createSeatInventory(valkey, {
    flightId: 1001,
    layout: options.layout ?? { capacity: 150, letters: 'ABCDEF' },
    store: bookingStore(sql, 1001),
    namespace: ns,
  });
  await seats.availability();
  const availability = prepareGuideQuery(seatAvailability, sql.kind);
  const pair = await benchPair(
    { name: 'seat availability · database', fn: () => sql.query(availability.sql, availability.params) },
    { name: 'seat availability · cache', fn: () => seats.availability() },
    counts,
  );
  results.push({
    query: 'seat availability',
    key: seats.keys.seats,
    database: pair.baseline,
    cache: pair.candidate,
    comparison: pair.comparison,
  });
  return results;
}

/** One row per query: database and cache p50/p95/p99 and the speedups, rounded for a table. */
export function speedupRows(results: readonly UserFacingComparison[]) {
  return results.map((r) => ({
    query: r.query,
    'database p50 ms': roundMs(r.database.p50),
    'database p95 ms': roundMs(r.database.p95),
    'database p99 ms': roundMs(r.database.p99),
    'cache p50 ms': roundMs(r.cache.p50),
    'cache p95 ms': roundMs(r.cache.p95),
    'cache p99 ms': roundMs(r.cache.p99),
    'speedup p50': roundRatio(r.comparison.speedup.p50),
    'speedup p99': roundRatio(r.comparison.speedup.p99),
  }));
}

/**
 * Each query's speedup at the median set beside a range a claim states (the guide's "25–500× faster"): where
 * the measured figure falls, as data for a table, not as a sentence.
 */
export function againstClaimedRange(results: readonly UserFacingComparison[], range: readonly [number, number]) {
  const [low, high] = range;
  return results.map((r) => {
    const speedup = r.comparison.speedup.p50;
    return {
      query: r.query,
      'database p50 ms': roundMs(r.database.p50),
      'cache p50 ms': roundMs(r.cache.p50),
      'speedup p50': roundRatio(speedup),
      [`against ${low}–${high}×`]: speedup < low ? 'below' : speedup > high ? 'above' : 'inside',
    };
  });
}
