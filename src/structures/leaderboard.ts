// A leaderboard in a sorted set: ZADD and ZINCRBY keep scores, ZREVRANGE and ZREVRANK read the ranking.

import type Redis from 'iovalkey';
import type { Cluster } from 'iovalkey';
import { LabError } from '../errors';
import { isWrongType } from '../patterns/entries';

type Client = Redis | Cluster;

export interface RankedEntry {
  /** 1 for the top. */
  rank: number;
  member: string;
  score: number;
}

export interface Leaderboard {
  key: string;
  /** Sets scores (ZADD), replacing what the members had. */
  setScores(scores: ReadonlyMap<string, number> | Record<string, number>): Promise<void>;
  /** Adds to members' scores (ZINCRBY each, pipelined in one round trip); returns the new scores. */
  increment(increments: ReadonlyArray<readonly [member: string, by: number]>): Promise<number[]>;
  /** The top `n`, highest first (ZREVRANGE 0 n-1 WITHSCORES). */
  top(n: number): Promise<RankedEntry[]>;
  /** Everyone, highest first. */
  all(): Promise<RankedEntry[]>;
  /** A member's rank, 1 for the top (ZREVRANK + 1), or null when it has no score. */
  rankOf(member: string): Promise<number | null>;
  /** Members on the board (ZCARD). */
  size(): Promise<number>;
}

/** How long a board is kept after its first score, by default: a daily board is still read the next day. */
export const LEADERBOARD_KEEP_SECONDS = 2 * 24 * 3600;

/**
 * A leaderboard at `key`. Equal scores are ordered the sorted set's way: by member, bytewise, and in
 * reverse for ZREVRANGE (so between two airports with the same traffic, "ORD" comes before "JFK").
 * The board expires `keepSeconds` after its first score (EXPIRE … NX with each write sets it once and never
 * pushes it back), so a day's board does not stay for ever.
 */
export function createLeaderboard(client: Client, key: string, options: { keepSeconds?: number } = {}): Leaderboard {
  const keepSeconds = options.keepSeconds ?? LEADERBOARD_KEEP_SECONDS;
  // The board is the only copy of its scores: a key of another type is reported, never read as empty or replaced.
  const onBoard = async <R>(work: () => Promise<R>): Promise<R> => {
    try {
      return await work();
    } catch (error) {
      if (!isWrongType(error)) throw error;
      throw new LabError({
        what: `The leaderboard key ${key} holds a ${await client.type(key)}, not a sorted set`,
        fix: 'Give the board a key of its own, or delete that key if nothing else uses it.',
      });
    }
  };
  const ranked = async (stop: number): Promise<RankedEntry[]> => {
    const flat = await onBoard(() => client.zrevrange(key, 0, stop, 'WITHSCORES'));
    const entries: RankedEntry[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      entries.push({ rank: i / 2 + 1, member: flat[i]!, score: Number(flat[i + 1]) });
    }
    return entries;
  };
  return {
    key,
    async setScores(scores) {
      const pairs = scores instanceof Map ? [...scores.entries()] : Object.entries(scores);
      if (pairs.length === 0) return;
      const pipeline = client.pipeline().zadd(key, ...pairs.flatMap(([member, score]) => [score, member]));
      await onBoard(async () => throwFirst(await pipeline.expire(key, keepSeconds, 'NX').exec()));
    },
    async increment(increments) {
      if (increments.length === 0) return [];
      const pipeline = client.pipeline();
      for (const [member, by] of increments) pipeline.zincrby(key, by, member);
      pipeline.expire(key, keepSeconds, 'NX');
      return onBoard(async () =>
        throwFirst(await pipeline.exec())
          .slice(0, increments.length)
          .map(Number),
      );
    },
    async top(n) {
      if (!Number.isInteger(n) || n <= 0) {
        throw new LabError({ what: `top(n) needs a whole number > 0, got ${n}`, fix: 'e.g. top(10).' });
      }
      return ranked(n - 1);
    },
    all: () => ranked(-1),
    async rankOf(member) {
      const rank = await onBoard(() => client.zrevrank(key, member));
      return rank === null ? null : rank + 1;
    },
    size: () => onBoard(() => client.zcard(key)),
  };
}

/** A pipeline's replies, or its first error thrown. */
function throwFirst(replies: Array<[Error | null, unknown]> | null): unknown[] {
  return (replies ?? []).map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}

/**
 * Feeds airport traffic from flights: each flight adds one movement to its departure airport and one to
 * its arrival airport (ZINCRBY), in pipelined batches. Flights without an IATA code on an end count for
 * the other end only. Returns how many increments were sent.
 */
export async function feedAirportTraffic(
  board: Leaderboard,
  flights: ReadonlyArray<{ from_iata: string | null; to_iata: string | null }>,
  batchSize = 1000,
): Promise<number> {
  let sent = 0;
  let batch: Array<[string, number]> = [];
  const flush = async () => {
    await board.increment(batch);
    sent += batch.length;
    batch = [];
  };
  for (const flight of flights) {
    for (const iata of [flight.from_iata, flight.to_iata]) {
      if (iata) batch.push([iata, 1]);
    }
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  return sent;
}

/** A ranking from query rows (e.g. `airportTrafficRanking`): rank from the row order, scores as numbers. */
export function rankingFromRows(
  rows: ReadonlyArray<Record<string, unknown>>,
  memberColumn: string,
  scoreColumn: string,
): RankedEntry[] {
  return rows.map((row, i) => {
    const member = row[memberColumn];
    const score = Number(row[scoreColumn]);
    if (typeof member !== 'string' || !Number.isFinite(score)) {
      throw new LabError({
        what: `Row ${i + 1} has no text "${memberColumn}" and numeric "${scoreColumn}"`,
        fix: 'Name the columns the query returns.',
      });
    }
    // PostgreSQL's COUNT(*) is a bigint, which arrives as text: Number() makes both engines alike.
    return { rank: i + 1, member, score };
  });
}

/** Where two rankings disagree, rank by rank (empty when they are the same, order and scores included). */
export function rankingDifferences(
  left: readonly RankedEntry[],
  right: readonly RankedEntry[],
): Array<{ rank: number; left: string; right: string }> {
  const differences: Array<{ rank: number; left: string; right: string }> = [];
  const show = (entry: RankedEntry | undefined) => (entry ? `${entry.member} ${entry.score}` : '(none)');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const a = left[i];
    const b = right[i];
    if (a?.member !== b?.member || a?.score !== b?.score)
      differences.push({ rank: i + 1, left: show(a), right: show(b) });
  }
  return differences;
}
