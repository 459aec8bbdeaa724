// The generator on its own (no server): deterministic, complete, and shaped the way the guide needs.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  GENERATOR_VERSION,
  SCALE_DEFINITIONS,
  allIndexNames,
  planDataset,
  scaleDefinition,
  type DatasetPlan,
} from '../../datasets';
import { LabError } from '../../src/errors';
import { SEED } from './helpers';

function checksums(plan: DatasetPlan): Record<string, { rows: number; sha256: string }> {
  const result: Record<string, { rows: number; sha256: string }> = {};
  for (const table of plan.tables) {
    const hash = createHash('sha256');
    let rows = 0;
    for (const part of table.parts(1)) {
      for (const chunk of part) {
        hash.update(chunk.text);
        rows += chunk.rows;
      }
    }
    result[table.table] = { rows, sha256: hash.digest('hex') };
  }
  return result;
}

describe('the dataset generator', () => {
  const first = checksums(planDataset('tiny', SEED));

  it('generates identical rows in every table for the same seed', () => {
    const second = checksums(planDataset('tiny', SEED));
    expect(Object.keys(second)).toHaveLength(18);
    expect(second).toEqual(first);
  });

  it('generates as many rows as the plan announces', () => {
    const plan = planDataset('tiny', SEED);
    for (const [table, { rows }] of Object.entries(first))
      expect(rows, table).toBe(plan.rowCounts[table as keyof typeof plan.rowCounts]);
  });

  it('keeps the real reference tables and changes the generated ones with another seed', () => {
    const other = checksums(planDataset('tiny', SEED + 1));
    for (const table of [
      'country',
      'airport',
      'airport_geo',
      'city',
      'city_airport_relation',
      'airline',
      'airplane_type',
    ]) {
      expect(other[table], table).toEqual(first[table]);
    }
    for (const table of [
      'route',
      'flightschedule',
      'flight',
      'booking',
      'passenger',
      'passengerdetails',
      'employee',
      'weatherdata',
    ]) {
      expect(other[table]!.sha256, table).not.toBe(first[table]!.sha256);
    }
  });

  it('cuts the bookings into parts that together are exactly the whole table', () => {
    const booking = planDataset('tiny', SEED).tables.find((t) => t.table === 'booking')!;
    const parts = booking.parts(3);
    expect(parts).toHaveLength(3);
    const hash = createHash('sha256');
    let rows = 0;
    for (const part of parts) {
      for (const chunk of part) {
        hash.update(chunk.text);
        rows += chunk.rows;
      }
    }
    expect({ rows, sha256: hash.digest('hex') }).toEqual(first.booking);
  });

  it('writes real OpenFlights airports with their ISO country codes', () => {
    const { reference } = planDataset('tiny', SEED).world;
    // The package's 7,184 airports and the two Manhattan heliports it lacks (the guide's Step 3 lists them).
    expect(reference.airports).toHaveLength(7186);
    expect(
      ['JRB', 'JRA'].map((iata) => {
        const { name, city, icao, openflightsId, weight } = reference.airportByIata.get(iata)!;
        return { name, city, icao, openflightsId, weight };
      }),
    ).toEqual([
      { name: 'Downtown-Manhattan/Wall St Heliport', city: 'New York', icao: 'KJRB', openflightsId: 3993, weight: 0 },
      { name: 'West 30th St. Heliport', city: 'New York', icao: 'KJRA', openflightsId: 7729, weight: 0 },
    ]);
    const jfk = reference.airportByIata.get('JFK')!;
    expect(jfk).toMatchObject({
      icao: 'KJFK',
      city: 'New York',
      country: 'United States',
      isoA3: 'USA',
      openflightsId: 3797,
    });
    expect(reference.airports.filter((a) => a.isoA3 === null)).toHaveLength(0);
    expect(reference.airlines.length).toBeGreaterThan(900);
  });

  it('names every index once across the schema', () => {
    const names = allIndexNames();
    expect(new Set(names).size).toBe(names.length);
  });

  it('refuses an unknown scale, naming the scales there are', () => {
    expect(() => scaleDefinition('huge')).toThrow(LabError);
    expect(() => planDataset('huge', SEED)).toThrow(/Unknown dataset scale "huge".*tiny, default, full/);
  });

  it('has a version and sizes that grow from tiny to full', () => {
    expect(GENERATOR_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    const { tiny, default: normal, full } = SCALE_DEFINITIONS;
    expect(tiny.approximateRows.booking).toBeLessThan(normal.approximateRows.booking);
    expect(normal.approximateRows.booking).toBeLessThan(full.approximateRows.booking);
    expect(full.approximateRows.flight).toBeGreaterThan(700_000);
  });
});
