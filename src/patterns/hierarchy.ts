// Hierarchical caching: entries computed from other entries (airport → route summary → hub ranking → report)
// remember what they were computed from, so a change at the bottom removes every level above it.

import type { Cluster, Redis } from 'iovalkey';
import { errorMessage } from '../errors';
import { isWrongType, parseEntry, wrongTypeProblem, type ShapeCheck } from './entries';

type Client = Redis | Cluster;

/**
 * The set that lists what was computed from `key`: the key's name with `:above` after it, so it stays in the
 * key's namespace and under its hash tag (the same slot on a cluster).
 */
export function aboveKey(key: string): string {
  return `${key}:above`;
}

/**
 * Adds a dependent to a source's set and makes the set live at least as long as the dependent: a set that
 * expired first would let a change miss an entry that is still cached.
 * KEYS[1] the set · ARGV[1] the dependent · ARGV[2] its TTL
 */
const LINK = `
redis.call('SADD', KEYS[1], ARGV[1])
if redis.call('TTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 1`;

export interface RemovedEntry {
  key: string;
  /** 0 for the key invalidated, 1 for what was computed from it, 2 for the level above that... */
  depth: number;
  /** Whether the entry was cached when it was removed. */
  existed: boolean;
}

export interface HierarchyInvalidation {
  removed: RemovedEntry[];
  elapsedMs: number;
}

/**
 * How a read of one level went: `hit`; `miss` (computed, stored and linked to its sources); `malformed` (the
 * entry was damaged, too large, of another shape or of another type: computed and replaced like a miss).
 */
export interface LevelRead<T> {
  key: string;
  value: T;
  outcome: 'hit' | 'miss' | 'malformed';
  elapsedMs: number;
  /** What was wrong with the entry, for `malformed`. */
  problem?: string;
}

export interface Hierarchy {
  /** Records that `key` (living `ttlSeconds`) was computed from `sources`. */
  link(key: string, sources: readonly string[], ttlSeconds: number): Promise<void>;
  /** What was computed directly from `key`. */
  above(key: string): Promise<string[]>;
  /** Removes `key` and everything computed from it, level by level from the bottom up. */
  invalidate(key: string): Promise<HierarchyInvalidation>;
  /** Removes everything computed from `key`, but not `key` itself (after a write-through refreshed it). */
  invalidateAbove(key: string): Promise<HierarchyInvalidation>;
  /**
   * A JSON level: cached under `key`, else computed by `load`, stored for `ttlSeconds` and linked to `sources`.
   * An entry failing `isValid` (default: any JSON value passes) is recomputed like a damaged one.
   */
  json<T>(
    key: string,
    ttlSeconds: number,
    sources: readonly string[],
    load: () => Promise<T>,
    options?: { isValid?: ShapeCheck<T> },
  ): Promise<LevelRead<T>>;
  /** A ranking level kept as a ZSET (the guide's `hub:routes:outbound`), highest score first. */
  ranking(
    key: string,
    ttlSeconds: number,
    sources: readonly string[],
    load: () => Promise<Array<{ member: string; score: number }>>,
  ): Promise<LevelRead<Array<{ member: string; score: number }>>>;
}

/**
 * Levels of cached data computed from one another (airport → route summary → hub ranking), each linked to its
 * sources, so that invalidating a level removes every level above it.
 */
export function createHierarchy(valkey: Client): Hierarchy {
  const link = async (key: string, sources: readonly string[], ttlSeconds: number) => {
    for (const source of sources) await valkey.eval(LINK, 1, aboveKey(source), key, ttlSeconds);
  };

  /**
   * Bottom-up, so a reader rebuilding an upper level in the meantime can only read lower levels that are
   * already gone (and so reloaded fresh): deleting the top first would let it rebuild the top from a stale
   * middle level that is deleted only afterwards, and the stale top would stay.
   */
  const remove = async (start: string, includeSelf: boolean): Promise<HierarchyInvalidation> => {
    const started = performance.now();
    const removed: RemovedEntry[] = [];
    const seen = new Set<string>([start]);
    let level = [start];
    for (let depth = 0; level.length > 0; depth += 1) {
      const next: string[] = [];
      for (const key of level) {
        if (depth > 0 || includeSelf) removed.push({ key, depth, existed: (await valkey.unlink(key)) === 1 });
        // Read and drop the set in one step, so a link added meanwhile is not dropped unread.
        const replies = await valkey.multi().smembers(aboveKey(key)).unlink(aboveKey(key)).exec();
        const [error, members] = replies?.[0] ?? [new Error('transaction aborted'), null];
        if (error) throw new Error(`Reading what was computed from ${key}: ${errorMessage(error)}`);
        for (const member of (members as string[]).sort()) {
          if (!seen.has(member)) {
            seen.add(member);
            next.push(member);
          }
        }
      }
      level = next;
    }
    return { removed, elapsedMs: performance.now() - started };
  };

  return {
    link,
    above: async (key) => (await valkey.smembers(aboveKey(key))).sort(),
    invalidate: (key) => remove(key, true),
    invalidateAbove: (key) => remove(key, false),

    async json<T>(
      key: string,
      ttlSeconds: number,
      sources: readonly string[],
      load: () => Promise<T>,
      options: { isValid?: ShapeCheck<T> } = {},
    ): Promise<LevelRead<T>> {
      const started = performance.now();
      let problem: string | undefined;
      try {
        const cached = await valkey.get(key);
        const parsed = cached === null ? null : parseEntry(cached, options);
        if (parsed?.ok) return { key, value: parsed.value, outcome: 'hit', elapsedMs: performance.now() - started };
        problem = parsed?.problem;
      } catch (error) {
        if (!isWrongType(error)) throw error;
        problem = wrongTypeProblem(error); // SET below replaces it
      }
      const value = await load();
      // Link first: an entry stored before its link could miss an invalidation that runs in between.
      await link(key, sources, ttlSeconds);
      await valkey.set(key, JSON.stringify(value), 'EX', ttlSeconds);
      return { key, value, ...computed(problem), elapsedMs: performance.now() - started };
    },

    async ranking(key, ttlSeconds, sources, load) {
      const started = performance.now();
      let problem: string | undefined;
      try {
        const flat = await valkey.zrevrange(key, 0, -1, 'WITHSCORES');
        if (flat.length > 0) {
          const value: Array<{ member: string; score: number }> = [];
          for (let i = 0; i + 1 < flat.length; i += 2) value.push({ member: flat[i]!, score: Number(flat[i + 1]) });
          return { key, value, outcome: 'hit', elapsedMs: performance.now() - started };
        }
      } catch (error) {
        if (!isWrongType(error)) throw error;
        problem = wrongTypeProblem(error); // the UNLINK below removes it
      }
      const value = await load();
      await link(key, sources, ttlSeconds);
      const write = valkey.multi().unlink(key);
      if (value.length > 0) write.zadd(key, ...value.flatMap((m) => [m.score, m.member])).expire(key, ttlSeconds);
      await write.exec();
      // The order ZREVRANGE gives: highest score first, ties in reverse byte order of the member.
      const sorted = [...value].sort((a, b) => b.score - a.score || (a.member < b.member ? 1 : -1));
      return { key, value: sorted, ...computed(problem), elapsedMs: performance.now() - started };
    },
  };
}

/** The outcome of a level that was computed: a plain miss, or a damaged entry replaced. */
function computed(problem: string | undefined): { outcome: 'miss' } | { outcome: 'malformed'; problem: string } {
  return problem === undefined ? { outcome: 'miss' } : { outcome: 'malformed', problem };
}
