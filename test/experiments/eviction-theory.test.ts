// What theory predicts for a cache of C keys: checked where the answer is known exactly, and in the order the
// policies must come.

import { describe, expect, it } from 'vitest';
import {
  cheLruHitRatio,
  evictionTheory,
  randomReplacementHitRatio,
  staticTopHitRatio,
} from '../../src/experiments/eviction-theory';
import { zipfShares } from '../../src/measure/keys';
import { LabError } from '../../src/errors';

describe('eviction theory', () => {
  it('gives C/n for every policy when every key is equally popular', () => {
    const uniform = Array.from({ length: 1000 }, () => 1 / 1000);
    for (const predict of [cheLruHitRatio, randomReplacementHitRatio, staticTopHitRatio]) {
      expect(predict(uniform, 250).hitRatio).toBeCloseTo(0.25, 6);
    }
  });

  it("finds Che's characteristic time: the keys asked for within T requests add up to C", () => {
    const shares = zipfShares(4000, 1);
    const { characteristicTime: t } = cheLruHitRatio(shares, 800);
    const occupancy = shares.reduce((sum, p) => sum + (1 - Math.exp(-p * t!)), 0);
    expect(occupancy).toBeCloseTo(800, 3);
  });

  it('orders the policies under Zipf: the static bound above LRU above random', () => {
    const shares = zipfShares(4000, 1);
    for (const capacity of [200, 800, 2000]) {
      const [bound, lru, random] = evictionTheory(shares, capacity).map((t) => t.hitRatio);
      expect(bound).toBeGreaterThan(lru!);
      expect(lru).toBeGreaterThan(random!);
    }
    expect(staticTopHitRatio(shares, 800).hitRatio).toBeCloseTo(
      shares.slice(0, 800).reduce((a, b) => a + b, 0),
      12,
    );
  });

  it('says 1 when every key fits, and refuses shares that do not add up to 1', () => {
    expect(cheLruHitRatio([0.5, 0.5], 2).hitRatio).toBe(1);
    expect(() => cheLruHitRatio([0.5, 0.6], 1)).toThrow(LabError);
  });
});
