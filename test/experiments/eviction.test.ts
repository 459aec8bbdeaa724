// Eviction: each policy's run on a tiny private server (the Zipf keys it draws are tested with zipfKeys).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineMemory, EVICTION_POLICIES, runEvictionWorkload, type EvictionRun } from '../../src/experiments';
import { startPrivateValkey, type PrivateValkey } from '../../src/valkey';

describe('runEvictionWorkload on a tiny private server', () => {
  let server: PrivateValkey;
  let baseline: number;
  const runs = new Map<string, EvictionRun>();
  const small = { keys: 3_000, warmupRequests: 3_000, requests: 6_000, valueBytes: 200 };

  beforeAll(async () => {
    server = await startPrivateValkey({ dir: mkdtempSync(path.join(tmpdir(), 'lab-eviction-')), removeDir: true });
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
