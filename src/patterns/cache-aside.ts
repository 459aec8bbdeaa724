// Cache-aside: ask Valkey first; on a miss, load from the database and keep the answer for a while.

import type { ValkeyClient } from '../valkey/client';
import { LabError, errorMessage } from '../errors';
import type { Codec } from './codecs';
import { ENTRY_MAX_CHARS, decodeEntry, parseEntry, type ShapeCheck } from './entries';

export type { ShapeCheck } from './entries';

/**
 * How a read went:
 * - `hit`: the cache had a valid entry;
 * - `miss`: it had none, so the loader ran and the entry was written;
 * - `malformed`: it had an entry that was not valid JSON (or its codec's format) of the expected shape; treated as a
 *   miss and replaced;
 * - `cache-error`: Valkey failed (down, timeout...); the loader's answer is returned and nothing is cached.
 */
export type CacheOutcome = 'hit' | 'miss' | 'malformed' | 'cache-error';

export interface CacheRead<T> {
  value: T;
  outcome: CacheOutcome;
  key: string;
  /** Time for the whole read, in milliseconds. */
  elapsedMs: number;
  /** What went wrong with the cache, for `malformed` and `cache-error`. */
  problem?: string;
}

export interface CacheAsideOptions<T> {
  /** Entries failing this are treated as malformed (default: any JSON value passes). */
  isValid?: ShapeCheck<T>;
  /**
   * Entries longer than this many characters are neither trusted nor written (default 1 MiB): a value
   * that large is a mistake or a corruption, and reading it back would cost more than the database.
   */
  maxChars?: number;
  /**
   * How a miss's answer is written, already encoded (default: SET key value EX ttl). Cache tags pass one that
   * writes the entry together with its tag memberships.
   */
  store?: (key: string, encoded: string | Buffer, ttlSeconds: number) => Promise<unknown>;
}

/** The default size limit of one cache-aside entry, in characters of its JSON. */
export const CACHE_ASIDE_MAX_CHARS = ENTRY_MAX_CHARS;

export type CacheAside = <T>(
  key: string,
  ttlSeconds: number,
  load: () => Promise<T>,
  options?: CacheAsideOptions<T>,
) => Promise<CacheRead<T>>;

export interface CacheAsideSetup {
  /** How values become bytes in Valkey (see codecs.ts). Default: JSON text, as SET stores it. */
  codec?: Codec;
}

/**
 * A cache-aside reader on `valkey`. Values are stored as JSON strings (or with `setup.codec`) with
 * SET .. EX, so every entry expires. A cache failure never fails the read: the database answers
 * instead and the read says why.
 */
export function createCacheAside(valkey: ValkeyClient, setup: CacheAsideSetup = {}): CacheAside {
  const { codec } = setup;
  return async function cacheAside<T>(
    key: string,
    ttlSeconds: number,
    load: () => Promise<T>,
    options: CacheAsideOptions<T> = {},
  ): Promise<CacheRead<T>> {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0)
      throw new LabError({
        what: `TTL ${ttlSeconds} is not a whole number of seconds above 0`,
        where: `cache-aside for key "${key}"`,
        fix: 'Pass a TTL such as 300 (five minutes).',
      });
    const started = performance.now();
    const done = (value: T, outcome: CacheOutcome, problem?: string): CacheRead<T> => ({
      value,
      outcome,
      key,
      elapsedMs: performance.now() - started,
      ...(problem ? { problem } : {}),
    });

    let cached: string | Buffer | null;
    try {
      // A codec reads raw bytes: binary formats are not valid UTF-8 text.
      cached = codec ? await valkey.getBuffer(key) : await valkey.get(key);
    } catch (error) {
      return done(await load(), 'cache-error', `GET failed: ${errorMessage(error)}`);
    }

    const maxChars = options.maxChars ?? CACHE_ASIDE_MAX_CHARS;
    let problem: string | undefined;
    if (cached !== null) {
      const limits = { isValid: options.isValid, maxChars };
      const parsed = codec ? decodeEntry(codec, cached as Buffer, limits) : parseEntry(cached as string, limits);
      if (parsed.ok) return done(parsed.value, 'hit');
      problem = parsed.problem;
    }

    const value = await load();
    const encoded = codec ? codec.encode(value) : JSON.stringify(value);
    if (encoded !== undefined && encoded.length > maxChars)
      return done(
        value,
        'miss',
        `not cached: ${encoded.length} ${codec ? 'bytes' : 'characters'}, over the ${maxChars} limit`,
      );
    try {
      await (options.store ? options.store(key, encoded, ttlSeconds) : valkey.set(key, encoded, 'EX', ttlSeconds));
    } catch (error) {
      return done(value, 'cache-error', `storing the entry failed: ${errorMessage(error)}`);
    }
    return problem ? done(value, 'malformed', problem) : done(value, 'miss');
  };
}

/** A shape check for query results: an array of objects that each have these columns. */
export function rowsWithColumns<Row extends Record<string, unknown>>(columns: readonly string[]): ShapeCheck<Row[]> {
  // Plain loops: this runs on every hit, over every row, so it must cost little next to the GET itself.
  return (value: unknown): value is Row[] => {
    if (!Array.isArray(value)) return false;
    for (const row of value) {
      if (typeof row !== 'object' || row === null) return false;
      for (const column of columns) if (!(column in row)) return false;
    }
    return true;
  };
}
