// Seeded key distributions: which key each request of a workload asks for, uniform or Zipf, replayable.

import { LabError } from '../errors';
import { seededRandom } from './random';

/** Which keys a workload asks for: a stream of key indexes in 0..n-1, the same for the same seed. */
export interface KeySampler {
  readonly distribution: 'uniform' | 'zipf';
  /** How many distinct keys there are. */
  readonly n: number;
  /** Zipf's exponent (undefined for uniform). */
  readonly s: number | undefined;
  readonly seed: number | string;
  /** The next key index; for Zipf, index 0 is the most popular key (rank 1). */
  next(): number;
  /** The next `count` key indexes. */
  take(count: number): number[];
  /** The item at the next key index: `items` must have exactly `n` entries (e.g. n airport codes). */
  pick<T>(items: readonly T[]): T;
}

export interface UniformKeysOptions {
  n: number;
  /** Default 1. */
  seed?: number | string;
}

export interface ZipfKeysOptions extends UniformKeysOptions {
  /** The exponent: the key of rank r is asked for in proportion to r^-s. 0 is uniform; default 1. */
  s?: number;
}

/** Enough for a large keyspace, small enough that Zipf's table of n numbers stays a few MB. */
export const MAX_KEYS = 10_000_000;
/** A batch taken at once stays an array a notebook can hold. */
const MAX_TAKE = 10_000_000;

/** Every key equally likely: the workload with no hot keys. */
export function uniformKeys(options: UniformKeysOptions): KeySampler {
  const n = checkedN(options.n);
  const seed = options.seed ?? 1;
  const random = seededRandom(seed);
  return sampler('uniform', n, undefined, seed, () => Math.floor(random() * n));
}

/**
 * Zipf-distributed keys: the key of rank r (index r-1) comes up in proportion to r^-s, so a few keys
 * take most of the requests, as popular routes and airports do. Draws by binary search in the
 * cumulative weights, built once.
 */
export function zipfKeys(options: ZipfKeysOptions): KeySampler {
  const n = checkedN(options.n);
  const s = options.s ?? 1;
  if (!Number.isFinite(s) || s < 0) {
    throw new LabError({ what: `Zipf exponent s=${s} is not 0 or more`, fix: 'Use e.g. s=1 (0 means uniform).' });
  }
  const seed = options.seed ?? 1;
  const random = seededRandom(seed);
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cumulative[i] = total += (i + 1) ** -s;
  return sampler('zipf', n, s, seed, () => {
    const target = random() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cumulative[middle]! > target) high = middle;
      else low = middle + 1;
    }
    return low;
  });
}

/** The share of requests each key index gets under Zipf(s) over n keys: what a long run converges to. */
export function zipfShares(n: number, s = 1): number[] {
  checkedN(n);
  const weights = Array.from({ length: n }, (_, i) => (i + 1) ** -s);
  const total = weights.reduce((sum, w) => sum + w, 0);
  return weights.map((w) => w / total);
}

function sampler(
  distribution: KeySampler['distribution'],
  n: number,
  s: number | undefined,
  seed: number | string,
  next: () => number,
): KeySampler {
  return {
    distribution,
    n,
    s,
    seed,
    next,
    take(count: number): number[] {
      if (!Number.isInteger(count) || count < 0 || count > MAX_TAKE) {
        throw new LabError({
          what: `take(${count}) is not a whole number of keys between 0 and ${MAX_TAKE}`,
          fix: 'Ask for e.g. 10000 keys.',
        });
      }
      return Array.from({ length: count }, next);
    },
    pick<T>(items: readonly T[]): T {
      if (items.length !== n) {
        throw new LabError({
          what: `pick() got ${items.length} items for a distribution over ${n} keys`,
          fix: `Pass exactly ${n} items, or create the distribution with n=${items.length}.`,
        });
      }
      return items[next()]!;
    },
  };
}

function checkedN(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_KEYS) {
    throw new LabError({
      what: `n=${n} is not a whole number of keys between 1 and ${MAX_KEYS.toLocaleString('en-US')}`,
      fix: 'Use the number of distinct keys, e.g. 1000.',
    });
  }
  return n;
}
