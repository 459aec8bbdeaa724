import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, type EngineKind } from '../../src/config';
import { connectSql, type SqlEngine } from '../../src/db';
import { PostgresEngine } from '../../src/db/postgres/postgres-engine';
import { bookingStore, removeLabBookings } from '../../src/queries/part3-extra';
import {
  createSeatInventory,
  seatBit,
  seatLabel,
  type SeatInventoryOptions,
  type SeatLayout,
  type SeatStore,
} from '../../src/structures';
import { clearLabKeys, connectValkeyUrl, startPrivateValkey, type PrivateValkey } from '../../src/valkey';
import { ensureTinyDataset } from '../support/dataset';
import { testConfig } from '../support/lab';

const FLIGHT = 1001;
const A320: SeatLayout = { capacity: 150, letters: 'ABCDEF' };
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
  let engine: SqlEngine;
  let server: PrivateValkey;
  let valkey: Redis;
  let store: SeatStore;
  let freeSeats: string[];

  const inventory = (options: Partial<SeatInventoryOptions> = {}) =>
    createSeatInventory(valkey, { flightId: FLIGHT, layout: A320, store, namespace: `${kind}:`, ...options });
  const dbSeats = async () => (await store.bookedSeats()).sort();

  beforeAll(async () => {
    engine = await connectSql(testConfig(), kind);
    if (engine instanceof PostgresEngine) {
      // Sixty statements queue for the pool's eight connections; on a busy machine the wait can pass the
      // pool's 5 s limit, which is not what these tests are about.
      (engine.pool as unknown as { options: { connectionTimeoutMillis: number } }).options.connectionTimeoutMillis =
        60_000;
    }
    await ensureTinyDataset(engine);
    await removeLabBookings(engine, FLIGHT);
    server = await startPrivateValkey({ dir: mkdtempSync(path.join(tmpdir(), 'lab-seats-')) });
    valkey = await connectValkeyUrl(server.url, { keyPrefix: 'lab:' });
    store = bookingStore(engine, FLIGHT);
    const booked = new Set(await store.bookedSeats());
    freeSeats = Array.from({ length: A320.capacity }, (_, bit) => seatLabel(A320, bit)).filter((s) => !booked.has(s));
  }, 120_000);
  afterEach(async () => {
    await removeLabBookings(engine, FLIGHT);
    await clearLabKeys(valkey);
  });
  afterAll(async () => {
    if (engine) await removeLabBookings(engine, FLIGHT);
    valkey?.disconnect();
    await server?.stop();
    await engine?.close();
  });

  /** The cache agrees with the database: the same booked seats, counters equal to the count, no intents left. */
  async function expectCacheMatchesDatabase(seats: ReturnType<typeof inventory>) {
    const inDb = await dbSeats();
    const counters = await valkey.hgetall(seats.keys.seats);
    expect((await seats.bookedSeats()).sort()).toEqual(inDb);
    expect(Number(counters.booked_seats)).toBe(inDb.length);
    expect(Number(counters.available_seats)).toBe(A320.capacity - inDb.length);
    expect(Number(counters.total_seats)).toBe(A320.capacity);
    expect(await valkey.zcard(seats.keys.pending)).toBe(0);
  }

  it('builds the counters and seat map from the database on the first read, then hits', async () => {
    const seats = inventory();
    const first = await seats.availability();
    const second = await seats.availability();
    expect([first.outcome, second.outcome]).toEqual(['built', 'hit']);
    expect(second.booked_seats).toBe((await dbSeats()).length);
    expect(seats.keys.seats).toBe(`${kind}:flight:{${FLIGHT}}:seats`);
    await expectCacheMatchesDatabase(seats);
  });

  it('gives a seat to exactly one of 60 concurrent attempts: one row, one bit, counters equal to the database', async () => {
    const seats = inventory();
    await seats.availability();
    const seat = freeSeats[0]!;
    const before = (await dbSeats()).length;
    const results = await Promise.all(Array.from({ length: 60 }, () => seats.bookSeat(seat, PASSENGER)));
    expect(results.filter((r) => r.outcome === 'booked')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'seat-taken')).toHaveLength(59);
    expect(results.find((r) => r.outcome === 'booked')!.cache).toBe('updated');
    expect((await dbSeats()).filter((s) => s === seat)).toHaveLength(1);
    expect(await dbSeats()).toHaveLength(before + 1);
    expect(await seats.isBooked(seat)).toBe(true);
    await expectCacheMatchesDatabase(seats);
  });

  it('keeps the counters exact through concurrent bookings, duplicates, cancellations and repairing readers', async () => {
    // settleMs 0: every read treats in-flight intents as abandoned and rebuilds while writers run.
    const seats = inventory({ settleMs: 0 });
    await seats.availability();
    const chosen = freeSeats.slice(0, 40);
    const readers = () => Array.from({ length: 10 }, () => seats.availability());
    const booked = await Promise.all([
      ...chosen.flatMap((seat) => [seats.bookSeat(seat, PASSENGER), seats.bookSeat(seat, PASSENGER + 1)]),
      ...readers(),
    ]);
    expect(booked.filter((r) => 'outcome' in r && r.outcome === 'booked')).toHaveLength(40);
    await expectCacheMatchesDatabase(seats);
    const cancelled = await Promise.all([
      ...chosen.slice(0, 20).flatMap((seat) => [seats.cancelSeat(seat), seats.cancelSeat(seat)]),
      ...chosen.slice(20, 30).map((seat) => seats.bookSeat(seat, PASSENGER + 2)),
      ...readers(),
    ]);
    expect(cancelled.filter((r) => 'outcome' in r && r.outcome === 'cancelled')).toHaveLength(20);
    expect(cancelled.filter((r) => 'outcome' in r && r.outcome === 'seat-taken')).toHaveLength(10);
    await expectCacheMatchesDatabase(seats);
    const last = await seats.availability();
    expect(last.booked_seats).toBe((await dbSeats()).length);
  });

  it('repairs a booking whose process died between the database commit and the cache update on the next read', async () => {
    const seats = inventory({ settleMs: 50 });
    const built = await seats.availability();
    const seat = freeSeats[1]!;
    const crashed = await seats.bookSeat(seat, PASSENGER, { crashAfterCommit: true });
    expect(crashed).toMatchObject({ outcome: 'crashed-after-commit', cache: 'skipped' });
    expect((await dbSeats()).includes(seat)).toBe(true);
    expect(await seats.isBooked(seat)).toBe(false); // the disagreement the crash left
    expect(await valkey.zcard(seats.keys.pending)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const next = await seats.availability();
    expect(next).toMatchObject({ outcome: 'repaired', abandonedIntents: 1, booked_seats: built.booked_seats + 1 });
    expect(await seats.isBooked(seat)).toBe(true);
    await expectCacheMatchesDatabase(seats);

    const crashedCancel = await seats.cancelSeat(seat, { crashAfterCommit: true });
    expect(crashedCancel.outcome).toBe('crashed-after-commit');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await seats.availability()).outcome).toBe('repaired');
    expect(await seats.isBooked(seat)).toBe(false);
    await expectCacheMatchesDatabase(seats);
  });

  it('does not let a rebuild that read the database before a booking write its older picture over it', async () => {
    const seat = freeSeats[2]!;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    const slowStore: SeatStore = {
      ...store,
      async bookedSeats() {
        const seen = await store.bookedSeats();
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
    expect(read.booked_seats).toBe((await dbSeats()).length);
    expect(await seats.isBooked(seat)).toBe(true);
    await expectCacheMatchesDatabase(seats);
  });

  it('refuses a seat the dataset already sold, and leaves the cache as it was', async () => {
    const seats = inventory();
    const taken = (await dbSeats())[0]!;
    const before = await seats.availability();
    const result = await seats.bookSeat(taken, PASSENGER);
    expect(result).toMatchObject({ outcome: 'seat-taken', cache: 'skipped' });
    expect(await seats.availability()).toMatchObject({ outcome: 'hit', version: before.version });
    expect((await seats.cancelSeat(taken)).outcome).toBe('not-booked'); // never cancels the dataset's booking
    expect((await dbSeats()).includes(taken)).toBe(true);
  });

  it('applies nothing to a cache that does not exist yet, and the next read builds it with the booking', async () => {
    const seats = inventory();
    const seat = freeSeats[3]!;
    const result = await seats.bookSeat(seat, PASSENGER);
    expect(result).toMatchObject({ outcome: 'booked', cache: 'absent' });
    const read = await seats.availability();
    expect(read.outcome).toBe('built');
    expect(await seats.isBooked(seat)).toBe(true);
    await expectCacheMatchesDatabase(seats);
  });
});
