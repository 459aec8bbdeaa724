// Seeded random numbers for the lab's workloads: the dataset generator's sfc32, so every replay is the same.

import { Random as Sfc32 } from './sfc32';
import { LabError } from '../errors';

/** A source of numbers in [0, 1), like Math.random, but the same sequence for the same seed. */
export type Random = () => number;

/**
 * The dataset generator's sfc32 (`./sfc32.ts`, the one generator of the lab), seeded here through
 * splitmix32 from a number or a string. Math.random cannot be seeded, so a replayed workload would differ from
 * run to run.
 */
export function seededRandom(seed: number | string): Random {
  let s = typeof seed === 'string' ? hashString(seed) : checkedSeed(seed);
  const split = () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  const generator = new Sfc32(split(), split(), split(), split());
  return () => generator.next();
}

function checkedSeed(seed: number): number {
  if (!Number.isSafeInteger(seed)) {
    throw new LabError({ what: `seed=${seed} is not a whole number`, fix: 'Use a whole number, e.g. 20251215.' });
  }
  // Both halves of a large seed count, so 2**32 + 1 and 1 give different sequences.
  return ((seed % 4294967296) ^ Math.floor(seed / 4294967296)) | 0;
}

/** FNV-1a over the UTF-16 code units: a string seed ("stampede-demo") works as well as a number. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}
