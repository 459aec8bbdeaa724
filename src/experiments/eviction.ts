// Eviction policies compared: a seeded Zipf workload replayed on a private server under maxmemory, per policy.

import { performance } from 'node:perf_hooks';
import Redis from 'iovalkey';
import { LabError } from '../errors';
import { zipfKeys } from '../measure/keys';
import { parseInfo } from '../valkey/info';
import { adminCommand, type PrivateValkey } from '../valkey/server';

/** The policies the lab compares (Valkey also has volatile-lfu and volatile-random). */
export const EVICTION_POLICIES = [
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'volatile-lru',
  'volatile-ttl',
  'noeviction',
] as const;
export type EvictionPolicy = (typeof EVICTION_POLICIES)[number];

export interface EvictionWorkload {
  policy: EvictionPolicy;
  /** maxmemory in bytes for this run. */
  maxmemoryBytes: number;
  /** Distinct keys the workload can ask for. Default 10,000. */
  keys?: number;
  /** Requests replayed before counting, so the cache is full when the measured ones start. Default 10,000. */
  warmupRequests?: number;
  /** Requests counted. Default 20,000. */
  requests?: number;
  /**
   * Popularity drifts: every `driftEvery` requests (default 5,000) the ranking moves on by `driftKeys`
   * keys (default 2% of them), so new keys become hot and old ones cool down, as flight dates do.
   * Pass driftKeys 0 for a ranking that never changes.
   */
  driftEvery?: number;
  driftKeys?: number;
  /** Size of each cached value. Default 200 bytes. */
  valueBytes?: number;
  /** Zipf exponent. Default 1.0. */
  exponent?: number;
  /** Same seed, same request sequence for every policy. Default 42. */
  seed?: number;
  /** Requests per pipeline (one round trip for the GETs, one for the SETs of the misses). Default 250. */
  batchSize?: number;
  /** TTL of every entry, in seconds: volatile-* policies only evict keys that have one. Default 3600. */
  ttlSeconds?: number;
  /** maxmemory-samples: how many keys the server looks at to pick one to evict. Default: the server's (5). */
  samples?: number;
  /**
   * Paces the requests to at most this many per second (a batch at a time). Unpaced, a run replays its requests
   * within a second or two, and Valkey's LRU clock, which ticks once a second, sees them all at one moment.
   */
  requestsPerSecond?: number;
  /** Also report the hit ratio of every `windowRequests` counted requests (to see it change over a run). */
  windowRequests?: number;
}

/** The hit ratio of one stretch of a run. */
export interface EvictionWindow {
  /** Counted requests before this window's end. */
  request: number;
  hitRatio: number;
}

export interface EvictionRun {
  policy: EvictionPolicy;
  maxmemoryBytes: number;
  /** Counted requests (GETs). */
  requests: number;
  hits: number;
  misses: number;
  /** hits / requests. */
  hitRatio: number;
  /**
   * Counted misses of keys the run had never asked for before (warm-up included): no policy can avoid them.
   * Compulsory misses.
   */
  firstTimeMisses: number;
  /** maxmemory-samples during the run. */
  samples: number;
  /** The hit ratio per `windowRequests` counted requests (empty unless asked for). */
  windows: EvictionWindow[];
  /** Keys the server evicted during the whole run (INFO stats evicted_keys). */
  evictedKeys: number;
  /** SETs the server refused (OOM: noeviction with a full memory), during the counted requests. */
  writeErrors: number;
  /** The first refusal, as the server worded it. */
  firstWriteError?: string;
  /** Keys left at the end (DBSIZE) and memory in use (used_memory). */
  keysAtEnd: number;
  usedMemoryBytes: number;
  /** Commands sent (GETs + SETs, warm-up included) per second of wall time. */
  opsPerSecond: number;
  elapsedMs: number;
}

/**
 * Replays a cache-aside workload — GET a Zipf-chosen key; on a miss, SET it with a TTL — on a private
 * server set to `policy` and `maxmemoryBytes`. The server is flushed and its statistics reset first:
 * only pass a server the lab started (this function sends FLUSHALL and CONFIG SET).
 */
export async function runEvictionWorkload(server: PrivateValkey, workload: EvictionWorkload): Promise<EvictionRun> {
  const keys = workload.keys ?? 10_000;
  const warmup = workload.warmupRequests ?? 10_000;
  const requests = workload.requests ?? 20_000;
  const batchSize = workload.batchSize ?? 250;
  const driftEvery = workload.driftEvery ?? 5_000;
  const driftKeys = workload.driftKeys ?? Math.round(keys * 0.02);
  const ttl = workload.ttlSeconds ?? 3600;
  const value = 'v'.repeat(workload.valueBytes ?? 200);
  if (!(EVICTION_POLICIES as readonly string[]).includes(workload.policy)) {
    throw new LabError({
      what: `Unknown eviction policy "${workload.policy}"`,
      fix: `Use one of ${EVICTION_POLICIES.join(', ')}.`,
    });
  }
  const ranks = zipfKeys({ n: keys, s: workload.exponent ?? 1, seed: workload.seed ?? 42 });

  const client = new Redis(server.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    // Through the guard: these reach only a server this process started.
    await adminCommand(client, 'FLUSHALL');
    await adminCommand(client, 'CONFIG', 'SET', 'maxmemory-policy', workload.policy);
    // Valkey takes whole bytes only.
    await adminCommand(client, 'CONFIG', 'SET', 'maxmemory', String(Math.round(workload.maxmemoryBytes)));
    if (workload.samples !== undefined) {
      await adminCommand(client, 'CONFIG', 'SET', 'maxmemory-samples', String(workload.samples));
    }
    const samples = Number(((await client.config('GET', 'maxmemory-samples')) as string[])[1]);
    await adminCommand(client, 'CONFIG', 'RESETSTAT');

    let hits = 0;
    let misses = 0;
    let firstTimeMisses = 0;
    let writeErrors = 0;
    let firstWriteError: string | undefined;
    let commands = 0;
    const asked = new Set<string>();
    const windows: EvictionWindow[] = [];
    let windowHits = 0;
    const started = performance.now();
    for (let done = 0; done < warmup + requests; done += batchSize) {
      const counted = done >= warmup;
      const batch = Array.from({ length: Math.min(batchSize, warmup + requests - done) }, (_, i) => {
        const offset = Math.floor((done + i) / driftEvery) * driftKeys;
        return `item:${(ranks.next() + offset) % keys}`;
      });
      if (workload.requestsPerSecond) {
        const due = started + (done / workload.requestsPerSecond) * 1000;
        if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
      }
      const reads = await client.pipeline(batch.map((key) => ['get', key])).exec();
      const missed = [...new Set(batch.filter((_, i) => (reads?.[i]?.[1] ?? null) === null))];
      const refused = new Set<string>();
      if (missed.length > 0) {
        const writes = await client.pipeline(missed.map((key) => ['set', key, value, 'EX', ttl])).exec();
        (writes ?? []).forEach(([error], i) => {
          if (!error) return;
          refused.add(missed[i]!);
          if (!counted) return;
          writeErrors += 1;
          firstWriteError ??= error.message;
        });
      }
      commands += batch.length + missed.length;
      // A key asked for twice in one pipeline misses once: one by one, the second request would have found what
      // the first one's SET stored (unless the server refused that SET).
      const missedHere = new Set<string>();
      for (const [i, key] of batch.entries()) {
        const hit = (reads?.[i]?.[1] ?? null) !== null || (missedHere.has(key) && !refused.has(key));
        if (!hit && counted && !asked.has(key)) firstTimeMisses += 1;
        if (!hit) missedHere.add(key);
        asked.add(key);
        if (!counted) continue;
        if (hit) hits += 1;
        else misses += 1;
        if (hit) windowHits += 1;
        const countedSoFar = done + i + 1 - warmup;
        if (workload.windowRequests && countedSoFar % workload.windowRequests === 0) {
          windows.push({ request: countedSoFar, hitRatio: windowHits / workload.windowRequests });
          windowHits = 0;
        }
      }
    }
    const elapsedMs = performance.now() - started;
    const info = parseInfo(await client.info());
    return {
      policy: workload.policy,
      maxmemoryBytes: workload.maxmemoryBytes,
      requests,
      hits,
      misses,
      hitRatio: requests > 0 ? hits / requests : 0,
      firstTimeMisses,
      samples,
      windows,
      evictedKeys: Number(info.stats.evicted_keys ?? 0),
      writeErrors,
      ...(firstWriteError ? { firstWriteError } : {}),
      keysAtEnd: await client.dbsize(),
      usedMemoryBytes: Number(info.memory.used_memory ?? 0),
      opsPerSecond: commands / (elapsedMs / 1000),
      elapsedMs,
    };
  } finally {
    client.disconnect();
  }
}

/**
 * The memory an empty private server already uses (used_memory after FLUSHALL): maxmemory counts it
 * too, so the lab sizes its limits as this baseline plus room for data.
 */
export async function baselineMemory(server: PrivateValkey): Promise<number> {
  const client = new Redis(server.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    await adminCommand(client, 'FLUSHALL');
    await adminCommand(client, 'CONFIG', 'SET', 'maxmemory', '0');
    return Number(parseInfo(await client.info('memory')).memory.used_memory ?? 0);
  } finally {
    client.disconnect();
  }
}

/** Every policy at every memory limit, one after the other on the same private server. */
export async function compareEvictionPolicies(
  server: PrivateValkey,
  options: Omit<EvictionWorkload, 'policy' | 'maxmemoryBytes'> & {
    policies?: readonly EvictionPolicy[];
    maxmemoryBytes: readonly number[];
  },
): Promise<EvictionRun[]> {
  const runs: EvictionRun[] = [];
  for (const policy of options.policies ?? EVICTION_POLICIES) {
    for (const maxmemoryBytes of options.maxmemoryBytes) {
      runs.push(await runEvictionWorkload(server, { ...options, policy, maxmemoryBytes }));
    }
  }
  return runs;
}
