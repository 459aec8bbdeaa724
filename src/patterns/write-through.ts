// Write-through: the database commits first, then the cache entry is replaced, guarded by a version so that
// of two writers the later commit always wins in the cache too.

import type { Cluster, Redis } from 'iovalkey';
import { errorMessage } from '../errors';

/** A record as the database has it, with the version its last write committed (0 before any write). */
export interface Versioned<T extends Record<string, string>> {
  value: T;
  version: number;
}

/**
 * How a write went:
 * - `cached`: the database committed and the cache now holds the committed record;
 * - `kept-newer`: the database committed, but the cache already held a newer version (another writer's, which
 *   committed later), so it was left alone;
 * - `db-failed`: the database refused the write; the cache was not touched;
 * - `cache-failed`: the database committed but the cache could not be updated; `repair` says how the next read
 *   still gets the committed record.
 */
export type WriteThroughOutcome = 'cached' | 'kept-newer' | 'db-failed' | 'cache-failed';

export interface WriteThroughWrite<T extends Record<string, string>> {
  key: string;
  outcome: WriteThroughOutcome;
  /** The record after the commit (absent when the database write failed). */
  committed?: Versioned<T>;
  /** For `cache-failed`: `entry deleted` (the next read misses) or `marked for repair` (this process's next read reloads). */
  repair?: 'entry deleted' | 'marked for repair';
  elapsedMs: number;
  problem?: string;
}

/**
 * How a read went: `hit`; `miss` (loaded and filled); `repaired` (a write's cache update had failed, so the
 * entry was reloaded from the database and replaced); `malformed` (the key held something else: replaced);
 * `cache-error` (Valkey failed: the database answered).
 */
export type WriteThroughReadOutcome = 'hit' | 'miss' | 'repaired' | 'malformed' | 'cache-error';

export interface WriteThroughRead<T extends Record<string, string>> {
  key: string;
  outcome: WriteThroughReadOutcome;
  value: T | null;
  version: number | null;
  elapsedMs: number;
  problem?: string;
}

export interface WriteThrough {
  /**
   * Runs `write` (one database transaction), then reads the committed record with `load` and stores it under
   * `key` unless the cache already holds a newer version.
   */
  write<T extends Record<string, string>>(
    key: string,
    write: () => Promise<void>,
    load: () => Promise<Versioned<T> | null>,
  ): Promise<WriteThroughWrite<T>>;
  /** Reads `key`; on a miss (or after a failed cache update) loads the record and stores it with its version. */
  read<T extends Record<string, string>>(
    key: string,
    load: () => Promise<Versioned<T> | null>,
  ): Promise<WriteThroughRead<T>>;
  /** Keys whose cache update failed and could not even be deleted: this process reloads them on their next read. */
  readonly pendingRepairs: ReadonlySet<string>;
}

/** The field that carries the entry's version inside the HASH (value fields must not use it). */
export const VERSION_FIELD = '_version';

/**
 * Replaces the HASH only when the new version is newer than the stored one, in one step on the server:
 * between a separate HGET and HSET another writer could slip in, and then the older record would win.
 * KEYS[1] entry · ARGV[1] version · ARGV[2] TTL seconds · ARGV[3..] field, value, ...
 */
const STORE_IF_NEWER = `
local current = redis.call('HGET', KEYS[1], '${VERSION_FIELD}')
if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], '${VERSION_FIELD}', ARGV[1], unpack(ARGV, 3))
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1`;

export interface WriteThroughOptions {
  /** Every entry expires after this long, which also bounds how long a missed repair can last. */
  ttlSeconds: number;
}

/**
 * A write-through cache of HASH records on `valkey`. Why versions rather than delete-then-fill: with
 * delete-then-fill, a writer that read the database before another writer committed can still fill the
 * key after that writer's delete, and the older record then stays until it expires. A version from the
 * same transaction as the write, compared on the server, makes the newer commit win whatever the order
 * in which the cache updates arrive.
 */
export function createWriteThrough(valkey: Redis | Cluster, options: WriteThroughOptions): WriteThrough {
  if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds <= 0)
    throw new Error(`TTL must be a whole number of seconds > 0, got ${options.ttlSeconds}`);
  const pendingRepairs = new Set<string>();

  async function store<T extends Record<string, string>>(key: string, record: Versioned<T>): Promise<boolean> {
    const fields = Object.entries(record.value).flat();
    if (Object.hasOwn(record.value, VERSION_FIELD)) throw new Error(`A record may not have a field "${VERSION_FIELD}"`);
    const stored = await valkey.eval(STORE_IF_NEWER, 1, key, record.version, options.ttlSeconds, ...fields);
    return Number(stored) === 1;
  }

  return {
    pendingRepairs,

    async write<T extends Record<string, string>>(
      key: string,
      write: () => Promise<void>,
      load: () => Promise<Versioned<T> | null>,
    ): Promise<WriteThroughWrite<T>> {
      const started = performance.now();
      const done = (fields: Omit<WriteThroughWrite<T>, 'key' | 'elapsedMs'>): WriteThroughWrite<T> => ({
        key,
        ...fields,
        elapsedMs: performance.now() - started,
      });
      try {
        await write();
      } catch (error) {
        return done({ outcome: 'db-failed', problem: errorMessage(error) });
      }
      // From here on the database has committed: whatever fails, the old entry must not stay behind.
      let committed: Versioned<T> | null | undefined;
      try {
        committed = await load();
        if (committed === null) {
          await valkey.del(key);
          return done({ outcome: 'cached', problem: 'the record no longer exists; the entry was removed' });
        }
        const replaced = await store(key, committed);
        pendingRepairs.delete(key);
        return done({ outcome: replaced ? 'cached' : 'kept-newer', committed });
      } catch (error) {
        const problem = `cache update failed: ${errorMessage(error)}`;
        const known = committed ?? undefined;
        try {
          await valkey.del(key);
          return done({ outcome: 'cache-failed', committed: known, repair: 'entry deleted', problem });
        } catch {
          // Valkey is unreachable: the old entry may still be there when it comes back. Its version is older
          // than the committed one, so the reload below replaces it.
          pendingRepairs.add(key);
          return done({ outcome: 'cache-failed', committed: known, repair: 'marked for repair', problem });
        }
      }
    },

    async read<T extends Record<string, string>>(
      key: string,
      load: () => Promise<Versioned<T> | null>,
    ): Promise<WriteThroughRead<T>> {
      const started = performance.now();
      const done = (
        outcome: WriteThroughReadOutcome,
        record: Versioned<T> | null,
        problem?: string,
      ): WriteThroughRead<T> => ({
        key,
        outcome,
        value: record?.value ?? null,
        version: record?.version ?? null,
        elapsedMs: performance.now() - started,
        ...(problem ? { problem } : {}),
      });

      const fill = async (outcome: WriteThroughReadOutcome, problem?: string): Promise<WriteThroughRead<T>> => {
        const record = await load();
        try {
          if (record) await store(key, record);
          if (outcome === 'malformed' || outcome === 'repaired') {
            if (!record) await valkey.del(key);
          }
          pendingRepairs.delete(key);
        } catch (error) {
          return done('cache-error', record, `store failed: ${errorMessage(error)}`);
        }
        return done(outcome, record, problem);
      };

      if (pendingRepairs.has(key)) return fill('repaired', 'a write could not update this entry');

      let entry: Record<string, string>;
      try {
        entry = await valkey.hgetall(key);
      } catch (error) {
        const message = errorMessage(error);
        if (/WRONGTYPE/.test(message)) {
          await valkey.del(key).catch(() => undefined);
          return fill('malformed', message);
        }
        return done('cache-error', await load(), `HGETALL failed: ${message}`);
      }
      const version = entry[VERSION_FIELD];
      if (version === undefined) return fill('miss');
      const value = { ...entry };
      delete value[VERSION_FIELD];
      return done('hit', { value: value as T, version: Number(version) });
    },
  };
}
