// Part 3's SQL beyond the guide's own text: the range rewrite of flight search, popular routes, a user's
// profile rows, and the bookings the lab makes and cancels itself.

import type { Dialect, SqlEngine } from '../db/engine';
import { LabError } from '../errors';
import type { SeatStore } from '../structures/seats';
import { guideQuery, sqlTimestamp } from './guide-query';
import { flightSearch } from './part3-user-facing';

/** `text` with `line` replaced: a rewrite stated as what it changes in the guide's text, checked once at load. */
function rewriteLine(text: string, line: string, replacement: string): string {
  if (!text.includes(line)) {
    throw new LabError({
      what: `The guide's flight search has no line "${line.trim()}" to rewrite`,
      where: 'searches-and-bookings.ts',
    });
  }
  return text.replace(line, replacement);
}

export const flightSearchByRange = guideQuery({
  name: 'flightSearchByRange',
  guideStep: 'Part 3, Step 11 (rewrite)',
  description:
    'The flight search with the day as a range on departure (from midnight, before the next midnight) instead of ' +
    'a function of it, so the index on departure can find the day.',
  defaults: flightSearch.defaults,
  mysql: {
    sql: rewriteLine(
      flightSearch.mysql.sql,
      '    AND DATE(f.departure) = ?',
      '    AND f.departure >= CAST(? AS DATE)\n    AND f.departure < CAST(? AS DATE) + INTERVAL 1 DAY',
    ),
    params: ['from', 'to', 'date', 'date'],
  },
  postgres: {
    sql: rewriteLine(
      flightSearch.postgres.sql,
      '    AND CAST(f.departure AS date) = $3',
      '    AND f.departure >= CAST($3 AS date)\n    AND f.departure < CAST($3 AS date) + 1',
    ),
    params: ['from', 'to', 'date'],
  },
});

export const popularRoutes = guideQuery({
  name: 'popularRoutes',
  guideStep: 'Part 3, Step 12',
  description:
    'The routes with the most bookings on flights leaving in a window of days (from the lab clock on), ' +
    'as `FROM:TO` with the booking count (the top 50): the scores of popular:routes.',
  defaults: { start: '2025-12-01 00:00:00', end: '2026-01-01 00:00:00' },
  mysql: {
    sql: `SELECT
    CONCAT(dep_a.iata, ':', arr_a.iata) AS route,
    COUNT(*) AS bookings
FROM flight f
JOIN booking b ON b.flight_id = f.flight_id
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
WHERE f.departure >= ? AND f.departure < ?
GROUP BY dep_a.iata, arr_a.iata
ORDER BY bookings DESC, route
LIMIT 50`,
    params: ['start', 'end'],
  },
  postgres: {
    sql: `SELECT
    dep_a.iata || ':' || arr_a.iata AS route,
    COUNT(*)::integer AS bookings
FROM flight f
JOIN booking b ON b.flight_id = f.flight_id
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
WHERE f.departure >= $1 AND f.departure < $2
GROUP BY dep_a.iata, arr_a.iata
ORDER BY bookings DESC, route
LIMIT 50`,
    params: ['start', 'end'],
  },
});

export const userTravelRows = guideQuery({
  name: 'userTravelRows',
  guideStep: 'Part 3, Step 15',
  description:
    "Every flight of a passenger with airline, both airports' IATA codes and coordinates, and price: what the " +
    'profile summary (user:{id}:profile) and the frequent routes (user:{id}:routes) are computed from.',
  defaults: { passengerId: 12345 },
  mysql: {
    sql: `SELECT
    f.flight_id,
    f.departure,
    f.arrival,
    al.name AS airline_name,
    dep_a.iata AS dep_iata,
    arr_a.iata AS arr_iata,
    dep_ag.latitude AS dep_lat,
    dep_ag.longitude AS dep_lon,
    arr_ag.latitude AS arr_lat,
    arr_ag.longitude AS arr_lon,
    b.price
FROM booking b
JOIN flight f ON b.flight_id = f.flight_id
JOIN airline al ON f.airline_id = al.airline_id
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport_geo dep_ag ON dep_a.airport_id = dep_ag.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
JOIN airport_geo arr_ag ON arr_a.airport_id = arr_ag.airport_id
WHERE b.passenger_id = ?
ORDER BY f.departure`,
    params: ['passengerId'],
  },
  postgres: {
    sql: `SELECT
    f.flight_id,
    f.departure,
    f.arrival,
    al.name AS airline_name,
    dep_a.iata AS dep_iata,
    arr_a.iata AS arr_iata,
    dep_ag.latitude AS dep_lat,
    dep_ag.longitude AS dep_lon,
    arr_ag.latitude AS arr_lat,
    arr_ag.longitude AS arr_lon,
    b.price
FROM booking b
JOIN flight f ON b.flight_id = f.flight_id
JOIN airline al ON f.airline_id = al.airline_id
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport_geo dep_ag ON dep_a.airport_id = dep_ag.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
JOIN airport_geo arr_ag ON arr_a.airport_id = arr_ag.airport_id
WHERE b.passenger_id = $1
ORDER BY f.departure`,
    params: ['passengerId'],
  },
});

export const flightCapacity = guideQuery({
  name: 'flightCapacity',
  guideStep: 'Part 3, Step 16',
  description: "A flight's number, airplane model and seat count (the guide assumes 150 for flight 1001).",
  defaults: { flightId: 1001 },
  mysql: {
    sql: `SELECT f.flight_id, f.flightno, t.identifier AS airplane_type, a.capacity
FROM flight f
JOIN airplane a ON f.airplane_id = a.airplane_id
JOIN airplane_type t ON a.type_id = t.type_id
WHERE f.flight_id = ?`,
    params: ['flightId'],
  },
  postgres: {
    sql: `SELECT f.flight_id, f.flightno, t.identifier AS airplane_type, a.capacity
FROM flight f
JOIN airplane a ON f.airplane_id = a.airplane_id
JOIN airplane_type t ON a.type_id = t.type_id
WHERE f.flight_id = $1`,
    params: ['flightId'],
  },
});

export const bookedSeatsOfFlight = guideQuery({
  name: 'bookedSeatsOfFlight',
  guideStep: 'Part 3, Step 16',
  description: "A flight's booked seat labels, one row each: what the cached seat map is rebuilt from.",
  defaults: { flightId: 1001 },
  mysql: {
    sql: 'SELECT seat FROM booking WHERE flight_id = ? AND seat IS NOT NULL ORDER BY seat',
    params: ['flightId'],
  },
  postgres: {
    sql: 'SELECT seat FROM booking WHERE flight_id = $1 AND seat IS NOT NULL ORDER BY seat',
    params: ['flightId'],
  },
});

/**
 * Bookings the lab makes itself get ids from this number on, far above the dataset's (the full scale ends
 * near 55 million): they are easy to find, and cancelling one can never remove a booking of the dataset.
 */
export const LAB_BOOKING_ID_BASE = 1_600_000_000;
/** Room per flight: no airplane has more seats. */
const SEATS_PER_FLIGHT = 600;

/**
 * The id of the lab's booking of seat `bit` on a flight: one id per seat, so two attempts on one seat
 * collide on the primary key as well as on `(flight_id, seat)`, and either way the database refuses the second.
 */
export function labBookingId(flightId: number, bit: number): number {
  return LAB_BOOKING_ID_BASE + flightId * SEATS_PER_FLIGHT + bit;
}

/** The lab's booking statements, in the engine's placeholders. */
function bookingSql(dialect: Dialect): { insert: string; remove: string; removeAll: string } {
  const [p1, p2, p3, p4, p5] = [1, 2, 3, 4, 5].map(dialect.param);
  return {
    insert: `INSERT INTO booking (booking_id, flight_id, seat, passenger_id, price) VALUES (${p1}, ${p2}, ${p3}, ${p4}, ${p5})`,
    remove: `DELETE FROM booking WHERE booking_id = ${p1} AND flight_id = ${p2} AND seat = ${p3}`,
    removeAll: `DELETE FROM booking WHERE flight_id = ${p1} AND booking_id >= ${p2}`,
  };
}

/**
 * The database side of a flight's seats for `createSeatInventory`: one INSERT per booking (the unique
 * `(flight_id, seat)` key refuses a second), one DELETE per cancellation of a booking the lab made.
 */
export function bookingStore(engine: SqlEngine, flightId: number): SeatStore {
  const text = bookingSql(engine.dialect);
  const booked = bookedSeatsOfFlight[engine.kind].sql;
  return {
    async insertBooking({ seat, bit, passengerId, price }) {
      try {
        await engine.query(text.insert, [labBookingId(flightId, bit), flightId, seat, passengerId, price.toFixed(2)]);
        return true;
      } catch (error) {
        if (engine.dialect.isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async deleteBooking({ seat, bit }) {
      const { affectedRows } = await engine.query(text.remove, [labBookingId(flightId, bit), flightId, seat]);
      return affectedRows > 0;
    },
    async bookedSeats() {
      const { rows } = await engine.query<{ seat: string }>(booked, [flightId]);
      return rows.map((row) => row.seat.trim());
    },
  };
}

/** Removes every booking the lab made on a flight, straight in the database (tests' clean-up); returns how many. */
export async function removeLabBookings(engine: SqlEngine, flightId: number): Promise<number> {
  const { affectedRows } = await engine.query(bookingSql(engine.dialect).removeAll, [flightId, LAB_BOOKING_ID_BASE]);
  return affectedRows;
}

/** The `start`/`end` of `popularRoutes` for `days` days from `from` (UTC midnight on). */
export function dayWindow(from: Date, days: number): { start: string; end: string } {
  const start = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  const end = new Date(start.getTime() + days * 86_400_000);
  return { start: sqlTimestamp(start), end: sqlTimestamp(end) };
}

/** `days` calendar dates (YYYY-MM-DD) from `from` on: the dates warming fills. */
export function nextDates(from: Date | string, days: number): string[] {
  const first = typeof from === 'string' ? new Date(`${from}T00:00:00Z`) : from;
  const base = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(base + i * 86_400_000).toISOString().slice(0, 10));
}

/** Every Part 3 query beyond the guide's, by name. */
export const PART3_QUERIES = {
  flightSearchByRange,
  popularRoutes,
  userTravelRows,
  flightCapacity,
  bookedSeatsOfFlight,
} as const;
