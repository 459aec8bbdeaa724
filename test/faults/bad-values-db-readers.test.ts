// Damaged cache entries under the readers backed by the database (write-through airport records, a flight's
// seats, a user's profile): the answer is the database's, the entry is replaced, and nothing crashes.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, type EngineKind } from '../../src/config';
import { connectSql, type SqlEngine } from '../../src/db';
import { ENTRY_MAX_CHARS } from '../../src/patterns/entries';
import { createWriteThrough, VERSION_FIELD, type Versioned } from '../../src/patterns/write-through';
import { runGuideQuery } from '../../src/queries';
import { bookingStore, removeLabBookings, userTravelRows } from '../../src/queries/searches-and-bookings';
import {
  dropPart4Tables,
  ensurePart4Tables,
  loadAirportRecord,
  renameAirport,
} from '../../src/queries/records-and-writes';
import { createSeatInventory, seatLabel, type SeatLayout, type SeatStore } from '../../src/structures/seats';
import {
  profileSummary,
  readProfile,
  routeCounts,
  storeProfile,
  type CachedProfile,
  type TravelRow,
} from '../../src/structures/user-profile';
import { clearLabKeys, connectValkeyUrl, startPrivateValkey, type PrivateValkey } from '../../src/valkey';
import { ensureTinyDataset } from '../support/dataset';
import { testConfig } from '../support/lab';

const FLIGHT = 1001;
const A320: SeatLayout = { capacity: 150, letters: 'ABCDEF' };
const PASSENGER = 12345;
const IATA = 'MUC';

type Airport = { iata: string; icao: string; name: string; city: string; country: string };
const isAirport = (value: unknown): value is Airport =>
  typeof value === 'object' &&
  value !== null &&
  ['iata', 'icao', 'name', 'city', 'country'].every(
    (field) => typeof (value as Record<string, unknown>)[field] === 'string',
  );

let server: PrivateValkey;
let valkey: Redis;
beforeAll(async () => {
  server = await startPrivateValkey({ dir: mkdtempSync(path.join(tmpdir(), 'lab-faults-db-')), removeDir: true });
  valkey = await connectValkeyUrl(server.url, { keyPrefix: 'faults:' });
});
afterAll(async () => {
  valkey?.disconnect();
  await server?.stop();
});

describe.each(ENGINE_KINDS)('damaged entries on %s', (kind: EngineKind) => {
  let sql: SqlEngine;
  let store: SeatStore;

  beforeAll(async () => {
    sql = await connectSql(testConfig(), kind);
    await ensureTinyDataset(sql);
    await ensurePart4Tables(sql);
    await removeLabBookings(sql, FLIGHT);
    store = bookingStore(sql, FLIGHT);
  }, 120_000);
  afterAll(async () => {
    if (sql) {
      await removeLabBookings(sql, FLIGHT);
      await dropPart4Tables(sql); // the dataset tests expect the dataset's tables alone
    }
    await sql?.close();
  });
  beforeEach(async () => {
    await clearLabKeys(valkey);
  });

  describe('write-through reads (airport HASH with a version)', () => {
    const key = `${kind}:airport:{${IATA}}`;
    const load = () => loadAirportRecord(sql, IATA) as Promise<Versioned<Airport> | null>;
    const entryOf = (record: Versioned<Airport>) => ({ ...record.value, [VERSION_FIELD]: String(record.version) });

    const DAMAGE: Array<[string, (db: Versioned<Airport>) => Promise<unknown>]> = [
      ['a HASH without its version', (db) => valkey.hset(key, db.value)],
      ['a version that is not a number', (db) => valkey.hset(key, { ...entryOf(db), [VERSION_FIELD]: 'v2' })],
      ['an empty version', (db) => valkey.hset(key, { ...entryOf(db), [VERSION_FIELD]: '' })],
      [
        'a field missing, at the current version',
        (db) => valkey.hset(key, entryOf(db)).then(() => valkey.hdel(key, 'name')),
      ],
      [
        'a field missing, at a version from the future',
        (db) => valkey.hset(key, { iata: IATA, [VERSION_FIELD]: String(db.version + 1000) }),
      ],
      ['an oversize field', (db) => valkey.hset(key, { ...entryOf(db), name: 'x'.repeat(ENTRY_MAX_CHARS) })],
      ['a string of garbage bytes', () => valkey.set(key, Buffer.from([0xff, 0x00, 0x81]))],
      ['an empty string', () => valkey.set(key, '')],
      ['a list', (db) => valkey.rpush(key, db.value.name)],
    ];

    it.each(DAMAGE)('%s is malformed, answered by the database and replaced', async (_name, damage) => {
      const db = (await load())!;
      await damage(db);
      const cache = createWriteThrough(valkey, { ttlSeconds: 300 });
      const read = await cache.read(key, load, { isValid: isAirport });
      expect(read).toMatchObject({ outcome: 'malformed', value: db.value, version: db.version });
      expect(read.problem).toBeTruthy();
      expect(await valkey.hgetall(key)).toEqual(entryOf(db));
      expect(await valkey.ttl(key)).toBeGreaterThan(0);
      expect(await cache.read(key, load, { isValid: isAirport })).toMatchObject({ outcome: 'hit', value: db.value });
    });

    it('a write over an entry whose version is not a number replaces it', async () => {
      const db = (await load())!;
      await valkey.hset(key, { ...entryOf(db), [VERSION_FIELD]: 'v2' });
      const cache = createWriteThrough(valkey, { ttlSeconds: 300 });
      const write = await cache.write(key, () => renameAirport(sql, IATA, db.value.name), load);
      expect(write.outcome).toBe('cached');
      expect((await valkey.hgetall(key))[VERSION_FIELD]).toBe(String((await load())!.version));
    });
  });

  describe("a flight's seats (counters HASH, seat map bitmap, pending intents)", () => {
    const inventory = () =>
      createSeatInventory(valkey, { flightId: FLIGHT, layout: A320, store, namespace: `${kind}:` });
    type Seats = ReturnType<typeof inventory>;
    const dbSeats = async () => (await store.bookedSeats()).sort();

    async function expectCacheMatchesDatabase(seats: Seats) {
      const inDb = await dbSeats();
      expect(await valkey.type(seats.keys.seats)).toBe('hash');
      expect(await valkey.type(seats.keys.seatmap)).toBe('string');
      expect(await valkey.strlen(seats.keys.seatmap)).toBe(Math.ceil(A320.capacity / 8));
      expect(['zset', 'none']).toContain(await valkey.type(seats.keys.pending));
      const counters = await valkey.hgetall(seats.keys.seats);
      expect(counters).toMatchObject({
        total_seats: String(A320.capacity),
        booked_seats: String(inDb.length),
        available_seats: String(A320.capacity - inDb.length),
      });
      expect(counters.version).toMatch(/^\d+$/);
      expect((await seats.bookedSeats()).sort()).toEqual(inDb);
    }

    const DAMAGE: Array<[string, (seats: Seats) => Promise<unknown>]> = [
      ['the counters key is a string', (s) => valkey.set(s.keys.seats, 'garbage')],
      ['the counters key is a list', (s) => valkey.del(s.keys.seats).then(() => valkey.rpush(s.keys.seats, '150'))],
      ['the seat map is a hash', (s) => valkey.del(s.keys.seatmap).then(() => valkey.hset(s.keys.seatmap, '1A', '1'))],
      ['the pending intents key is a string', (s) => valkey.set(s.keys.pending, 'garbage')],
      ['total_seats is not a number', (s) => valkey.hset(s.keys.seats, 'total_seats', 'many')],
      ['booked_seats is missing', (s) => valkey.hdel(s.keys.seats, 'booked_seats')],
      ['the counters do not add up', (s) => valkey.hincrby(s.keys.seats, 'available_seats', 5)],
      [
        'the counters disagree with the seat map',
        (s) =>
          valkey
            .hincrby(s.keys.seats, 'booked_seats', 1)
            .then(() => valkey.hincrby(s.keys.seats, 'available_seats', -1)),
      ],
      ['the version is not a number', (s) => valkey.hset(s.keys.seats, 'version', 'v7')],
      ['the seat map is an empty string', (s) => valkey.set(s.keys.seatmap, '')],
      [
        'the seat map is truncated',
        (s) => valkey.getrangeBuffer(s.keys.seatmap, 0, 4).then((b) => valkey.set(s.keys.seatmap, b)),
      ],
      ['the seat map is oversize', (s) => valkey.setrange(s.keys.seatmap, ENTRY_MAX_CHARS, 'x')],
      ['the seat map marks a bit past the last seat', (s) => valkey.setbit(s.keys.seatmap, A320.capacity + 1, 1)],
    ];

    it.each(DAMAGE)('%s: the next read repairs from the database, and booking works again', async (_name, damage) => {
      const seats = inventory();
      await seats.availability(); // built
      await damage(seats);
      const inDb = await dbSeats();
      const read = await seats.availability();
      expect(read).toMatchObject({ outcome: 'repaired', booked_seats: inDb.length, total_seats: A320.capacity });
      expect(read.problem).toBeTruthy();
      await expectCacheMatchesDatabase(seats);
      expect((await seats.availability()).outcome).toBe('hit');
      const free = Array.from({ length: A320.capacity }, (_, bit) => seatLabel(A320, bit)).find(
        (s) => !inDb.includes(s),
      )!;
      expect(await seats.bookSeat(free, PASSENGER)).toMatchObject({ outcome: 'booked', cache: 'updated' });
      expect(await seats.availability()).toMatchObject({ outcome: 'hit', booked_seats: inDb.length + 1 });
      await expectCacheMatchesDatabase(seats);
      await removeLabBookings(sql, FLIGHT);
    });

    it('bookedSeats and isBooked rebuild a damaged seat map instead of reading it', async () => {
      const seats = inventory();
      await seats.availability();
      await valkey.del(seats.keys.seatmap);
      await valkey.hset(seats.keys.seatmap, '1A', '1');
      const inDb = await dbSeats();
      expect(inDb.length).toBeGreaterThan(0); // the dataset books some seats of flight 1001
      expect(await seats.isBooked(inDb[0]!)).toBe(true);
      expect((await seats.bookedSeats()).sort()).toEqual(inDb);
      await valkey.set(seats.keys.seatmap, Buffer.alloc(3, 0xff)); // three bytes, all "booked"
      expect((await seats.bookedSeats()).sort()).toEqual(inDb);
    });

    it('a booking meeting damaged keys takes the seat in the database; the next read repairs the cache', async () => {
      const seats = inventory();
      await seats.availability();
      await valkey.hset(seats.keys.seats, 'booked_seats', 'x');
      await valkey.set(seats.keys.pending, 'garbage');
      const inDb = await dbSeats();
      const free = Array.from({ length: A320.capacity }, (_, bit) => seatLabel(A320, bit)).find(
        (s) => !inDb.includes(s),
      )!;
      const booking = await seats.bookSeat(free, PASSENGER);
      expect(booking.outcome).toBe('booked');
      expect(await dbSeats()).toContain(free);
      const read = await seats.availability();
      expect(read.booked_seats).toBe(inDb.length + 1);
      await expectCacheMatchesDatabase(seats);
      await removeLabBookings(sql, FLIGHT);
    });
  });

  describe("a user's profile (summary HASH and routes ZSET)", () => {
    const keys = { profile: `${kind}:user:${PASSENGER}:profile`, routes: `${kind}:user:${PASSENGER}:routes` };
    const load = async (): Promise<CachedProfile> => {
      const { rows } = await runGuideQuery(sql, userTravelRows, { passengerId: PASSENGER });
      const travel = rows as unknown as TravelRow[];
      return { summary: profileSummary(travel, testConfig().clock), routes: routeCounts(travel) };
    };

    const DAMAGE: Array<[string, (good: CachedProfile) => Promise<unknown>]> = [
      ['the profile is a string', () => valkey.set(keys.profile, Buffer.from([0xff, 0xfe]))],
      ['the routes are a hash', () => valkey.del(keys.routes).then(() => valkey.hset(keys.routes, 'JFK:LAX', '3'))],
      ['the profile has lost its status', () => valkey.hdel(keys.profile, 'status')],
      ['a count is not a number', () => valkey.hset(keys.profile, 'total_flights', 'many')],
      ['the status is unknown', () => valkey.hset(keys.profile, 'status', 'Diamond')],
      ['the routes count more flights than the profile', () => valkey.zincrby(keys.routes, 1, 'JFK:LAX')],
      ['the routes are gone', () => valkey.del(keys.routes)],
      ['an oversize field', () => valkey.hset(keys.profile, 'favorite_airline', 'x'.repeat(ENTRY_MAX_CHARS))],
    ];

    it.each(DAMAGE)('%s: malformed, computed from the database and replaced', async (_name, damage) => {
      const good = await load();
      expect(Number(good.summary.total_flights)).toBeGreaterThan(10);
      await storeProfile(valkey, keys, good.summary, good.routes, 60);
      expect((await readProfile(valkey, keys, 1800, load)).outcome).toBe('hit');
      await damage(good);
      const read = await readProfile(valkey, keys, 1800, load);
      expect(read).toMatchObject({ outcome: 'malformed', summary: good.summary, routes: good.routes });
      expect(read.problem).toBeTruthy();
      expect(await valkey.hgetall(keys.profile)).toEqual(good.summary);
      expect(await valkey.ttl(keys.profile)).toBeGreaterThan(60);
      expect(await valkey.ttl(keys.routes)).toBeGreaterThan(60);
      expect(await readProfile(valkey, keys, 1800, load)).toMatchObject({ outcome: 'hit', ...good });
    });
  });
});
