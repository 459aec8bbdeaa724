import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, type EngineKind } from '../../src/config';
import { connectSql, usesIndex, type SqlEngine } from '../../src/db';
import { flightSearch, prepareGuideQuery, runGuideQuery } from '../../src/queries';
import {
  dayWindow,
  flightCapacity,
  flightSearchByRange,
  labBookingId,
  LAB_BOOKING_ID_BASE,
  nextDates,
  popularRoutes,
  userTravelRows,
} from '../../src/queries/searches-and-bookings';
import { ensureTinyDataset } from '../support/dataset';
import { testConfig } from '../support/lab';

describe('day windows and booking ids', () => {
  it('lists the next days and the window of a month', () => {
    expect(nextDates('2025-12-30', 3)).toEqual(['2025-12-30', '2025-12-31', '2026-01-01']);
    expect(dayWindow(new Date('2025-12-01T09:00:00Z'), 31)).toEqual({
      start: '2025-12-01 00:00:00',
      end: '2026-01-01 00:00:00',
    });
  });
  it("gives the lab's bookings one id per seat, above the dataset's", () => {
    expect(labBookingId(1001, 0)).toBe(LAB_BOOKING_ID_BASE + 1001 * 600);
    expect(labBookingId(1001, 149)).toBeLessThan(labBookingId(1002, 0));
    expect(labBookingId(760_000, 599)).toBeLessThan(2 ** 31);
  });
});

describe.each(ENGINE_KINDS)("Part 3's extra queries on %s", (kind: EngineKind) => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await connectSql(testConfig(), kind);
    await ensureTinyDataset(engine);
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
  });

  it('the range rewrite of flight search returns exactly what the guide query returns, through the departure index', async () => {
    const guide = await runGuideQuery(engine, flightSearch);
    const range = await runGuideQuery(engine, flightSearchByRange);
    expect(guide.rows.length).toBeGreaterThanOrEqual(2);
    expect(range.rows).toEqual(guide.rows);
    const { sql, params } = prepareGuideQuery(flightSearchByRange, kind);
    const plan = await engine.explain(sql, params);
    expect(plan.plan).toBeDefined();
    expect(usesIndex(plan.plan, 'flight') || usesIndex(plan.plan, 'f')).toBe(true);
  });

  it('ranks routes by bookings, and knows flight 1001 is a 150-seat A320', async () => {
    const { rows } = await runGuideQuery(engine, popularRoutes, dayWindow(new Date('2025-12-01T00:00:00Z'), 31));
    expect(rows.length).toBeGreaterThan(5);
    const counts = rows.map((r) => Number(r.bookings));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(String(rows[0]!.route)).toMatch(/^[A-Z]{3}:[A-Z]{3}$/);
    const { rows: plane } = await runGuideQuery(engine, flightCapacity);
    expect(plane[0]).toMatchObject({ flightno: 'AA123', airplane_type: 'Airbus A320-200' });
    expect(Number(plane[0]!.capacity)).toBe(150);
  });

  it("returns passenger 12345's flights with coordinates", async () => {
    const { rows } = await runGuideQuery(engine, userTravelRows);
    expect(rows.length).toBeGreaterThan(10);
    expect(Number(rows[0]!.dep_lat)).not.toBeNaN();
  });
});
