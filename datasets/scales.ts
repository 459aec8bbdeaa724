// The dataset sizes: what each scale generates, and roughly how many rows that makes.

import type { Scale } from '../src/config';
import { SCALES } from '../src/config';
import { LabError } from '../src/errors';

export { SCALES, type Scale };

/**
 * Bump when the generator's output changes for the same seed and scale: a database loaded by another
 * version is then reloaded instead of being taken as up to date.
 */
export const GENERATOR_VERSION = '1.1.0';

/** The story date the data is built around (the lab clock's default): flights before it are flown, after it booked. */
export const STORY_NOW = '2025-12-01 09:00:00';

export interface ScaleDefinition {
  scale: Scale;
  /** What the scale is for, in one sentence. */
  purpose: string;
  /** First and last day with flights (UTC), inclusive. */
  firstDay: string;
  lastDay: string;
  /** Flight numbers in the timetable; each flies on some weekdays, so flights ≈ schedules × days × 0.8. */
  schedules: number;
  /** Rows of the OpenFlights-style route table. */
  routes: number;
  passengers: number;
  employees: number;
  /** Weather stations (at the busiest airports) and hours between their readings. */
  weatherStations: number;
  weatherEveryHours: number;
  /** Flown flights in passenger 12345's history (the guide's user), besides the upcoming ones. */
  storyHistoryFlights: number;
  /** Rows each table gets with the default seed (other seeds differ by a few percent). */
  approximateRows: { flight: number; booking: number };
}

export const SCALE_DEFINITIONS: Record<Scale, ScaleDefinition> = {
  tiny: {
    scale: 'tiny',
    purpose: 'Tests: every table and every story of the guide, loaded in seconds.',
    firstDay: '2025-11-01',
    lastDay: '2025-12-31',
    schedules: 62,
    routes: 6_000,
    passengers: 15_000,
    employees: 200,
    weatherStations: 5,
    weatherEveryHours: 6,
    storyHistoryFlights: 12,
    approximateRows: { flight: 3_500, booking: 250_000 },
  },
  default: {
    scale: 'default',
    purpose:
      "The notebooks: large enough that the guide's expensive queries cost real milliseconds, loaded in well under a minute.",
    firstDay: '2025-09-01',
    lastDay: '2026-02-28',
    schedules: 280,
    routes: 25_000,
    passengers: 50_000,
    employees: 1_000,
    weatherStations: 20,
    weatherEveryHours: 3,
    storyHistoryFlights: 60,
    approximateRows: { flight: 42_000, booking: 2_800_000 },
  },
  full: {
    scale: 'full',
    purpose: 'FlughafenDB size (~760k flights, ~55M bookings), for load and query benchmarks.',
    firstDay: '2025-09-01',
    lastDay: '2026-02-28',
    schedules: 5_100,
    routes: 67_000,
    passengers: 1_000_000,
    employees: 1_000,
    weatherStations: 50,
    weatherEveryHours: 1,
    storyHistoryFlights: 120,
    approximateRows: { flight: 760_000, booking: 56_000_000 },
  },
};

/** The definition of `scale`, or a LabError naming the scales there are. */
export function scaleDefinition(scale: string): ScaleDefinition {
  if ((SCALES as readonly string[]).includes(scale)) return SCALE_DEFINITIONS[scale as Scale];
  throw new LabError({
    what: `Unknown dataset scale "${scale}"`,
    fix: `Use one of ${SCALES.join(', ')} (LAB_SCALE or --scale).`,
  });
}

/** Throws a LabError unless `seed` is a whole number the generator accepts. */
export function checkSeed(seed: number): number {
  if (Number.isSafeInteger(seed) && seed >= 0) return seed;
  throw new LabError({
    what: `Dataset seed ${String(seed)} is not a whole number ≥ 0`,
    fix: 'Use an integer such as 20251215 (LAB_SEED or --seed).',
  });
}
