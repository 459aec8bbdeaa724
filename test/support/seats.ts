// Seat-booking tests (one server, a cluster, the fault suite) share their set-up and their verdict: the
// database rows, the seat bitmap and the counters agree, and each seat has exactly one winner.

import type { Cluster, Redis } from 'iovalkey';
import { expect } from 'vitest';
import type { EngineKind } from '../../src/config';
import { connectSql, type SqlEngine } from '../../src/db';
import { PostgresEngine } from '../../src/db/postgres/postgres-engine';
import { bookingStore, removeLabBookings } from '../../src/queries/searches-and-bookings';
import {
  seatLabel,
  type SeatChange,
  type SeatCounters,
  type SeatInventory,
  type SeatLayout,
  type SeatStore,
} from '../../src/structures';
import { ensureTinyDataset } from './dataset';
import { testConfig } from './lab';

export const A320: SeatLayout = { capacity: 150, letters: 'ABCDEF' };

/** One flight of the tiny dataset, ready for the lab's bookings. */
export interface BookingFlight {
  engine: SqlEngine;
  store: SeatStore;
  /** The seats the dataset left free, in seat-map order. */
  freeSeats: string[];
  /** The booked seats as the database has them, sorted. */
  dbSeats(): Promise<string[]>;
  /** Removes the lab's bookings on the flight. */
  removeLabBookings(): Promise<number>;
  /** Removes them and closes the engine. */
  close(): Promise<void>;
}

/** Connects to `kind`'s test database with the tiny dataset, and clears the lab's bookings on `flightId`. */
export async function openBookingFlight(kind: EngineKind, flightId: number, layout = A320): Promise<BookingFlight> {
  const engine = await connectSql(testConfig(), kind);
  if (engine instanceof PostgresEngine) {
    // A hundred statements queue for the pool's connections; on a busy machine the wait can pass the pool's
    // 5 s limit, which is not what these tests are about.
    (engine.pool as unknown as { options: { connectionTimeoutMillis: number } }).options.connectionTimeoutMillis =
      60_000;
  }
  await ensureTinyDataset(engine);
  await removeLabBookings(engine, flightId);
  const store = bookingStore(engine, flightId);
  const booked = new Set(await store.bookedSeats());
  const freeSeats = Array.from({ length: layout.capacity }, (_, bit) => seatLabel(layout, bit)).filter(
    (seat) => !booked.has(seat),
  );
  return {
    engine,
    store,
    freeSeats,
    dbSeats: async () => (await store.bookedSeats()).sort(),
    removeLabBookings: () => removeLabBookings(engine, flightId),
    async close() {
      await removeLabBookings(engine, flightId);
      await engine.close();
    },
  };
}

/**
 * The cache tells the database's story: the bitmap holds exactly the booked seats (as many bits as rows),
 * the counters equal the count and add up to the airplane, and no booking is left in flight.
 */
export async function expectSeatsAgree(
  valkey: Redis | Cluster,
  seats: SeatInventory,
  flight: BookingFlight,
): Promise<{ inDb: string[]; counters: SeatCounters }> {
  const inDb = await flight.dbSeats();
  expect((await seats.bookedSeats()).sort()).toEqual(inDb);
  expect(await valkey.bitcount(seats.keys.seatmap)).toBe(inDb.length);
  const hash = await valkey.hgetall(seats.keys.seats);
  const counters = {
    total_seats: Number(hash.total_seats),
    booked_seats: Number(hash.booked_seats),
    available_seats: Number(hash.available_seats),
  };
  expect(counters).toEqual({
    total_seats: seats.layout.capacity,
    booked_seats: inDb.length,
    available_seats: seats.layout.capacity - inDb.length,
  });
  expect(await valkey.zcard(seats.keys.pending)).toBe(0);
  return { inDb, counters };
}

/** Every seat attempted has exactly one attempt told it won, and every other one told the seat was taken. */
export function expectOneWinnerPerSeat<A extends { seat: string; change: SeatChange }>(
  attempts: readonly A[],
): Map<string, A> {
  const winners = new Map<string, A>();
  for (const seat of new Set(attempts.map((a) => a.seat))) {
    const forSeat = attempts.filter((a) => a.seat === seat);
    const won = forSeat.filter((a) => a.change.outcome === 'booked');
    expect({ seat, won: won.length }).toEqual({ seat, won: 1 });
    expect(forSeat.filter((a) => a.change.outcome === 'seat-taken')).toHaveLength(forSeat.length - 1);
    winners.set(seat, won[0]!);
  }
  return winners;
}

/**
 * Sixty attempts at one free seat at once: one winner, whose booking updated the cache; one new row;
 * and the cache agrees with the database.
 */
export async function bookOneSeatSixtyTimes(
  valkey: Redis | Cluster,
  seats: SeatInventory,
  flight: BookingFlight,
  passengerId: number,
): Promise<void> {
  const seat = flight.freeSeats[0]!;
  const before = (await flight.dbSeats()).length;
  const attempts = await Promise.all(
    Array.from({ length: 60 }, async () => ({ seat, change: await seats.bookSeat(seat, passengerId) })),
  );
  expect(expectOneWinnerPerSeat(attempts).get(seat)!.change.cache).toBe('updated');
  const after = await flight.dbSeats();
  expect(after.filter((s) => s === seat)).toHaveLength(1);
  expect(after).toHaveLength(before + 1);
  expect(await seats.isBooked(seat)).toBe(true);
  await expectSeatsAgree(valkey, seats, flight);
}

/**
 * Forty seats booked by two passengers each while readers repair, then twenty of them cancelled twice over
 * while ten are booked again: the counts of winners are exact, and the cache agrees after each round.
 */
export async function bookAndCancelWithReaders(
  valkey: Redis | Cluster,
  seats: SeatInventory,
  flight: BookingFlight,
  passengerId: number,
): Promise<void> {
  await seats.availability();
  const chosen = flight.freeSeats.slice(0, 40);
  const readers = () => Array.from({ length: 10 }, () => seats.availability());
  const booked = await Promise.all([
    ...chosen.flatMap((seat) => [seats.bookSeat(seat, passengerId), seats.bookSeat(seat, passengerId + 1)]),
    ...readers(),
  ]);
  expect(booked.filter((r) => 'outcome' in r && r.outcome === 'booked')).toHaveLength(40);
  await expectSeatsAgree(valkey, seats, flight);
  const cancelled = await Promise.all([
    ...chosen.slice(0, 20).flatMap((seat) => [seats.cancelSeat(seat), seats.cancelSeat(seat)]),
    ...chosen.slice(20, 30).map((seat) => seats.bookSeat(seat, passengerId + 2)),
    ...readers(),
  ]);
  expect(cancelled.filter((r) => 'outcome' in r && r.outcome === 'cancelled')).toHaveLength(20);
  expect(cancelled.filter((r) => 'outcome' in r && r.outcome === 'seat-taken')).toHaveLength(10);
  await expectSeatsAgree(valkey, seats, flight);
  expect((await seats.availability()).booked_seats).toBe((await flight.dbSeats()).length);
}
