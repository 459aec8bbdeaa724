// The dataset generator's randomness is the lab's one seeded generator (src/measure/sfc32.ts).

export * from '../src/measure/sfc32';
