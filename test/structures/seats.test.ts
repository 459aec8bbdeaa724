import type Redis from 'iovalkey';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, type EngineKind } from '../../src/config';
import {
  createSeatInventory,
  seatBit,
  seatLabel,
  type SeatInventoryOptions,
  type SeatStore,
} from '../../src/structures';
import {
  A320,
  bookAndCancelWithReaders,
  bookOneSeatSixtyTimes,
  expectSeatsAgree,
  openBookingFlight,
  type BookingFlight,
} from '../support/seats';
import { usePrivateValkey } from '../support/valkey';

const FLIGHT = 1001;
const PASSENGER = 12345;

describe('the seat map and its bit numbering', () => {
  it('numbers seats row by row, left to right', () => {
    expect([seatBit(A320, '1A'), seatBit(A320, '1F'), seatBit(A320, '2A'), seatBit(A320, '25F')]).toEqual([
      0, 5, 6, 149,
    ]);
    for (let bit = 0; bit < A320.capacity; bit++) expect(seatBit(A320, seatLabel(A320, bit))).toBe(bit);
  });

  it.each(['26A', '1G', '0A', 'A1', ''])('refuses "%s", which is not a seat of the airplane', (seat) => {
    expect(() => seatBit(A320, seat)).toThrow(/not a seat of this airplane/);
  });
});

describe.each(ENGINE_KINDS)('seat booking on %s', (kind: EngineKind) => {
  let flight: BookingFlight;
  let valkey: Redis;

  const inventory = (options: Partial<SeatInventoryOptions> = {}) =>
    createSeatInventory(valkey, {
      flightId: FLIGHT,
      layout: A320,
      store: flight.store,
      namespace: `${kind}:`,
      ...options,
    });

  usePrivateValkey('seats', (client) => (valkey = client));
  beforeAll(async () => {
    flight = await openBookingFlight(kind, FLIGHT);
  }, 120_000);
  afterEach(async () => {
    await flight.removeLabBookings();
  });
  afterAll(async () => {
    await flight?.close();
  });

  it('builds the counters and seat map from the database on the first read, then hits', async () => {
    const seats = inventory();
    const first = await seats.availability();
    const second = await seats.availability();
    expect([first.outcome, second.outcome]).toEqual(['built', 'hit']);
    expect(second.booked_seats).toBe((await flight.dbSeats()).length);
    expect(seats.keys.seats).toBe(`${kind}:flight:{${FLIGHT}}:seats`);
    await expectSeatsAgree(valkey, seats, flight);
  });

  it('gives a seat to exactly one of 60 concurrent attempts: one row, one bit, counters equal to the database', async () => {
    const seats = inventory();
    await seats.availability();
    await bookOneSeatSixtyTimes(valkey, seats, flight, PASSENGER);
  });

  it('keeps the counters exact through concurrent bookings, duplicates, cancellations and repairing readers', async () => {
    // settleMs 0: every read treats in-flight intents as abandoned and rebuilds while writers run.
    await bookAndCancelWithReaders(valkey, inventory({ settleMs: 0 }), flight, PASSENGER);
  });

  it('repairs a booking whose process died between the database commit and the cache update on the next read', async () => {
    const seats = inventory({ settleMs: 50 });
    const built = await seats.availability();
    const seat = flight.freeSeats[1]!;
    const crashed = await seats.bookSeat(seat, PASSENGER, { crashAfterCommit: true });
    expect(crashed).toMatchObject({ outcome: 'crashed-after-commit', cache: 'skipped' });
    expect((await flight.dbSeats()).includes(seat)).toBe(true);
    expect(await seats.isBooked(seat)).toBe(false); // the disagreement the crash left
    expect(await valkey.zcard(seats.keys.pending)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const next = await seats.availability();
    expect(next).toMatchObject({ outcome: 'repaired', abandonedIntents: 1, booked_seats: built.booked_seats + 1 });
    expect(await seats.isBooked(seat)).toBe(true);
    await expectSeatsAgree(valkey, seats, flight);

    const crashedCancel = await seats.cancelSeat(seat, { crashAfterCommit: true });
    expect(crashedCancel.outcome).toBe('crashed-after-commit');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await seats.availability()).outcome).toBe('repaired');
    expect(await seats.isBooked(seat)).toBe(false);
    await expectSeatsAgree(valkey, seats, flight);
  });

  it('does not let a rebuild that read the database before a booking write its older picture over it', async () => {
    const seat = flight.freeSeats[2]!;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    const slowStore: SeatStore = {
      ...flight.store,
      async bookedSeats() {
        const seen = await flight.store.bookedSeats();
        if (++reads === 1) await gate; // the first rebuild holds its (soon outdated) answer
        return seen;
      },
    };
    const seats = inventory({ store: slowStore });
    const reading = seats.availability(); // keys missing: builds, and waits at the gate
    await new Promise((resolve) => setTimeout(resolve, 50));
    const booking = await inventory().bookSeat(seat, PASSENGER); // meanwhile, a booking lands
    expect(booking.outcome).toBe('booked');
    release();
    const read = await reading;
    expect(reads).toBeGreaterThan(1); // the first write was refused and the rebuild ran again
    expect(read.booked_seats).toBe((await flight.dbSeats()).length);
    expect(await seats.isBooked(seat)).toBe(true);
    await expectSeatsAgree(valkey, seats, flight);
  });

  it('refuses a seat the dataset already sold, and leaves the cache as it was', async () => {
    const seats = inventory();
    const taken = (await flight.dbSeats())[0]!;
    const before = await seats.availability();
    const result = await seats.bookSeat(taken, PASSENGER);
    expect(result).toMatchObject({ outcome: 'seat-taken', cache: 'skipped' });
    expect(await seats.availability()).toMatchObject({ outcome: 'hit', version: before.version });
    expect((await seats.cancelSeat(taken)).outcome).toBe('not-booked'); // never cancels the dataset's booking
    expect((await flight.dbSeats()).includes(taken)).toBe(true);
  });

  it('applies nothing to a cache that does not exist yet, and the next read builds it with the booking', async () => {
    const seats = inventory();
    const seat = flight.freeSeats[3]!;
    const result = await seats.bookSeat(seat, PASSENGER);
    expect(result).toMatchObject({ outcome: 'booked', cache: 'absent' });
    const read = await seats.availability();
    expect(read.outcome).toBe('built');
    expect(await seats.isBooked(seat)).toBe(true);
    await expectSeatsAgree(valkey, seats, flight);
  });
});
