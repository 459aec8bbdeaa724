// The hit rate of one workload, from INFO keyspace_hits/keyspace_misses read before, during and after it
// (the server's lifetime counters say nothing about a notebook's own reads).

import type { Redis } from 'iovalkey';
import { readInfo } from '../valkey/client';

export interface HitRateSample {
  /** Seconds since the workload started. */
  at: number;
  /** Hits and misses since the start. */
  hits: number;
  misses: number;
  /** hits / (hits + misses) since the start; undefined before the first lookup. */
  hitRatio: number | undefined;
}

export interface HitRateWindow<R> {
  result: R;
  hits: number;
  misses: number;
  hitRatio: number | undefined;
  /** INFO read every `everyMs` while the workload ran, and once at its end. */
  samples: HitRateSample[];
}

async function counters(valkey: Redis): Promise<{ hits: number; misses: number }> {
  const { stats } = await readInfo(valkey, 'stats');
  return { hits: Number(stats.keyspace_hits ?? 0), misses: Number(stats.keyspace_misses ?? 0) };
}

/**
 * Runs `workload` and reports the server's hits and misses it caused, sampled every `everyMs`. The counters
 * are the whole server's: on a shared server, other clients' lookups in the same window count too.
 * INFO itself is not a key lookup, so sampling does not change the figures.
 */
export async function measureHitRate<R>(
  valkey: Redis,
  workload: () => Promise<R>,
  everyMs = 100,
): Promise<HitRateWindow<R>> {
  const start = await counters(valkey);
  const started = performance.now();
  const samples: HitRateSample[] = [];
  const sample = async () => {
    const now = await counters(valkey);
    const hits = now.hits - start.hits;
    const misses = now.misses - start.misses;
    samples.push({
      at: (performance.now() - started) / 1000,
      hits,
      misses,
      hitRatio: hits + misses === 0 ? undefined : hits / (hits + misses),
    });
  };
  let running = true;
  const sampler = (async () => {
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, everyMs));
      if (running) await sample();
    }
  })();
  let result: R;
  try {
    result = await workload();
  } finally {
    running = false;
    await sampler;
  }
  await sample();
  const last = samples[samples.length - 1]!;
  return { result, hits: last.hits, misses: last.misses, hitRatio: last.hitRatio, samples };
}
