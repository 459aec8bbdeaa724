// Cache tags (Step 17): a SET per entity names the keys that depend on it, so one call invalidates them all.

import type { Cluster, Redis } from 'iovalkey';
import { Cluster as ClusterClient } from 'iovalkey';
import { LabError } from '../errors';
import { createCacheAside, type CacheRead } from './cache-aside';
import type { ShapeCheck } from './entries';

/** The guide's tag set of an entity: `cache:tags:user:12345`, `cache:tags:flight:1001`, `cache:tags:route:JFK:LAX`. */
export function tagKey(tag: string, namespace = ''): string {
  if (tag === '' || /\s/.test(tag)) throw new LabError({ what: `Tag "${tag}" is empty or has a space` });
  return `${namespace}cache:tags:${tag}`;
}

export interface TagInvalidation {
  tag: string;
  /** The keys the tag set named (each deleted, whether or not it still existed). */
  keys: string[];
  /** How many of them still existed and were deleted. */
  deleted: number;
  elapsedMs: number;
}

export interface CacheTags {
  /** Writes `value` as JSON under `key` with a TTL and adds the key to every tag set, in one MULTI. */
  setTagged(key: string, value: unknown, ttlSeconds: number, tags: readonly string[]): Promise<void>;
  /**
   * Tags keys written some other way (a HASH, a ZSET...); give the TTL of the longest of them, so the tag
   * sets outlive the keys they name.
   */
  tagKeys(keys: readonly string[], ttlSeconds: number, tags: readonly string[]): Promise<void>;
  /**
   * Cache-aside with tags: a miss loads, then stores the entry and its tags together. It judges entries as
   * cache-aside does: a damaged one is `malformed` and replaced; a key of another type (a HASH tagged with
   * `tagKeys`, say) is a `cache-error`, answered by the loader and left alone.
   */
  readTagged<T>(
    key: string,
    ttlSeconds: number,
    tags: readonly string[],
    load: () => Promise<T>,
    options?: { isValid?: ShapeCheck<T> },
  ): Promise<CacheRead<T>>;
  /** Deletes every key the tag names and the tag set itself, in one step on one server. */
  invalidateTag(tag: string): Promise<TagInvalidation>;
  /** The keys a tag names now. */
  taggedKeys(tag: string): Promise<string[]>;
  /** The tag set's key for a tag. */
  keyOf(tag: string): string;
}

// Atomic on one server: the members are read, deleted and the set removed with no command in between, so a
// key tagged concurrently lands either before (and goes) or after (in a fresh set). The members are key names
// as the application writes them: ARGV[1] is the client's key prefix the script must add itself.
const INVALIDATE = `
local members = redis.call('SMEMBERS', KEYS[1])
local deleted = 0
for _, key in ipairs(members) do deleted = deleted + redis.call('UNLINK', ARGV[1] .. key) end
redis.call('UNLINK', KEYS[1])
return {deleted, members}
`;

/**
 * Cache tags over `valkey`. What it guarantees:
 * - every entry and every tag set has a TTL, and a tag set's TTL is never shorter than its entries'
 *   (EXPIRE NX sets one when missing, EXPIRE GT only ever lengthens it): no key outlives what names it;
 * - an entry is written in the same MULTI as its tag memberships, so no entry exists that its tags miss;
 * - a read racing an invalidation (it loaded from the database before the change, and writes after the
 *   invalidation) can leave a stale entry, but only until that entry's TTL runs out: the entry is tagged in a
 *   fresh tag set, so a later invalidation also finds it. Short TTLs bound how stale a racing read can be.
 * On a cluster, the entry and its tag sets live in different slots: the writes go one by one and the
 * invalidation pops members in batches (SPOP), which keeps the same bound but is not one atomic step.
 */
export function createCacheTags(valkey: Redis | Cluster, options: { namespace?: string } = {}): CacheTags {
  const namespace = options.namespace ?? '';
  const keyOf = (tag: string) => tagKey(tag, namespace);
  const isCluster = valkey instanceof ClusterClient;
  const prefix = (isCluster ? undefined : (valkey as Redis).options.keyPrefix) ?? '';
  const cacheAside = createCacheAside(valkey);

  async function setTagged(key: string, value: unknown, ttlSeconds: number, tags: readonly string[]) {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
      throw new LabError({ what: `TTL must be a whole number of seconds > 0, got ${ttlSeconds}` });
    }
    await writeTagged(key, JSON.stringify(value), ttlSeconds, tags);
  }

  /** Writes an encoded entry and its tag memberships (see the guarantees above). */
  async function writeTagged(key: string, json: string | Buffer, ttlSeconds: number, tags: readonly string[]) {
    if (isCluster) {
      // Tag first: an entry must never exist without a tag set that names it.
      for (const tag of tags)
        await valkey
          .multi()
          .sadd(keyOf(tag), key)
          .expire(keyOf(tag), ttlSeconds, 'NX')
          .expire(keyOf(tag), ttlSeconds, 'GT')
          .exec();
      await valkey.set(key, json, 'EX', ttlSeconds);
      return;
    }
    const tx = valkey.multi();
    for (const tag of tags) {
      tx.sadd(keyOf(tag), key).expire(keyOf(tag), ttlSeconds, 'NX').expire(keyOf(tag), ttlSeconds, 'GT');
    }
    const replies = await tx.set(key, json, 'EX', ttlSeconds).exec();
    const failed = replies?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  async function tagKeys(keys: readonly string[], ttlSeconds: number, tags: readonly string[]) {
    for (const tag of tags) {
      await valkey
        .multi()
        .sadd(keyOf(tag), ...keys)
        .expire(keyOf(tag), ttlSeconds, 'NX')
        .expire(keyOf(tag), ttlSeconds, 'GT')
        .exec();
    }
  }

  return {
    keyOf,
    setTagged,
    tagKeys,
    readTagged<T>(
      key: string,
      ttlSeconds: number,
      tags: readonly string[],
      load: () => Promise<T>,
      opts: { isValid?: ShapeCheck<T> } = {},
    ): Promise<CacheRead<T>> {
      // Cache-aside itself, writing a miss's answer together with its tags.
      return cacheAside(key, ttlSeconds, load, {
        ...opts,
        store: (entryKey, encoded, ttl) => writeTagged(entryKey, encoded, ttl, tags),
      });
    },
    async invalidateTag(tag: string): Promise<TagInvalidation> {
      const started = performance.now();
      if (!isCluster) {
        const [deleted, keys] = (await valkey.eval(INVALIDATE, 1, keyOf(tag), prefix)) as [number, string[]];
        return { tag, keys: [...keys].sort(), deleted, elapsedMs: performance.now() - started };
      }
      const keys: string[] = [];
      let deleted = 0;
      for (;;) {
        const batch = (await valkey.spop(keyOf(tag), 100)) as string[];
        if (batch.length === 0) break;
        keys.push(...batch);
        for (const key of batch) deleted += await valkey.unlink(key);
      }
      return { tag, keys: keys.sort(), deleted, elapsedMs: performance.now() - started };
    },
    async taggedKeys(tag: string): Promise<string[]> {
      return (await valkey.smembers(keyOf(tag))).sort();
    },
  };
}
