// Seeded randomness: a small, fast PRNG (sfc32) and stream derivation, so the same seed gives the same rows
// (the dataset generator) and the same workload (seededRandom, for everything else the lab replays).

/** Mixes a 32-bit value into a well-spread 32-bit hash (the splitmix32 finaliser). */
export function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A 32-bit hash of a string (FNV-1a), for naming independent random streams. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Folds any safe integer seed into 32 bits without losing its high part. */
export function seed32(seed: number): number {
  const high = Math.floor(seed / 0x1_0000_0000);
  return mix32((seed >>> 0) ^ mix32(high | 0));
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes PractRand,
 * and needs only 32-bit integer arithmetic, which keeps it fast and identical on every platform.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    // The first outputs of a fresh state are correlated with the seed words; discard them.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** An independent generator for one purpose (`stream`) and, optionally, one item (`index`). */
  static for(seed: number, stream: string, index = 0): Random {
    const s = seed32(seed);
    const h = hashString(stream);
    const k = mix32(s ^ h) ^ mix32(index + 0x632be5ab);
    return new Random(mix32(k), mix32(k ^ 0x5bd1e995), mix32(k + 0x27d4eb2f), mix32(index ^ h));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Roughly normal (sum of three uniforms), centred on `mean`; cheap and good enough for shapes. */
  normal(mean: number, spread: number): number {
    return mean + (this.next() + this.next() + this.next() - 1.5) * spread;
  }
}

/** Weighted choice by index over fixed weights, by binary search over the running total. */
export class WeightedChoice {
  private readonly totals: Float64Array;
  readonly total: number;

  constructor(weights: ArrayLike<number>) {
    this.totals = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      sum += Math.max(0, weights[i]!);
      this.totals[i] = sum;
    }
    this.total = sum;
  }

  /** An index drawn with probability proportional to its weight. */
  pick(random: Random): number {
    const target = random.next() * this.total;
    let lo = 0;
    let hi = this.totals.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.totals[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
