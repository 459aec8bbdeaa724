// A near cache: values kept in this process in front of Valkey, dropped the moment Valkey says another client
// changed them (CLIENT TRACKING, invalidations redirected to a subscribed connection).

import type { Redis } from 'iovalkey';
import { LabError } from '../errors';
import { isCluster, type ValkeyClient } from '../valkey/client';
import { errorMessage } from '../errors';
import { ENTRY_MAX_CHARS, isWrongType, wrongTypeProblem } from './entries';

/** The channel Valkey sends invalidations to when tracking redirects them (RESP2). */
export const INVALIDATE_CHANNEL = '__redis__:invalidate';

/**
 * How a read went: `near-hit` (answered from this process's memory, no round trip), `valkey-hit` (Valkey had
 * it; kept near from now on), `miss` (Valkey had nothing), `malformed` (Valkey had a value that failed
 * `isValid`, was too large, or a key of another type: `value` is null, nothing is kept, so the caller loads it
 * as on a miss). `serving` is false while the invalidation connection is down: then nothing is kept or
 * answered from memory.
 */
export interface NearRead {
  key: string;
  value: string | null;
  outcome: 'near-hit' | 'valkey-hit' | 'miss' | 'malformed';
  serving: boolean;
  elapsedMs: number;
  /** What was wrong with the value, for `malformed`. */
  problem?: string;
}

/** An invalidation as it arrived: the keys (without the lab's prefix), or null when Valkey dropped everything. */
export interface Invalidation {
  keys: string[] | null;
  /** performance.now() when it arrived. */
  at: number;
}

export interface NearCache {
  get(key: string): Promise<NearRead>;
  /** Entries held in memory now. */
  readonly size: number;
  /** True while invalidations can arrive, so entries in memory may be served. */
  readonly serving: boolean;
  /** Invalidation messages received, and times the near cache emptied itself because a connection dropped. */
  readonly stats: { invalidations: number; emptiedOnDrop: number; resyncs: number };
  /** Calls `listener` for every invalidation; returns the function that stops it. */
  onInvalidate(listener: (invalidation: Invalidation) => void): () => void;
  /** Resolves (with its arrival time) when an invalidation for `key` arrives. */
  nextInvalidation(key: string, timeoutMs?: number): Promise<number>;
  /** Resolves once the invalidation connection is subscribed and tracking redirects to it. */
  whenServing(timeoutMs?: number): Promise<void>;
  /** The CLIENT ID of the invalidation connection (for a drill that kills it). */
  readonly invalidationClientId: number | undefined;
  close(): void;
}

export interface NearCacheOptions {
  /** At most this many entries in memory; the oldest go first (default 10,000). */
  maxEntries?: number;
  /** Values failing this are `malformed`: never kept nor returned (default: every string passes). */
  isValid?: (value: string) => boolean;
  /** Values longer than this many characters are `malformed` too (default 1 MiB, as cache-aside's). */
  maxValueChars?: number;
}

/**
 * Opens two connections of its own next to `valkey` (same server, same key prefix): one reads with
 * CLIENT TRACKING on, the other subscribes to the invalidations Valkey redirects to it. Valkey then
 * remembers which keys this process read and tells it when any client changes one. When either
 * connection drops, invalidations may be missed, so the near cache empties itself and serves nothing
 * from memory until both are back and tracking is on again.
 */
export async function createNearCache(client: ValkeyClient, options: NearCacheOptions = {}): Promise<NearCache> {
  if (isCluster(client)) {
    throw new LabError({
      what: 'The near cache follows one server (CLIENT TRACKING redirects to a connection on the same node)',
      fix: 'Give it a client of one Valkey server, e.g. lab.valkey without VALKEY_CLUSTER_NODES.',
    });
  }
  const valkey: Redis = client;
  const maxEntries = options.maxEntries ?? 10_000;
  const maxValueChars = options.maxValueChars ?? ENTRY_MAX_CHARS;
  const problemOf = (value: string): string | undefined => {
    if (value.length > maxValueChars) return `value is ${value.length} characters, over the ${maxValueChars} limit`;
    if (options.isValid && !options.isValid(value)) return 'value failed the isValid check';
    return undefined;
  };
  const prefix = valkey.options.keyPrefix ?? '';
  // Invalidation messages and CLIENT commands are not key commands, so neither connection needs the prefix
  // handled for it; the data connection keeps it so that GET names the same keys the lab writes.
  const data = valkey.duplicate({ lazyConnect: true, connectionName: 'valkey-lab-near-data' });
  const sub = valkey.duplicate({
    lazyConnect: true,
    autoResubscribe: false, // resync() subscribes again itself, after asking the new connection's id
    connectionName: 'valkey-lab-near-invalidations',
    commandTimeout: undefined, // a subscriber waits for messages; it must not time out
  });
  data.on('error', () => undefined);
  sub.on('error', () => undefined);

  const entries = new Map<string, string>();
  /** Bumped on every invalidation of a key, so a read that raced with one does not keep its stale answer. */
  const keyEpoch = new Map<string, number>();
  let epoch = 0;
  let serving = false;
  let closed = false;
  let invalidationClientId: number | undefined;
  const stats = { invalidations: 0, emptiedOnDrop: 0, resyncs: 0 };
  const listeners = new Set<(invalidation: Invalidation) => void>();
  let servingWaiters: Array<() => void> = [];

  const stopServing = () => {
    if (serving || entries.size > 0) stats.emptiedOnDrop += 1;
    serving = false;
    epoch += 1; // reads in flight must not store what they get
    entries.clear();
  };

  let resyncing: Promise<void> | undefined;
  const resync = async (): Promise<void> => {
    if (closed || data.status !== 'ready' || sub.status !== 'ready') return;
    stopServing();
    const id = Number(await sub.client('ID'));
    await sub.subscribe(INVALIDATE_CHANNEL);
    await data.client('TRACKING', 'OFF');
    await data.client('TRACKING', 'ON', 'REDIRECT', id);
    invalidationClientId = id;
    stats.resyncs += 1;
    entries.clear();
    serving = true;
    const waiters = servingWaiters;
    servingWaiters = [];
    for (const resolve of waiters) resolve();
  };
  const scheduleResync = () => {
    resyncing = (resyncing ?? Promise.resolve()).then(resync).catch(() => {
      stopServing(); // try again when a connection comes back
    });
  };

  for (const connection of [data, sub]) {
    connection.on('close', stopServing);
    connection.on('end', stopServing);
    connection.on('reconnecting', stopServing);
    connection.on('ready', scheduleResync);
  }

  /**
   * Valkey's message that another client changed keys this process read: drop them from memory, and bump their
   * epoch so that a read already on its way back from Valkey does not store the old value it got.
   */
  const onInvalidation = (channel: string, message: unknown) => {
    if (channel !== INVALIDATE_CHANNEL) return;
    const at = performance.now();
    stats.invalidations += 1;
    // RESP2 delivers the invalidated keys as an array; null means every key (FLUSHALL, or tracking lost).
    const stored = message === null || message === undefined ? null : Array.isArray(message) ? message : [message];
    if (stored === null) {
      epoch += 1;
      entries.clear();
    }
    const keys = stored?.map((k) => String(k)).map((k) => (k.startsWith(prefix) ? k.slice(prefix.length) : k)) ?? null;
    for (const key of keys ?? []) {
      entries.delete(key);
      keyEpoch.set(key, (keyEpoch.get(key) ?? 0) + 1);
    }
    for (const listener of listeners) listener({ keys, at });
  };
  sub.on('message', onInvalidation);

  await Promise.all([data.connect(), sub.connect()]);
  await resyncing;
  if (!serving) await resync();

  const near: NearCache = {
    get size() {
      return entries.size;
    },
    get serving() {
      return serving;
    },
    get invalidationClientId() {
      return invalidationClientId;
    },
    stats,

    async get(key) {
      const started = performance.now();
      if (serving && entries.has(key)) {
        return { key, value: entries.get(key)!, outcome: 'near-hit', serving, elapsedMs: performance.now() - started };
      }
      const epochBefore = epoch;
      const keyEpochBefore = keyEpoch.get(key) ?? 0;
      const malformed = (problem: string): NearRead => ({
        key,
        value: null,
        outcome: 'malformed',
        serving,
        elapsedMs: performance.now() - started,
        problem,
      });
      let value: string | null;
      try {
        // Read on the tracked connection: that is what makes Valkey remember the key for this process.
        value = await data.get(key);
      } catch (error) {
        if (isWrongType(error)) return malformed(wrongTypeProblem(error));
        throw error;
      }
      const problem = value === null ? undefined : problemOf(value);
      if (problem) return malformed(problem);
      const unchanged = epoch === epochBefore && (keyEpoch.get(key) ?? 0) === keyEpochBefore;
      if (value !== null && serving && unchanged) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
        entries.set(key, value);
      }
      return {
        key,
        value,
        outcome: value === null ? 'miss' : 'valkey-hit',
        serving,
        elapsedMs: performance.now() - started,
      };
    },

    onInvalidate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    nextInvalidation(key, timeoutMs = 2_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          stop();
          reject(new Error(`No invalidation for ${key} within ${timeoutMs} ms`));
        }, timeoutMs);
        const stop = near.onInvalidate(({ keys, at }) => {
          if (keys === null || keys.includes(key)) {
            clearTimeout(timer);
            stop();
            resolve(at);
          }
        });
      });
    },

    whenServing(timeoutMs = 5_000) {
      if (serving) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`The near cache did not resubscribe within ${timeoutMs} ms`)),
          timeoutMs,
        );
        servingWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },

    close() {
      closed = true;
      stopServing();
      listeners.clear();
      data.disconnect();
      sub.disconnect();
    },
  };
  return near;
}

/**
 * Milliseconds from another client's write of `key` until its invalidation reaches `near`, `samples` times.
 * Each round first reads the key through the near cache, so Valkey tracks it again.
 */
export async function invalidationDelays(
  near: NearCache,
  writer: ValkeyClient,
  key: string,
  samples: number,
): Promise<number[]> {
  const delays: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    await writer.set(key, `value ${i}`, 'EX', 300);
    await near.get(key); // tracked (and kept near) again
    const arrived = near.nextInvalidation(key);
    const sent = performance.now();
    await writer.set(key, `value ${i} changed`, 'EX', 300);
    try {
      delays.push((await arrived) - sent);
    } catch (error) {
      throw new Error(`Measuring invalidation delay: ${errorMessage(error)}`);
    }
  }
  return delays;
}
