import type Redis from 'iovalkey';
import { describe, expect, it } from 'vitest';
import {
  compareWarming,
  createRefreshWorker,
  enqueueRefresh,
  REFRESH_QUEUE,
  warmOneByOne,
  warmPipelined,
  type WarmEntry,
} from '../../src/patterns';
import { usePrivateValkey } from '../support/valkey';

describe('cache warming', () => {
  let valkey: Redis;
  const entries: WarmEntry[] = Array.from({ length: 250 }, (_, i) => ({
    key: `flight:search:JFK:LAX:day${i}`,
    value: [{ flight_id: i }],
    ttlSeconds: 3600,
  }));

  usePrivateValkey('warming', (client) => (valkey = client));

  it('writes every entry with its TTL in pipelined batches: one round trip per batch', async () => {
    const result = await warmPipelined(valkey, entries, { batchSize: 100 });
    expect(result).toMatchObject({ mode: 'pipelined', keys: 250, roundTrips: 3 });
    expect(result.keysPerSecond).toBeGreaterThan(0);
    for (const entry of [entries[0]!, entries[249]!]) {
      expect(JSON.parse((await valkey.get(entry.key))!)).toEqual(entry.value);
      expect(await valkey.ttl(entry.key)).toBeGreaterThan(3590);
    }
    expect(await valkey.dbsize()).toBe(250);
  });

  it('writes the same entries one at a time, one round trip each', async () => {
    const result = await warmOneByOne(valkey, entries);
    expect(result).toMatchObject({ mode: 'one at a time', keys: 250, roundTrips: 250 });
    expect(await valkey.dbsize()).toBe(250);
  });

  it("compares both ways on the same entries, keeping each mode's median round", async () => {
    const compared = await compareWarming(valkey, entries, { rounds: 3, batchSize: 50 });
    expect(compared.pipelined).toMatchObject({ mode: 'pipelined', keys: 250, roundTrips: 5 });
    expect(compared.oneByOne).toMatchObject({ mode: 'one at a time', keys: 250, roundTrips: 250 });
    expect(compared.speedup).toBeCloseTo(compared.pipelined.keysPerSecond / compared.oneByOne.keysPerSecond, 9);
    expect(await valkey.dbsize()).toBe(250);
  });

  it('refuses an entry without a TTL', async () => {
    await expect(warmPipelined(valkey, [{ key: 'k', value: 1, ttlSeconds: 0 }])).rejects.toThrow(/TTL/);
    expect(await valkey.exists('k')).toBe(0);
  });

  it('refreshes the queued keys oldest first, reports failures and unknown keys, and stops when the queue is empty', async () => {
    await enqueueRefresh(valkey, ['user:12345:flights', 'user:67890:flights', 'user:1:broken', 'other:key']);
    const seen: string[] = [];
    const worker = createRefreshWorker(valkey, {
      async refresh(key) {
        seen.push(key);
        if (key === 'user:1:broken') throw new Error('database timeout');
        if (!key.startsWith('user:')) return null;
        return { value: { key, fresh: true }, ttlSeconds: 1800 };
      },
    });
    const drained = await worker.drain();
    expect(seen).toEqual(['user:12345:flights', 'user:67890:flights', 'user:1:broken', 'other:key']);
    expect(drained.refreshed.map((r) => r.outcome)).toEqual(['refreshed', 'refreshed', 'failed', 'skipped']);
    expect(drained.refreshed[2]!.problem).toMatch(/database timeout/);
    expect(drained.remaining).toBe(0);
    expect(await valkey.llen(REFRESH_QUEUE)).toBe(0);
    expect(JSON.parse((await valkey.get('user:12345:flights'))!)).toEqual({ key: 'user:12345:flights', fresh: true });
    expect(await valkey.ttl('user:67890:flights')).toBeGreaterThan(1790);
    expect(await valkey.exists('user:1:broken', 'other:key')).toBe(0);
    expect((await worker.drain()).refreshed).toEqual([]); // an empty queue: it returns at once
  });

  it('stops after maxItems and leaves the rest queued', async () => {
    await enqueueRefresh(valkey, ['a', 'b', 'c']);
    const worker = createRefreshWorker(valkey, { maxItems: 2, refresh: async () => ({ value: 1, ttlSeconds: 60 }) });
    const drained = await worker.drain();
    expect(drained.refreshed.map((r) => r.key)).toEqual(['a', 'b']);
    expect(drained.remaining).toBe(1);
  });
});
