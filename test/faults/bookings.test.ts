// Fault suite: a hundred people booking four seats at the same moment, while others read availability; one
// winner per seat, and the database rows, the seat bitmap and the counters tell the same story afterwards.

import type Redis from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, type EngineKind } from '../../src/config';
import { LAB_BOOKING_ID_BASE } from '../../src/queries/searches-and-bookings';
import { createSeatInventory, type SeatChange } from '../../src/structures';
import {
  A320,
  expectOneWinnerPerSeat,
  expectSeatsAgree,
  openBookingFlight,
  type BookingFlight,
} from '../support/seats';
import { usePrivateValkey } from '../support/valkey';

// Not the flight the seat tests book on, so the two files can run side by side.
const FLIGHT = 1002;
const ATTEMPTS = 100;
const SEATS = 4;
const ROUNDS = 3;

describe.each(ENGINE_KINDS)('concurrent bookings on %s', (kind: EngineKind) => {
  let flight: BookingFlight;
  let valkey: Redis;
  let passengers: number[];

  usePrivateValkey('bookings', (client) => (valkey = client), { clearKeys: false });
  beforeAll(async () => {
    flight = await openBookingFlight(kind, FLIGHT);
    const { rows } = await flight.engine.query<{ passenger_id: unknown }>(
      `SELECT passenger_id FROM passenger ORDER BY passenger_id LIMIT ${ATTEMPTS * ROUNDS}`,
    );
    passengers = rows.map((row) => Number(row.passenger_id));
  }, 120_000);
  afterAll(async () => {
    await flight?.close();
  });

  /** The lab's bookings on the flight as the database has them: seat → passenger, one entry per row. */
  async function labRows(): Promise<Array<{ seat: string; passenger: number }>> {
    const p = (n: number) => flight.engine.dialect.param(n);
    const { rows } = await flight.engine.query<{ seat: string; passenger_id: unknown }>(
      `SELECT seat, passenger_id FROM booking WHERE flight_id = ${p(1)} AND booking_id >= ${p(2)}`,
      [FLIGHT, LAB_BOOKING_ID_BASE],
    );
    return rows.map((row) => ({ seat: row.seat.trim(), passenger: Number(row.passenger_id) }));
  }

  it(`${ROUNDS} rounds of ${ATTEMPTS} concurrent bookings over ${SEATS} seats: one winner each, and everything agrees`, async () => {
    const seats = createSeatInventory(valkey, {
      flightId: FLIGHT,
      layout: A320,
      store: flight.store,
      namespace: `${kind}:`,
    });
    const soldBefore = (await flight.dbSeats()).length;
    await seats.availability();
    const winners = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const chosen = flight.freeSeats.slice(round * SEATS, (round + 1) * SEATS);
      // Each attempt is a different passenger (as far as the dataset has them), so the row names who won.
      const attempts = Array.from({ length: ATTEMPTS }, (_, i) => ({
        seat: chosen[i % SEATS]!,
        passenger: passengers[(round * ATTEMPTS + i) % passengers.length]!,
      }));
      const results = await Promise.all([
        ...attempts.map(async ({ seat, passenger }) => ({
          seat,
          passenger,
          change: await seats.bookSeat(seat, passenger),
        })),
        ...Array.from({ length: 10 }, () => seats.availability().then(() => null)),
      ]);
      const done = results.filter((r): r is { seat: string; passenger: number; change: SeatChange } => r !== null);
      const won = expectOneWinnerPerSeat(done);
      expect([...won.keys()].sort()).toEqual([...chosen].sort());
      for (const [seat, winner] of won) winners.set(seat, winner.passenger);
    }

    // The database: one row per chosen seat, held by the attempt that was told it won.
    const rows = await labRows();
    expect(rows).toHaveLength(SEATS * ROUNDS);
    expect(new Map(rows.map((row) => [row.seat, row.passenger]))).toEqual(winners);
    // The bitmap and the counters: exactly the database's seats, and its count.
    const { inDb, counters } = await expectSeatsAgree(valkey, seats, flight);
    expect(inDb).toHaveLength(soldBefore + SEATS * ROUNDS);
    for (const seat of winners.keys()) expect(await seats.isBooked(seat)).toBe(true);
    console.log(
      `[faults] bookings ${kind}: ${ROUNDS} × ${ATTEMPTS} attempts over ${SEATS} seats · winners ${winners.size} · ` +
        `lab rows ${rows.length} · bitmap bits ${inDb.length} · booked_seats ${counters.booked_seats}`,
    );

    // Clean-up: the lab's bookings go, and a rebuild shows the flight as it was.
    expect(await flight.removeLabBookings()).toBe(SEATS * ROUNDS);
    expect((await seats.rebuild()).booked_seats).toBe(soldBefore);
    await seats.clear();
  }, 120_000);
});
