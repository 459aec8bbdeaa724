import type Redis from 'iovalkey';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, type EngineKind } from '../../src/config';
import { connectSql, type SqlEngine } from '../../src/db';
import { prepareGuideQuery } from '../../src/queries';
import { airportTrafficRanking, flightMovements } from '../../src/queries/part5-real-world';
import { createLeaderboard, feedAirportTraffic, rankingDifferences, rankingFromRows } from '../../src/structures';
import { usePrivateValkey } from '../support/valkey';
import { ensureTinyDataset } from '../support/dataset';
import { testConfig } from '../support/lab';

let valkey: Redis;
usePrivateValkey('leaderboard', (client) => (valkey = client));

describe('leaderboard', () => {
  it("keeps the guide's airport ranking: ZADD, ZINCRBY, ZREVRANGE WITHSCORES, ZREVRANK", async () => {
    const board = createLeaderboard(valkey, 'airport:traffic:daily');
    await board.setScores({ ATL: 95_000_000, PEK: 87_000_000, DXB: 83_000_000, LAX: 79_000_000, ORD: 78_000_000 });
    expect(await board.top(3)).toEqual([
      { rank: 1, member: 'ATL', score: 95_000_000 },
      { rank: 2, member: 'PEK', score: 87_000_000 },
      { rank: 3, member: 'DXB', score: 83_000_000 },
    ]);
    expect(await board.rankOf('JFK')).toBeNull();
    expect(await board.increment([['JFK', 1000]])).toEqual([1000]);
    expect(await board.rankOf('JFK')).toBe(6);
    await board.increment([['JFK', 80_000_000]]);
    expect(await board.rankOf('JFK')).toBe(4);
    expect(await board.size()).toBe(6);
    expect(await valkey.zscore('airport:traffic:daily', 'JFK')).toBe('80001000');
  });

  it('expires a board a set time after its first score, and later writes never push that back', async () => {
    const board = createLeaderboard(valkey, 'airport:traffic:daily:2025-12-15', { keepSeconds: 600 });
    await board.setScores({ ATL: 1 });
    await valkey.expire('airport:traffic:daily:2025-12-15', 300); // as if five minutes had passed
    await board.increment([['ATL', 1]]);
    await board.setScores({ JFK: 3 });
    const ttl = await valkey.ttl('airport:traffic:daily:2025-12-15');
    expect(ttl).toBeGreaterThan(290);
    expect(ttl).toBeLessThanOrEqual(300);
    const daily = createLeaderboard(valkey, 'airport:traffic:daily:default');
    await daily.increment([['ORD', 2]]);
    expect(await valkey.ttl('airport:traffic:daily:default')).toBeGreaterThan(2 * 24 * 3600 - 10);
  });

  it('orders equal scores by member, bytewise descending', async () => {
    const board = createLeaderboard(valkey, 'ties');
    await board.setScores({ JFK: 2, ORD: 2, ATL: 2, A1B: 2 });
    expect((await board.all()).map((e) => e.member)).toEqual(['ORD', 'JFK', 'ATL', 'A1B']);
  });

  it('reports where two rankings differ', () => {
    const a = [
      { rank: 1, member: 'ATL', score: 3 },
      { rank: 2, member: 'ORD', score: 2 },
    ];
    expect(rankingDifferences(a, a)).toEqual([]);
    expect(rankingDifferences(a, [a[0]!, { rank: 2, member: 'ORD', score: 1 }])).toEqual([
      { rank: 2, left: 'ORD 2', right: 'ORD 1' },
    ]);
    expect(rankingDifferences(a, [a[0]!])).toEqual([{ rank: 2, left: 'ORD 2', right: '(none)' }]);
  });
});

describe.each(ENGINE_KINDS)('airport traffic from the flights on %s', (kind: EngineKind) => {
  let engine: SqlEngine;
  // Every flight of the tiny dataset, and one day of it.
  const ranges = [
    { from: '2025-01-01 00:00:00', to: '2027-01-01 00:00:00' },
    { from: '2025-12-15 00:00:00', to: '2025-12-16 00:00:00' },
  ];

  beforeAll(async () => {
    engine = await connectSql(testConfig(), kind);
    await ensureTinyDataset(engine);
  });
  afterAll(async () => {
    await engine?.close();
  });

  it.each(ranges)('a leaderboard fed flight by flight agrees with the SQL ranking ($from to $to)', async (range) => {
    const movements = prepareGuideQuery(flightMovements, kind, range);
    const { rows: flights } = await engine.query<{ from_iata: string | null; to_iata: string | null }>(
      movements.sql,
      movements.params,
    );
    expect(flights.length).toBeGreaterThan(0);
    const board = createLeaderboard(valkey, `airport:traffic:${kind}:${range.from.slice(0, 10)}`);
    const sent = await feedAirportTraffic(board, flights);
    expect(sent).toBe(flights.reduce((n, f) => n + (f.from_iata ? 1 : 0) + (f.to_iata ? 1 : 0), 0));

    const ranking = prepareGuideQuery(airportTrafficRanking, kind, range);
    const sql = rankingFromRows((await engine.query(ranking.sql, ranking.params)).rows, 'iata', 'movements');
    const cached = await board.all();
    expect(cached.length).toBeGreaterThan(5);
    expect(rankingDifferences(cached, sql)).toEqual([]);
    expect(cached.reduce((n, e) => n + e.score, 0)).toBe(sent);
    // Ties exist in this data, so the agreement covers the tie order too.
    expect(new Set(cached.map((e) => e.score)).size).toBeLessThan(cached.length);
    const busiest = cached[0]!;
    expect(await board.rankOf(busiest.member)).toBe(1);
    expect(await board.rankOf(cached[4]!.member)).toBe(5);
  });
});
