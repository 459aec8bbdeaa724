// Eviction: the seeded Zipf sampler, and each policy's run on a tiny private server.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baselineMemory,
  EVICTION_POLICIES,
  runEvictionWorkload,
  zipfSampler,
  type EvictionRun,
} from '../../src/experiments';
import { startPrivateValkey, type PrivateValkey } from '../../src/valkey';

describe('zipfSampler', () => {
  it('gives the same sequence for the same seed, and a different one for another seed', () => {
    const draw = (seed: number) => {
      const next = zipfSampler(1000, 1, seed);
      return Array.from({ length: 50 }, () => next());
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
  });

  it('draws rank 0 about as often as Zipf says (1 / H(n) of the time) and stays within 0..n-1', () => {
    const n = 100;
    const next = zipfSampler(n, 1, 11);
    const draws = Array.from({ length: 50_000 }, () => next());
    const harmonic = Array.from({ length: n }, (_, r) => 1 / (r + 1)).reduce((a, b) => a + b);
    const share = draws.filter((r) => r === 0).length / draws.length;
    expect(share).toBeGreaterThan(0.9 / harmonic);
    expect(share).toBeLessThan(1.1 / harmonic);
    expect(Math.min(...draws)).toBe(0);
    expect(Math.max(...draws)).toBeLessThan(n);
  });
});

describe('runEvictionWorkload on a tiny private server', () => {
  let server: PrivateValkey;
  let baseline: number;
  const runs = new Map<string, EvictionRun>();
  const small = { keys: 3_000, warmupRequests: 3_000, requests: 6_000, valueBytes: 200 };

  beforeAll(async () => {
    server = await startPrivateValkey({ dir: mkdtempSync(path.join(tmpdir(), 'lab-eviction-')) });
    baseline = await baselineMemory(server);
    // Room for roughly a fifth of the keys: every policy must choose.
    for (const policy of EVICTION_POLICIES) {
      runs.set(policy, await runEvictionWorkload(server, { ...small, policy, maxmemoryBytes: baseline + 200_000 }));
    }
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it.each(['allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-ttl'])(
    '%s evicts keys, writes never fail, and memory stays near the limit',
    (policy) => {
      const run = runs.get(policy)!;
      expect(run.evictedKeys).toBeGreaterThan(0);
      expect(run.writeErrors).toBe(0);
      expect(run.hits + run.misses).toBe(small.requests);
      expect(run.hitRatio).toBeGreaterThan(0);
      expect(run.hitRatio).toBeLessThan(1);
      expect(run.keysAtEnd).toBeLessThan(small.keys);
    },
  );

  it('noeviction evicts nothing and refuses writes with OOM errors, counted', () => {
    const run = runs.get('noeviction')!;
    expect(run.evictedKeys).toBe(0);
    expect(run.writeErrors).toBeGreaterThan(0);
    expect(run.firstWriteError).toMatch(/^OOM/);
  });

  it('with room for every key, nothing is evicted and more requests hit than when squeezed', async () => {
    const run = await runEvictionWorkload(server, {
      ...small,
      policy: 'allkeys-lru',
      maxmemoryBytes: baseline + 8_000_000,
    });
    expect(run.evictedKeys).toBe(0);
    expect(run.writeErrors).toBe(0);
    expect(run.hitRatio).toBeGreaterThan(runs.get('allkeys-lru')!.hitRatio);
  });
});
