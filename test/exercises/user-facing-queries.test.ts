// Notebook 03's graders, on a private Valkey and both engines: the shipped stub is not done, the reference
// solution passes, and plausible wrong answers fail at the right check with the right hint.

import type Redis from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS } from '../../src/config';
import { connectSql, type SqlEngine } from '../../src/db';
import {
  gradeDayRange,
  gradeSearchKey,
  gradeSeatScript,
  type BookSeatScript,
  type DepartureOnDay,
  type SearchCacheEntry,
} from '../../src/exercises/user-facing-queries';
import { nextDates, runGuideQuery, seatAvailability } from '../../src/queries';
import { listLabKeys } from '../../src/valkey';
import { ensureTinyDataset } from '../support/dataset';
import { cellFunction, referenceSolution, shippedStub } from '../support/exercises';
import { testConfig } from '../support/lab';
import { usePrivateValkey } from '../support/valkey';

describe.each(ENGINE_KINDS)('notebook 03 graders on %s', (kind) => {
  let sql: SqlEngine;
  let valkey: Redis;
  const lab = () => ({ sql, valkey });
  const fromCell = <F>(source: string, name: string) => cellFunction<F>(source, name, lab());
  const bookedSeats = async () =>
    Number((await runGuideQuery(sql, seatAvailability, { flightId: 1001 })).rows[0]!.booked_seats);

  usePrivateValkey(`exercises-03-${kind}`, (client) => (valkey = client));
  beforeAll(async () => {
    sql = await connectSql(testConfig(), kind);
    await ensureTinyDataset(sql);
  });
  afterAll(async () => {
    await sql?.close();
  });

  describe('Your turn 3.1, the day as a range', () => {
    const grade = (f: DepartureOnDay) => gradeDayRange(lab(), f);
    const p = (n: number) => sql.dialect.param(n);

    it('says the shipped stub is not done, with no check passed', async () => {
      const result = await grade(fromCell(shippedStub('03', 'day-range'), 'departureOnDay'));
      expect(result.status).toBe('not-done');
      expect(result.passed).toEqual([]);
    });

    it("passes the reference solution, the day's edges included, and leaves no table behind", async () => {
      const result = await grade(fromCell(referenceSolution('03', 'day-range'), 'departureOnDay'));
      expect(result.failure).toBeUndefined();
      expect(result.passed.some((c) => c.includes('the day ends before the next midnight'))).toBe(true);
      expect(await sql.listTables()).not.toContain('exercise_03_departures');
    });

    it('fails a range that starts after midnight', async () => {
      const result = await grade((date) => {
        const [day, next] = nextDates(date, 2);
        return {
          condition: `f.departure > ${p(3)} AND f.departure < ${p(4)}`,
          params: [`${day} 00:00:00`, `${next} 00:00:00`],
        };
      });
      expect(result.failure?.check).toMatch(/^the day starts at midnight/);
      expect(result.failure?.seen).toContain('left out 2025-12-15 00:00:00');
    });

    it("fails the guide's own DATE() condition at the plan: the departure index does not help", async () => {
      const result = await grade((date) => ({
        condition: `${sql.dialect.dateOf('f.departure')} = ${p(3)}`,
        params: [date],
      }));
      expect(result.passed).toContain("in the guide's search, the same 5 JFK → LAX flights");
      expect(result.failure?.check).toBe('on its own, it lets the database find the day through flight_departure_idx');
      expect(result.failure?.hint).toMatch(/hides the column from its index/);
    });

    it('fails BETWEEN midnight and the next midnight: a flight at 00:00 would show on the day before', async () => {
      const result = await grade((date) => {
        const [day, next] = nextDates(date, 2);
        return {
          condition: `f.departure BETWEEN ${p(3)} AND ${p(4)}`,
          params: [`${day} 00:00:00`, `${next} 00:00:00`],
        };
      });
      expect(result.failure?.check).toMatch(/the day ends before the next midnight/);
      expect(result.failure?.hint).toMatch(/end the range with </);
    });
  });

  describe('Your turn 3.2, the search key', () => {
    const grade = (f: SearchCacheEntry) => gradeSearchKey(lab(), f);
    const keyOf = (s: { from: string; to: string; date: string }) =>
      `${kind}:flight:search:${s.from.trim().toUpperCase()}:${s.to.trim().toUpperCase()}:${s.date}`;
    const routeTag = (s: { from: string; to: string }) =>
      `route:${s.from.trim().toUpperCase()}:${s.to.trim().toUpperCase()}`;

    it('says the shipped stub is not done, and leaves no key behind', async () => {
      const result = await grade(fromCell(shippedStub('03', 'search-key'), 'searchCacheEntry'));
      expect(result.status).toBe('not-done');
      expect(result.passed).toEqual([]);
      expect(await listLabKeys(valkey)).toEqual([]);
    });

    it('passes the reference solution, and leaves no key behind', async () => {
      const result = await grade(fromCell(referenceSolution('03', 'search-key'), 'searchCacheEntry'));
      expect(result.failure).toBeUndefined();
      expect(result.status).toBe('passed');
      expect(await listLabKeys(valkey)).toEqual([]);
    });

    it('fails a key without the date: two days of one route collide', async () => {
      const result = await grade((s, flights) => ({
        key: `${kind}:flight:search:${s.from.trim().toUpperCase()}:${s.to.trim().toUpperCase()}`,
        tags: [routeTag(s), ...flights.map((f) => `flight:${f.flight_id}`)],
      }));
      expect(result.failure?.check).toBe('different searches get different keys');
      expect(result.failure?.seen).toMatch(/JFK → LAX on 12-15 and JFK → LAX on 12-16 share/);
      expect(result.failure?.hint).toMatch(/every parameter/);
      expect(await listLabKeys(valkey)).toEqual([]);
    });

    it('fails a key built from the codes as typed', async () => {
      const result = await grade((s, flights) => ({
        key: `${kind}:flight:search:${s.from}:${s.to}:${s.date}`,
        tags: [routeTag(s), ...flights.map((f) => `flight:${f.flight_id}`)],
      }));
      expect(result.failure?.check).toMatch(/typed as .* gets the same key/);
      expect(result.failure?.hint).toMatch(/trim and upper-case/);
    });

    it('fails tags that name only the route: cancelling a flight misses its searches', async () => {
      const result = await grade((s) => ({ key: keyOf(s), tags: [routeTag(s)] }));
      expect(result.failure?.check).toMatch(/^cancelling flight \d+/);
      expect(result.failure?.hint).toMatch(/flight:<id>/);
      expect(await listLabKeys(valkey)).toEqual([]);
    });

    it('fails tags without the route: a change to JFK → LAX misses the days with no shared flight', async () => {
      const result = await grade((s, flights) => ({
        key: keyOf(s),
        tags: flights.map((f) => `flight:${f.flight_id}`),
      }));
      expect(result.failure?.check).toMatch(/invalidateTag\('route:JFK:LAX'\)/);
      expect(result.failure?.hint).toMatch(/route:FROM:TO/);
    });
  });

  describe('Your turn 3.3, the booking script', () => {
    const grade = (script: string) => gradeSeatScript(lab(), () => script);
    const leavesNothing = async (before: number) => {
      expect(await listLabKeys(valkey)).toEqual([]);
      expect(await bookedSeats()).toBe(before);
    };

    it('says the shipped stub is not done, and leaves no key or booking behind', async () => {
      const before = await bookedSeats();
      const result = await gradeSeatScript(
        lab(),
        fromCell<BookSeatScript>(shippedStub('03', 'seat-script'), 'bookSeatScript'),
      );
      expect(result.status).toBe('not-done');
      expect(result.passed).toEqual([]);
      await leavesNothing(before);
    });

    it('passes the reference solution, race included, and cancels the bookings it made', async () => {
      const before = await bookedSeats();
      const result = await gradeSeatScript(
        lab(),
        fromCell<BookSeatScript>(referenceSolution('03', 'seat-script'), 'bookSeatScript'),
      );
      expect(result.failure).toBeUndefined();
      expect(result.passed).toContain('the seat map, the counters and the database agree');
      await leavesNothing(before);
    });

    it('fails a script that moves the counters whatever the old bit: a retry counts twice', async () => {
      const before = await bookedSeats();
      const result = await grade(`
redis.call('SETBIT', KEYS[2], ARGV[1], 1)
redis.call('HINCRBY', KEYS[1], 'booked_seats', 1)
redis.call('HINCRBY', KEYS[1], 'available_seats', -1)
return 1`);
      expect(result.failure?.check).toMatch(/^run again for \w+, it returns 0 and changes nothing/);
      expect(result.failure?.hint).toMatch(/before touching the counters/);
      await leavesNothing(before);
    });

    it("fails a script that returns SETBIT's own reply: 0 for a free seat", async () => {
      const result = await grade(`
local old = redis.call('SETBIT', KEYS[2], ARGV[1], 1)
if old == 0 then
  redis.call('HINCRBY', KEYS[1], 'booked_seats', 1)
  redis.call('HINCRBY', KEYS[1], 'available_seats', -1)
end
return old`);
      expect(result.failure?.check).toMatch(/^on a free seat \(\w+\) your script returns 1$/);
      expect(result.failure?.seen).toBe('0');
    });

    it('fails a script that forgets available_seats', async () => {
      const result = await grade(`
if redis.call('SETBIT', KEYS[2], ARGV[1], 1) == 1 then return 0 end
redis.call('HINCRBY', KEYS[1], 'booked_seats', 1)
return 1`);
      expect(result.failure?.check).toBe('and moves both counters by one: booked_seats +1, available_seats −1');
    });

    it("fails a script Valkey cannot run, with Valkey's own error and no stack trace", async () => {
      const before = await bookedSeats();
      const result = await grade(`local old = redis.call('SETBIT', KEYS[2], ARGV[1], 1`);
      expect(result.failure?.check).toMatch(/^your script runs for seat /);
      expect(result.failure?.seen).toMatch(/^ReplyError: ERR/);
      expect(result.failure?.seen).not.toMatch(/\n\s+at /);
      await leavesNothing(before);
    });
  });
});
