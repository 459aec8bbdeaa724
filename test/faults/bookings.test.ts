// Fault suite: a hundred people booking four seats at the same moment, while others read availability; one
// winner per seat, and the database rows, the seat bitmap and the counters tell the same story afterwards.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, type EngineKind } from '../../src/config';
import { connectSql, type SqlEngine } from '../../src/db';
import { PostgresEngine } from '../../src/db/postgres/postgres-engine';
import { bookingStore, LAB_BOOKING_ID_BASE, removeLabBookings } from '../../src/queries/part3-extra';
import { createSeatInventory, seatLabel, type SeatChange, type SeatLayout } from '../../src/structures';
import { connectValkeyUrl, startPrivateValkey, type PrivateValkey } from '../../src/valkey';
import { ensureTinyDataset } from '../support/dataset';
import { testConfig } from '../support/lab';

// Not the flight the seat tests book on, so the two files can run side by side.
const FLIGHT = 1002;
const LAYOUT: SeatLayout = { capacity: 150, letters: 'ABCDEF' };
const ATTEMPTS = 100;
const SEATS = 4;
const ROUNDS = 3;

describe.each(ENGINE_KINDS)('concurrent bookings on %s', (kind: EngineKind) => {
  let engine: SqlEngine;
  let server: PrivateValkey;
  let valkey: Redis;
  let freeSeats: string[];
  let passengers: number[];

  beforeAll(async () => {
    engine = await connectSql(testConfig(), kind);
    if (engine instanceof PostgresEngine) {
      // A hundred statements queue for the pool's connections; on a busy machine the wait can pass the pool's
      // 5 s limit, which is not what this test is about.
      (engine.pool as unknown as { options: { connectionTimeoutMillis: number } }).options.connectionTimeoutMillis =
        60_000;
    }
    await ensureTinyDataset(engine);
    await removeLabBookings(engine, FLIGHT);
    server = await startPrivateValkey({ dir: mkdtempSync(path.join(tmpdir(), 'lab-bookings-')) });
    valkey = await connectValkeyUrl(server.url, { keyPrefix: 'lab:' });
    const { rows } = await engine.query<{ passenger_id: unknown }>(
      `SELECT passenger_id FROM passenger ORDER BY passenger_id LIMIT ${ATTEMPTS * ROUNDS}`,
    );
    passengers = rows.map((row) => Number(row.passenger_id));
    const booked = new Set(await bookingStore(engine, FLIGHT).bookedSeats());
    freeSeats = Array.from({ length: LAYOUT.capacity }, (_, bit) => seatLabel(LAYOUT, bit)).filter(
      (seat) => !booked.has(seat),
    );
  }, 120_000);
  afterAll(async () => {
    if (engine) await removeLabBookings(engine, FLIGHT);
    valkey?.disconnect();
    await server?.stop();
    await engine?.close();
  });

  /** The lab's bookings on the flight as the database has them: seat → passenger, one entry per row. */
  async function labRows(): Promise<Array<{ seat: string; passenger: number }>> {
    const p = (n: number) => engine.dialect.param(n);
    const { rows } = await engine.query<{ seat: string; passenger_id: unknown }>(
      `SELECT seat, passenger_id FROM booking WHERE flight_id = ${p(1)} AND booking_id >= ${p(2)}`,
      [FLIGHT, LAB_BOOKING_ID_BASE],
    );
    return rows.map((row) => ({ seat: row.seat.trim(), passenger: Number(row.passenger_id) }));
  }

  it(`${ROUNDS} rounds of ${ATTEMPTS} concurrent bookings over ${SEATS} seats: one winner each, and everything agrees`, async () => {
    const store = bookingStore(engine, FLIGHT);
    const seats = createSeatInventory(valkey, { flightId: FLIGHT, layout: LAYOUT, store, namespace: `${kind}:` });
    const soldBefore = (await store.bookedSeats()).length;
    await seats.availability();
    const winners = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const chosen = freeSeats.slice(round * SEATS, (round + 1) * SEATS);
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
      for (const seat of chosen) {
        const forSeat = done.filter((r) => r.seat === seat);
        const won = forSeat.filter((r) => r.change.outcome === 'booked');
        expect(won).toHaveLength(1);
        expect(forSeat.filter((r) => r.change.outcome === 'seat-taken')).toHaveLength(ATTEMPTS / SEATS - 1);
        winners.set(seat, won[0]!.passenger);
      }
    }

    // The database: one row per chosen seat, held by the attempt that was told it won.
    const rows = await labRows();
    expect(rows).toHaveLength(SEATS * ROUNDS);
    expect(new Map(rows.map((row) => [row.seat, row.passenger]))).toEqual(winners);
    const inDb = (await store.bookedSeats()).sort();
    expect(inDb).toHaveLength(soldBefore + SEATS * ROUNDS);
    // The bitmap: exactly the database's seats, bit by bit, and as many bits as rows.
    expect((await seats.bookedSeats()).sort()).toEqual(inDb);
    for (const seat of winners.keys()) expect(await seats.isBooked(seat)).toBe(true);
    expect(await valkey.bitcount(seats.keys.seatmap)).toBe(inDb.length);
    // The counters: booked and available add up to the airplane, and booked is the database's count.
    const counters = await valkey.hgetall(seats.keys.seats);
    expect(Number(counters.booked_seats)).toBe(inDb.length);
    expect(Number(counters.available_seats)).toBe(LAYOUT.capacity - inDb.length);
    expect(await valkey.zcard(seats.keys.pending)).toBe(0);
    console.log(
      `[faults] bookings ${kind}: ${ROUNDS} × ${ATTEMPTS} attempts over ${SEATS} seats · winners ${winners.size} · ` +
        `lab rows ${rows.length} · bitmap bits ${inDb.length} · booked_seats ${counters.booked_seats}`,
    );

    // Clean-up: the lab's bookings go, and a rebuild shows the flight as it was.
    expect(await removeLabBookings(engine, FLIGHT)).toBe(SEATS * ROUNDS);
    expect((await seats.rebuild()).booked_seats).toBe(soldBefore);
    await seats.clear();
  }, 120_000);
});
