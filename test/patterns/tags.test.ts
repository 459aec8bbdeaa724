import type Redis from 'iovalkey';
import { describe, expect, it } from 'vitest';
import { createCacheTags, tagKey } from '../../src/patterns';
import { usePrivateValkey } from '../support/valkey';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('cache tags', () => {
  let valkey: Redis;
  usePrivateValkey('tags', (client) => (valkey = client));

  it("names tag sets the guide's way", () => {
    expect(tagKey('user:12345')).toBe('cache:tags:user:12345');
    expect(tagKey('flight:1001', 'mysql:')).toBe('mysql:cache:tags:flight:1001');
    expect(() => tagKey('')).toThrow(/empty/);
  });

  it('invalidating a tag removes every key it names and the tag set, and leaves other tags alone', async () => {
    const tags = createCacheTags(valkey);
    await tags.setTagged('user:12345:flights', [{ flightno: 'AA123' }], 300, ['user:12345']);
    await tags.setTagged('user:12345:profile', { status: 'Gold' }, 300, ['user:12345']);
    await tags.setTagged('flight:search:JFK:LAX:2025-12-15', [1001], 300, ['flight:1001', 'route:JFK:LAX']);
    expect(await tags.taggedKeys('user:12345')).toEqual(['user:12345:flights', 'user:12345:profile']);

    const gone = await tags.invalidateTag('user:12345');
    expect(gone).toMatchObject({ deleted: 2, keys: ['user:12345:flights', 'user:12345:profile'] });
    expect(await valkey.exists('user:12345:flights', 'user:12345:profile', 'cache:tags:user:12345')).toBe(0);
    expect(await valkey.exists('flight:search:JFK:LAX:2025-12-15')).toBe(1);

    const cancelled = await tags.invalidateTag('flight:1001');
    expect(cancelled.deleted).toBe(1);
    expect(await valkey.exists('flight:search:JFK:LAX:2025-12-15', 'cache:tags:flight:1001')).toBe(0);
    // The route tag still names the deleted search; invalidating it again deletes nothing and removes the set.
    expect((await tags.invalidateTag('route:JFK:LAX')).deleted).toBe(0);
    expect(await valkey.exists('cache:tags:route:JFK:LAX')).toBe(0);
  });

  it('tags keys written some other way, and invalidates them with the rest', async () => {
    const tags = createCacheTags(valkey);
    await valkey.multi().hset('user:12345:profile', { status: 'Gold' }).expire('user:12345:profile', 600).exec();
    await tags.tagKeys(['user:12345:profile'], 600, ['user:12345']);
    await tags.setTagged('user:12345:flights', [], 60, ['user:12345']);
    expect(await valkey.ttl('cache:tags:user:12345')).toBeGreaterThan(590);
    expect((await tags.invalidateTag('user:12345')).deleted).toBe(2);
    expect(await valkey.exists('user:12345:profile', 'user:12345:flights')).toBe(0);
  });

  it('gives every entry and tag set a TTL, and a tag set lives at least as long as its longest entry', async () => {
    const tags = createCacheTags(valkey);
    await tags.setTagged('flight:search:JFK:LAX:2025-12-15', [], 600, ['route:JFK:LAX']);
    await tags.setTagged('flight:search:JFK:LAX:2025-12-16', [], 60, ['route:JFK:LAX']);
    expect(await valkey.ttl('flight:search:JFK:LAX:2025-12-16')).toBeLessThanOrEqual(60);
    const tagTtl = await valkey.ttl('cache:tags:route:JFK:LAX');
    expect(tagTtl).toBeGreaterThan(590); // the shorter entry did not shorten it
    expect(tagTtl).toBeLessThanOrEqual(600);
    await expect(tags.setTagged('x', 1, 0, ['t'])).rejects.toThrow(/TTL/);
  });

  it('a read racing an invalidation leaves its stale entry only until the TTL, tagged so the next invalidation finds it', async () => {
    const tags = createCacheTags(valkey);
    let database = 'before the change';
    let loadStarted!: () => void;
    const started = new Promise<void>((resolve) => (loadStarted = resolve));
    // The reader misses and reads the database before the change...
    const racing = tags.readTagged('user:12345:flights', 1, ['user:12345'], async () => {
      const seen = database;
      loadStarted();
      await sleep(100);
      return seen;
    });
    await started;
    // ...the writer changes the database and invalidates while the reader is still loading...
    database = 'after the change';
    await tags.invalidateTag('user:12345');
    const read = await racing;
    // ...so the reader's write lands after the invalidation: stale, but with its TTL and in the tag set.
    expect(read.outcome).toBe('miss');
    expect(JSON.parse((await valkey.get('user:12345:flights'))!)).toBe('before the change');
    expect(await valkey.ttl('user:12345:flights')).toBeGreaterThan(0);
    expect(await tags.taggedKeys('user:12345')).toEqual(['user:12345:flights']);
    await sleep(1_100);
    expect(await valkey.exists('user:12345:flights', 'cache:tags:user:12345')).toBe(0);
    const fresh = await tags.readTagged('user:12345:flights', 1, ['user:12345'], async () => database);
    expect(fresh).toMatchObject({ outcome: 'miss', value: 'after the change' });
  });

  it('reads through the cache with tags: a miss stores and tags, a hit does not load', async () => {
    const tags = createCacheTags(valkey, { namespace: 'postgres:' });
    let loads = 0;
    const load = async () => ++loads;
    const first = await tags.readTagged('user:1:flights', 60, ['user:1'], load);
    const second = await tags.readTagged('user:1:flights', 60, ['user:1'], load);
    expect([first.outcome, second.outcome, second.value, loads]).toEqual(['miss', 'hit', 1, 1]);
    expect(await valkey.smembers('postgres:cache:tags:user:1')).toEqual(['user:1:flights']);
    await valkey.set('user:1:flights', '{broken', 'EX', 60);
    expect((await tags.readTagged('user:1:flights', 60, ['user:1'], load)).outcome).toBe('malformed');
  });
});
