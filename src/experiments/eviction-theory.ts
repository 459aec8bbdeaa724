// What theory predicts for a cache of C keys under requests with fixed popularity (each request picks key i with
// probability pᵢ, independently): LRU (Che's approximation), random replacement, and the best static cache.

import { LabError } from '../errors';

/** One policy's prediction for a cache that holds `capacity` keys. */
export interface HitRatioPrediction {
  hitRatio: number;
  /**
   * The characteristic time T, in requests: under LRU, a key leaves the cache T requests after its last request;
   * under random replacement, T is the mean time a key stays. Undefined for the static cache.
   */
  characteristicTime?: number;
}

function checkedShares(shares: readonly number[], capacity: number, what: string): void {
  const total = shares.reduce((sum, p) => sum + p, 0);
  if (shares.length === 0 || shares.some((p) => !(p >= 0)) || Math.abs(total - 1) > 1e-6) {
    throw new LabError({
      what: `${what} needs request shares that are ≥ 0 and add up to 1 (got ${shares.length} adding up to ${total})`,
      fix: 'Pass zipfShares(keys, s), the workload’s own popularity.',
    });
  }
  if (!(capacity >= 0)) {
    throw new LabError({
      what: `${what} needs a capacity of 0 keys or more, got ${capacity}`,
      fix: 'Pass the keys that fit.',
    });
  }
}

/** The T at which `occupancy(T)` (increasing in T) reaches `capacity`, by bisection. */
function characteristicTime(occupancy: (t: number) => number, capacity: number): number {
  let low = 0;
  let high = 1;
  while (occupancy(high) < capacity) high *= 2;
  for (let i = 0; i < 100; i++) {
    const middle = (low + high) / 2;
    if (occupancy(middle) < capacity) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/**
 * Che's approximation for LRU: find T with Σ(1 − e^(−pᵢT)) = C (the cache holds C keys, and key i is in it when
 * it was asked for within the last T requests), then the hit ratio is Σ pᵢ(1 − e^(−pᵢT)).
 */
export function cheLruHitRatio(shares: readonly number[], capacity: number): HitRatioPrediction {
  checkedShares(shares, capacity, "Che's approximation");
  if (capacity >= shares.length) return { hitRatio: 1, characteristicTime: Infinity };
  const t = characteristicTime((x) => shares.reduce((sum, p) => sum + (1 - Math.exp(-p * x)), 0), capacity);
  return { hitRatio: shares.reduce((sum, p) => sum + p * (1 - Math.exp(-p * t)), 0), characteristicTime: t };
}

/**
 * Random replacement (a random key is evicted on every insert): key i is in the cache with probability
 * pᵢT / (1 + pᵢT), where T makes those add up to C; the hit ratio is Σ pᵢ · pᵢT / (1 + pᵢT). FIFO has the same.
 */
export function randomReplacementHitRatio(shares: readonly number[], capacity: number): HitRatioPrediction {
  checkedShares(shares, capacity, 'The random-replacement prediction');
  if (capacity >= shares.length) return { hitRatio: 1, characteristicTime: Infinity };
  const t = characteristicTime((x) => shares.reduce((sum, p) => sum + (p * x) / (1 + p * x), 0), capacity);
  return { hitRatio: shares.reduce((sum, p) => sum + (p * p * t) / (1 + p * t), 0), characteristicTime: t };
}

/**
 * The best any cache of C keys can do when popularity never changes: hold the C most popular keys for good.
 * The bound an LFU cache approaches (it counts requests to learn which keys those are).
 */
export function staticTopHitRatio(shares: readonly number[], capacity: number): HitRatioPrediction {
  checkedShares(shares, capacity, 'The static top-C bound');
  const top = [...shares].sort((a, b) => b - a).slice(0, Math.floor(capacity));
  return {
    hitRatio: Math.min(
      1,
      top.reduce((sum, p) => sum + p, 0),
    ),
  };
}

/** The three predictions for a cache of `capacity` keys, named as the eviction chart draws them. */
export function evictionTheory(
  shares: readonly number[],
  capacity: number,
): Array<{ theory: string; hitRatio: number }> {
  return [
    { theory: 'static top-C (LFU bound)', hitRatio: staticTopHitRatio(shares, capacity).hitRatio },
    { theory: "LRU (Che's approximation)", hitRatio: cheLruHitRatio(shares, capacity).hitRatio },
    { theory: 'random replacement', hitRatio: randomReplacementHitRatio(shares, capacity).hitRatio },
  ];
}

/** Which prediction a policy's measurement is set beside. */
export function theoryOfPolicy(policy: string): string {
  if (policy.endsWith('-lru')) return "LRU (Che's approximation)";
  // volatile-ttl with one TTL for every key evicts the key written first: FIFO, which has random's hit ratio here.
  if (policy.endsWith('-random') || policy === 'volatile-ttl') return 'random replacement';
  // LFU learns the most popular keys; noeviction keeps whichever came first: both are static caches at best.
  return 'static top-C (LFU bound)';
}

/** The prediction `theoryOfPolicy(policy)` names, for a cache of `capacity` keys. */
export function predictHitRatio(policy: string, shares: readonly number[], capacity: number): number {
  const theory = theoryOfPolicy(policy);
  return evictionTheory(shares, capacity).find((t) => t.theory === theory)!.hitRatio;
}
