// Write-through: the database commits first, then the cache entry is replaced, guarded by a version so that
// of two writers the later commit always wins in the cache too.

import type { Cluster, Redis } from 'iovalkey';
import { errorMessage } from '../errors';
import { ENTRY_MAX_CHARS, isWrongType, wrongTypeProblem, type ShapeCheck } from './entries';

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
 * entry was reloaded from the database and replaced); `malformed` (the key held something else: another
 * type, a HASH without a whole-number version, one failing the caller's shape check or oversize: replaced);
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
  /**
   * Reads `key`; on a miss (or after a failed cache update, or when the entry is malformed) loads the record
   * and stores it with its version. `isValid` says what a usable record looks like (default: any fields).
   */
  read<T extends Record<string, string>>(
    key: string,
    load: () => Promise<Versioned<T> | null>,
    options?: { isValid?: ShapeCheck<T> },
  ): Promise<WriteThroughRead<T>>;
  /** Keys whose cache update failed and could not even be deleted: this process reloads them on their next read. */
  readonly pendingRepairs: ReadonlySet<string>;
}

/** The field that carries the entry's version inside the HASH (value fields must not use it). */
export const VERSION_FIELD = '_version';

/**
 * Replaces the HASH only when the new version is newer than the stored one, in one step on the server:
 * between a separate HGET and HSET another writer could slip in, and then the older record would win.
 * A stored version that is not a number, or is the one a reader found in a malformed entry (ARGV[3]), does
 * not count: that entry is replaced whatever version it claims.
 * KEYS[1] entry · ARGV[1] version · ARGV[2] TTL seconds · ARGV[3] malformed version or '' · ARGV[4..] field, value, ...
 */
const STORE_IF_NEWER = `
local current = redis.call('HGET', KEYS[1], '${VERSION_FIELD}')
local stored = current and tonumber(current)
if stored and current ~= ARGV[3] and stored >= tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], '${VERSION_FIELD}', ARGV[1], unpack(ARGV, 4))
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

  /** Stores `record` unless a newer one is cached; `malformedVersion` is the version of an entry known to be bad. */
  async function store<T extends Record<string, string>>(
    key: string,
    record: Versioned<T>,
    malformedVersion = '',
  ): Promise<boolean> {
    const fields = Object.entries(record.value).flat();
    if (Object.hasOwn(record.value, VERSION_FIELD)) throw new Error(`A record may not have a field "${VERSION_FIELD}"`);
    const ttl = options.ttlSeconds;
    const stored = await valkey.eval(STORE_IF_NEWER, 1, key, record.version, ttl, malformedVersion, ...fields);
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
      readOptions: { isValid?: ShapeCheck<T> } = {},
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

      const fill = async (
        outcome: WriteThroughReadOutcome,
        problem?: string,
        malformedVersion?: string,
      ): Promise<WriteThroughRead<T>> => {
        const record = await load();
        try {
          if (record) await store(key, record, malformedVersion);
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
        if (isWrongType(error)) {
          await valkey.del(key).catch(() => undefined);
          return fill('malformed', wrongTypeProblem(error));
        }
        return done('cache-error', await load(), `HGETALL failed: ${errorMessage(error)}`);
      }
      if (Object.keys(entry).length === 0) return fill('miss');
      const version = entry[VERSION_FIELD];
      const value = { ...entry };
      delete value[VERSION_FIELD];
      const problem = malformedEntry(entry, version, value, readOptions.isValid);
      if (problem) return fill('malformed', problem, version ?? '');
      return done('hit', { value: value as T, version: Number(version) });
    },
  };
}

/** Why a cached HASH cannot be served as a record, or undefined when it can. */
function malformedEntry<T>(
  entry: Record<string, string>,
  version: string | undefined,
  value: Record<string, string>,
  isValid: ShapeCheck<T> | undefined,
): string | undefined {
  const size = Object.entries(entry).reduce((sum, [field, text]) => sum + field.length + text.length, 0);
  if (size > ENTRY_MAX_CHARS) return `entry is ${size} characters, over the ${ENTRY_MAX_CHARS} limit`;
  if (version === undefined) return `entry has no ${VERSION_FIELD} field`;
  if (!/^\d{1,15}$/.test(version)) return `entry's ${VERSION_FIELD} is not a whole number (${JSON.stringify(version)})`;
  if (isValid && !isValid(value)) return 'entry does not have the expected shape';
  return undefined;
}
