// A small seeded random number generator, so every workload the lab replays is the same on every run.

import { LabError } from '../errors';

/** A source of numbers in [0, 1), like Math.random, but the same sequence for the same seed. */
export type Random = () => number;

/**
 * sfc32 (a 128-bit state "small fast counter" generator) seeded through splitmix32: fast, passes the
 * usual statistical batteries, and needs no dependency. Math.random cannot be seeded, so a replayed
 * workload would differ from run to run.
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
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // The first outputs of a freshly seeded state are the least mixed: skip them.
  for (let i = 0; i < 12; i++) next();
  return next;
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
