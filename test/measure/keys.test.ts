// Seeded key distributions: the same seed replays the same keys, and Zipf's frequencies follow rank^-s.

import { describe, expect, it } from 'vitest';
import { LabError } from '../../src/errors';
import { seededRandom, uniformKeys, zipfKeys, zipfShares } from '../../src/measure';

function frequencies(indexes: readonly number[], n: number): number[] {
  const counts = new Array<number>(n).fill(0);
  for (const i of indexes) counts[i]!++;
  return counts.map((c) => c / indexes.length);
}

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const first = Array.from({ length: 100 }, a);
    expect(Array.from({ length: 100 }, b)).toEqual(first);
    expect(Array.from({ length: 100 }, c)).not.toEqual(first);
    expect(Array.from({ length: 10 }, seededRandom('stampede'))).toEqual(
      Array.from({ length: 10 }, seededRandom('stampede')),
    );
  });

  it('stays in [0, 1) and spreads evenly (each tenth gets about a tenth of 100,000 draws)', () => {
    const random = seededRandom(7);
    const tenths = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = random();
      if (!(x >= 0 && x < 1)) outside++;
      else tenths[Math.floor(x * 10)]!++;
    }
    expect(outside).toBe(0);
    for (const count of tenths) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it("draws from the dataset generator's sfc32, so every workload the lab replays keeps its numbers", () => {
    const first4 = (seed: number | string) => Array.from({ length: 4 }, seededRandom(seed)).map((x) => x.toFixed(12));
    expect(first4(42)).toEqual(['0.890780188842', '0.431067043683', '0.322065144312', '0.207294474123']);
    expect(first4('stampede')).toEqual(['0.910599156749', '0.215382626280', '0.774704651674', '0.557275802130']);
    expect(first4(2 ** 40 + 3)).toEqual(['0.112702901475', '0.880984380143', '0.706055357587', '0.774824980879']);
  });

  it('refuses a seed that is not a whole number', () => {
    expect(() => seededRandom(1.5)).toThrow(LabError);
  });
});

describe('uniformKeys', () => {
  it('replays the same keys for the same seed, every index in range, about equally often', () => {
    const keys = uniformKeys({ n: 20, seed: 5 }).take(40_000);
    expect(uniformKeys({ n: 20, seed: 5 }).take(40_000)).toEqual(keys);
    expect(uniformKeys({ n: 20, seed: 6 }).take(100)).not.toEqual(keys.slice(0, 100));
    for (const share of frequencies(keys, 20)) expect(Math.abs(share - 0.05)).toBeLessThan(0.005);
  });

  it('picks items from a list of exactly n, and refuses a list of another length', () => {
    const airports = ['ATL', 'ORD', 'JFK', 'LAX', 'DFW'];
    const sampler = uniformKeys({ n: 5, seed: 1 });
    const picked = Array.from({ length: 50 }, () => sampler.pick(airports));
    expect(new Set(picked)).toEqual(new Set(airports));
    expect(() => sampler.pick(['ATL'])).toThrow(/pick\(\) got 1 items for a distribution over 5 keys/);
  });
});

describe('zipfKeys', () => {
  it('replays the same keys for the same seed', () => {
    const a = zipfKeys({ n: 1000, s: 1.1, seed: 20251215 }).take(5000);
    expect(zipfKeys({ n: 1000, s: 1.1, seed: 20251215 }).take(5000)).toEqual(a);
    expect(zipfKeys({ n: 1000, s: 1.1, seed: 20251216 }).take(5000)).not.toEqual(a);
  });

  it('asks for the key of rank r in proportion to r^-s (s = 1, 100 keys, 200,000 draws)', () => {
    const n = 100;
    const observed = frequencies(zipfKeys({ n, s: 1, seed: 3 }).take(200_000), n);
    const expected = zipfShares(n, 1);
    // Rank 1 takes 1/H(100) ≈ 19.3% of requests; ranks 1, 2, 10 keep the ratios 1 : 1/2 : 1/10.
    expect(expected[0]).toBeCloseTo(1 / 5.187, 3);
    for (const rank of [1, 2, 3, 10, 50]) {
      const i = rank - 1;
      expect(Math.abs(observed[i]! - expected[i]!) / expected[i]!).toBeLessThan(0.1);
    }
    expect(observed[0]! / observed[1]!).toBeGreaterThan(1.8);
    expect(observed[0]! / observed[1]!).toBeLessThan(2.2);
    expect(observed[0]! / observed[9]!).toBeGreaterThan(9);
    expect(observed[0]! / observed[9]!).toBeLessThan(11);
  });

  it('follows a steeper exponent too: the log-log slope of frequency against rank is about -s', () => {
    const n = 50;
    const s = 1.5;
    const observed = frequencies(zipfKeys({ n, s, seed: 11 }).take(200_000), n);
    // Least squares over the first 10 ranks, where every rank has thousands of draws.
    const points = observed.slice(0, 10).map((share, i) => [Math.log(i + 1), Math.log(share)] as const);
    const mx = points.reduce((sum, [x]) => sum + x, 0) / points.length;
    const my = points.reduce((sum, [, y]) => sum + y, 0) / points.length;
    const slope =
      points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0) /
      points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
    expect(slope).toBeGreaterThan(-s - 0.1);
    expect(slope).toBeLessThan(-s + 0.1);
  });

  it('is uniform at s = 0, and refuses a negative exponent or no keys', () => {
    const shares = frequencies(zipfKeys({ n: 10, s: 0, seed: 2 }).take(50_000), 10);
    for (const share of shares) expect(Math.abs(share - 0.1)).toBeLessThan(0.01);
    expect(() => zipfKeys({ n: 10, s: -1 })).toThrow(LabError);
    expect(() => zipfKeys({ n: 0 })).toThrow(/n=0 is not a whole number of keys/);
  });
});
