// The seat-booking concurrency tests of part 3, run with the cache on a real three-primary Valkey Cluster.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Cluster } from 'iovalkey';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, type EngineKind } from '../../src/config';
import { connectSql, type SqlEngine } from '../../src/db';
import { PostgresEngine } from '../../src/db/postgres/postgres-engine';
import { bookingStore, removeLabBookings } from '../../src/queries/part3-extra';
import { createSeatInventory, seatLabel, type SeatLayout, type SeatStore } from '../../src/structures';
import { clearLabKeys, connectValkeyCluster, startLocalCluster, type LocalCluster } from '../../src/valkey';
import { ensureTinyDataset } from '../support/dataset';
import { testConfig } from '../support/lab';

const FLIGHT = 1001;
const A320: SeatLayout = { capacity: 150, letters: 'ABCDEF' };
const PASSENGER = 12345;

let cluster: LocalCluster;
let valkey: Cluster;
beforeAll(async () => {
  cluster = await startLocalCluster({ dir: mkdtempSync(path.join(tmpdir(), 'lab-seats-cluster-')) });
  valkey = await connectValkeyCluster(cluster.seeds, { keyPrefix: 'lab:' });
}, 60_000);
afterAll(async () => {
  valkey?.disconnect();
  await cluster?.stop();
});

describe.each(ENGINE_KINDS)('seat booking on %s with the cache on a Valkey Cluster', (kind: EngineKind) => {
  let engine: SqlEngine;
  let store: SeatStore;
  let freeSeats: string[];

  const inventory = (settleMs?: number) =>
    createSeatInventory(valkey, {
      flightId: FLIGHT,
      layout: A320,
      store,
      namespace: `${kind}:`,
      ...(settleMs === undefined ? {} : { settleMs }),
    });
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
    await engine?.close();
  });

  async function expectCacheMatchesDatabase(seats: ReturnType<typeof inventory>) {
    const inDb = await dbSeats();
    const counters = await valkey.hgetall(seats.keys.seats);
    expect((await seats.bookedSeats()).sort()).toEqual(inDb);
    expect(Number(counters.booked_seats)).toBe(inDb.length);
    expect(Number(counters.available_seats)).toBe(A320.capacity - inDb.length);
    expect(Number(counters.total_seats)).toBe(A320.capacity);
    expect(await valkey.zcard(seats.keys.pending)).toBe(0);
  }

  it('keeps every key of the flight in one hash slot, so its scripts run on one node', async () => {
    const keys = Object.values(inventory().keys);
    expect(keys).toHaveLength(3);
    const slots = await Promise.all(keys.map((k) => valkey.cluster('KEYSLOT', `lab:${k}`)));
    expect(new Set(slots).size).toBe(1);
  });

  it('gives a seat to exactly one of 60 concurrent attempts: one row, one bit, counters equal to the database', async () => {
    const seats = inventory();
    expect((await seats.availability()).outcome).toBe('built');
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
    const seats = inventory(0);
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
    expect((await seats.availability()).booked_seats).toBe((await dbSeats()).length);
  });
});
