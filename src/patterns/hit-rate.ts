// The hit rate of one workload, from INFO keyspace_hits/keyspace_misses read before, during and after it
// (the server's lifetime counters say nothing about a notebook's own reads).

import { sampleInfo } from '../measure/sampler';
import type { ValkeyClient } from '../valkey/client';

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

/**
 * Runs `workload` and reports the server's hits and misses it caused, sampled every `everyMs` (INFO through
 * the lab's sampler; on a cluster, summed over the primaries). The counters are the whole server's: on a
 * shared server, other clients' lookups in the same window count too. INFO is not a key lookup, so
 * sampling does not change the figures.
 */
export async function measureHitRate<R>(
  valkey: ValkeyClient,
  workload: () => Promise<R>,
  everyMs = 100,
): Promise<HitRateWindow<R>> {
  const sampler = await sampleInfo(valkey, { intervalMs: everyMs });
  const first = await sampler.sample();
  let result: R;
  try {
    result = await workload();
  } finally {
    await sampler.stop();
  }
  const start = first ?? sampler.samples[0]!;
  const samples = sampler.samples
    .filter((s) => s.elapsedMs > start.elapsedMs)
    .map((s): HitRateSample => {
      const hits = s.keyspaceHits - start.keyspaceHits;
      const misses = s.keyspaceMisses - start.keyspaceMisses;
      return {
        at: (s.elapsedMs - start.elapsedMs) / 1000,
        hits,
        misses,
        hitRatio: hits + misses === 0 ? undefined : hits / (hits + misses),
      };
    });
  const last = samples.at(-1) ?? { hits: 0, misses: 0, hitRatio: undefined };
  return { result, hits: last.hits, misses: last.misses, hitRatio: last.hitRatio, samples };
}
