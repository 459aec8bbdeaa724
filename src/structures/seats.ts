// A flight's seats in Valkey: counters in a HASH, the seat map as a bitmap, kept in step with the database.

import type { Cluster, Redis } from 'iovalkey';
import { createHash, randomUUID } from 'node:crypto';
import { LabError } from '../errors';
import { isWrongType } from '../patterns/entries';

/**
 * How seat labels map to bits. Seats are numbered row by row, left to right: in a six-abreast cabin
 * (`letters: 'ABCDEF'`) seat 1A is bit 0, 1F bit 5, 2A bit 6, and seat `<row><letter>` is bit
 * `(row - 1) × letters.length + position of letter`. A set bit means the seat is booked.
 */
export interface SeatLayout {
  /** Seats on the airplane (bits 0 .. capacity - 1). */
  capacity: number;
  /** The seat letters of one row, left to right. */
  letters: string;
}

/** The bit of a seat label (`12C`), or a LabError when the label is not a seat of this layout. */
export function seatBit(layout: SeatLayout, seat: string): number {
  const match = /^(\d{1,3})([A-Z])$/.exec(seat.trim());
  const position = match ? layout.letters.indexOf(match[2]!) : -1;
  const bit = match && position >= 0 ? (Number(match[1]) - 1) * layout.letters.length + position : -1;
  if (!match || position < 0 || bit < 0 || bit >= layout.capacity) {
    throw new LabError({
      what: `"${seat}" is not a seat of this airplane (${layout.capacity} seats, rows of ${layout.letters})`,
      fix: `Use a row number and one of the letters ${layout.letters.split('').join(', ')}, e.g. 1${layout.letters[0]}.`,
    });
  }
  return bit;
}

/** The seat label of a bit: the inverse of `seatBit`. */
export function seatLabel(layout: SeatLayout, bit: number): string {
  if (!Number.isInteger(bit) || bit < 0 || bit >= layout.capacity) {
    throw new LabError({ what: `Bit ${bit} is outside the seat map (0 .. ${layout.capacity - 1})` });
  }
  const row = Math.floor(bit / layout.letters.length) + 1;
  return `${row}${layout.letters[bit % layout.letters.length]}`;
}

/**
 * The database side of a flight's seats (the caller supplies it, so this file never talks SQL).
 * The database decides who gets a seat: `insertBooking` must be one atomic write guarded by the
 * unique `(flight_id, seat)` key.
 */
export interface SeatStore {
  /** Books the seat; `false` when the seat is already taken (the unique key refused the row). */
  insertBooking(booking: { seat: string; bit: number; passengerId: number; price: number }): Promise<boolean>;
  /** Cancels a booking made through `insertBooking`; `false` when there was none. */
  deleteBooking(booking: { seat: string; bit: number }): Promise<boolean>;
  /** Every booked seat label of the flight, as the database has it now. */
  bookedSeats(): Promise<string[]>;
}

/** The Valkey keys of one flight; they share the hash tag `{<flight id>}`, so a cluster keeps them in one slot. */
export interface SeatKeys {
  /** HASH: total_seats, booked_seats, available_seats, and a version bumped by every change. */
  seats: string;
  /** Bitmap: one bit per seat, 1 = booked. */
  seatmap: string;
  /** ZSET of intents: a booking or cancellation in progress, scored by when it started (ms). */
  pending: string;
}

/** The guide's `flight:{id}:seats` and `flight:{id}:seatmap`, after an optional namespace (`mysql:`...). */
export function seatKeys(flightId: number, namespace = ''): SeatKeys {
  if (!Number.isInteger(flightId) || flightId <= 0) {
    throw new LabError({ what: `Flight id ${flightId} is not a positive whole number` });
  }
  const base = `${namespace}flight:{${flightId}}`;
  return { seats: `${base}:seats`, seatmap: `${base}:seatmap`, pending: `${base}:pending` };
}

/**
 * What a booking or cancellation did:
 * - `booked` / `cancelled`: the database took the change and the cache followed;
 * - `seat-taken`: another booking already holds the seat (the database refused ours; the cache is untouched);
 * - `not-booked`: there was nothing to cancel;
 * - `crashed-after-commit`: a drill: the database took the change, and the process "died" before the cache
 *   update, leaving its intent behind for the next read to find.
 */
export type SeatOutcome = 'booked' | 'cancelled' | 'seat-taken' | 'not-booked' | 'crashed-after-commit';

/**
 * What the cache step did: `updated` (bit flipped, counters moved), `unchanged` (the bit already said so:
 * counters left alone, so a repeated update never counts twice), `absent` (no seat map cached yet: the
 * next read builds it from the database), `skipped` (no cache step: the database refused, or the drill),
 * `failed` (Valkey did not answer, or the cached keys were damaged, after the database took the change: the
 * intent left behind gets it repaired).
 */
export type SeatCacheStep = 'updated' | 'unchanged' | 'absent' | 'skipped' | 'failed';

export interface SeatChange {
  outcome: SeatOutcome;
  seat: string;
  bit: number;
  cache: SeatCacheStep;
  elapsedMs: number;
}

export interface SeatCounters {
  total_seats: number;
  booked_seats: number;
  available_seats: number;
}

/**
 * How a read went: `hit` (the cache answered), `built` (keys were missing: built from the database),
 * `repaired` (an abandoned intent said the cache might disagree with the database, or the keys were damaged:
 * another type, counters that are not numbers or do not add up, a seat map of the wrong size or disagreeing
 * with the counters; rebuilt from the database), `database` (the rebuild kept racing live writers: the
 * database answered and the cache was left to them).
 */
export type SeatReadOutcome = 'hit' | 'built' | 'repaired' | 'database';

export interface SeatAvailability extends SeatCounters {
  outcome: SeatReadOutcome;
  /** Bumped by every change to the cached seats. */
  version: number;
  /** Abandoned intents the read found (and cleared by rebuilding). */
  abandonedIntents: number;
  elapsedMs: number;
  /** What was damaged in the cached keys, when the read repaired them. */
  problem?: string;
}

export interface SeatInventoryOptions {
  flightId: number;
  layout: SeatLayout;
  store: SeatStore;
  /** Put in front of every key (e.g. the engine's name), so two datasets never share seat keys. */
  namespace?: string;
  /**
   * An intent older than this belongs to a booking that has finished or died, so its database outcome is
   * final and a read may rebuild from the database. Longer than any booking takes (default 5000 ms). Intents
   * carry the writer's clock, so the application servers' clocks must agree to well within this.
   */
  settleMs?: number;
  /** Rebuild attempts before a read gives up racing live writers and answers from the database (default 5). */
  rebuildAttempts?: number;
}

export interface SeatInventory {
  readonly keys: SeatKeys;
  readonly layout: SeatLayout;
  /** Books a seat: the database decides; the cache changes only for the winner, in one atomic step. */
  bookSeat(
    seat: string,
    passengerId: number,
    options?: { price?: number; crashAfterCommit?: boolean },
  ): Promise<SeatChange>;
  /** Cancels a booking through the same path, so the cache follows. */
  cancelSeat(seat: string, options?: { crashAfterCommit?: boolean }): Promise<SeatChange>;
  /** The counters, from the cache; builds or repairs it from the database first when needed. */
  availability(): Promise<SeatAvailability>;
  /** Whether the cached seat map says the seat is booked (a damaged map is rebuilt from the database first). */
  isBooked(seat: string): Promise<boolean>;
  /** The booked seat labels according to the cached bitmap, in bit order (a damaged map is rebuilt first). */
  bookedSeats(): Promise<string[]>;
  /** Rebuilds the cached seats from the database unconditionally (e.g. at start-up). */
  rebuild(): Promise<SeatAvailability>;
  /** Removes the flight's keys. */
  clear(): Promise<void>;
}

// Why Lua and not MULTI/EXEC with WATCH: whether the counters move depends on the bit's old value, which
// SETBIT returns. Inside MULTI no command can see another's reply, so the branch would need WATCH, a read,
// and a retry whenever anyone else touched the keys: with fifty bookings in flight on one flight that is a
// retry storm. A script runs the read, the branch and the writes as one step on the server, in one round trip.

/** KEYS: seats, seatmap, pending · ARGV: bit, 1 = book / 0 = cancel, intent. */
const APPLY_CHANGE = `
-- Damaged keys (another type, counters that are not numbers) are left for the next read to rebuild from the
-- database, and the intent with them: a half-applied change would leave them worse.
local seats = redis.call('TYPE', KEYS[1])['ok']
local map = redis.call('TYPE', KEYS[2])['ok']
if (seats ~= 'hash' and seats ~= 'none') or (map ~= 'string' and map ~= 'none') then return 'failed' end
for _, value in ipairs(redis.call('HMGET', KEYS[1], 'version', 'booked_seats', 'available_seats')) do
  if value and not string.match(value, '^%d+$') then return 'failed' end
end
redis.call('ZREM', KEYS[3], ARGV[3])
if redis.call('HEXISTS', KEYS[1], 'total_seats') == 0 then
  -- No seat map cached yet. Bump the version anyway, so a rebuild that read the database before this
  -- change cannot write its (older) picture over it.
  redis.call('HINCRBY', KEYS[1], 'version', 1)
  return 'absent'
end
local want = tonumber(ARGV[2])
local old = redis.call('SETBIT', KEYS[2], tonumber(ARGV[1]), want)
if old == want then return 'unchanged' end
local delta = want == 1 and 1 or -1
redis.call('HINCRBY', KEYS[1], 'booked_seats', delta)
redis.call('HINCRBY', KEYS[1], 'available_seats', -delta)
redis.call('HINCRBY', KEYS[1], 'version', 1)
return 'updated'
`;

/** KEYS: seats, seatmap, pending · ARGV: expected version, capacity, intent count, intents..., booked bits... */
const WRITE_REBUILD = `
local current = '0'
if redis.call('TYPE', KEYS[1])['ok'] == 'hash' then current = redis.call('HGET', KEYS[1], 'version') or '0' end
if current ~= ARGV[1] then return -1 end
local capacity = tonumber(ARGV[2])
local intents = tonumber(ARGV[3])
-- Written whole: this also replaces keys of another type, stray fields and a version that is not a number.
redis.call('DEL', KEYS[1], KEYS[2])
if redis.call('TYPE', KEYS[3])['ok'] ~= 'zset' then redis.call('DEL', KEYS[3]) end
redis.call('SETBIT', KEYS[2], capacity - 1, 0)
local booked = 0
for i = 4 + intents, #ARGV do
  redis.call('SETBIT', KEYS[2], tonumber(ARGV[i]), 1)
  booked = booked + 1
end
local version = 1
if string.match(current, '^%d+$') and #current <= 15 then version = tonumber(current) + 1 end
redis.call('HSET', KEYS[1], 'total_seats', capacity, 'booked_seats', booked, 'available_seats', capacity - booked,
  'version', version)
for i = 4, 3 + intents do redis.call('ZREM', KEYS[3], ARGV[i]) end
return version
`;

/**
 * KEYS: seats, seatmap, pending · ARGV: cutoff (ms), capacity. One consistent look: each key's type, the
 * counters, the intents started before the cutoff, and the seat map's length, its set bits among the seats
 * and past them. (A script, because on this client a MULTI or a pipeline of several reads costs milliseconds
 * more than one command.)
 */
const READ_STATE = `
local types = {}
for i = 1, 3 do types[i] = redis.call('TYPE', KEYS[i])['ok'] end
local hash, old, bytes, seatBits, allBits = {}, {}, 0, 0, 0
if types[1] == 'hash' then hash = redis.call('HGETALL', KEYS[1]) end
if types[3] == 'zset' then old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[1]) end
if types[2] == 'string' then
  bytes = redis.call('STRLEN', KEYS[2])
  seatBits = redis.call('BITCOUNT', KEYS[2], 0, tonumber(ARGV[2]) - 1, 'BIT')
  allBits = redis.call('BITCOUNT', KEYS[2])
end
return { hash, old, types, bytes, seatBits, allBits }
`;

type Valkey = Redis | Cluster;

/** What one look at a flight's keys found (see READ_STATE). */
interface SeatState {
  hash: Record<string, string>;
  /** Intents older than `settleMs`. */
  old: string[];
  /** Each key's TYPE (`none` when missing). */
  types: { seats: string; seatmap: string; pending: string };
  /** The seat map's length in bytes, its set bits among the seats and past the last seat. */
  map: { bytes: number; seatBits: number; strayBits: number };
}

const WHOLE = /^\d{1,15}$/;

const shaOf = new Map<string, string>();

/** Runs a script by its SHA1 (EVALSHA), sending the text only when the server does not have it yet. */
async function runScript(
  valkey: Valkey,
  script: string,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
) {
  let sha = shaOf.get(script);
  if (!sha) {
    sha = createHash('sha1').update(script).digest('hex');
    shaOf.set(script, sha);
  }
  try {
    return await valkey.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return valkey.eval(script, keys.length, ...keys, ...args);
  }
}

/**
 * Seat availability for one flight, cached as the guide's HASH and bitmap and kept race-free:
 *
 * - The database row decides who gets a seat. Before writing it, a booking records an intent in
 *   `flight:{id}:pending`; after the database accepted it, one Lua script flips the bit, moves the counters
 *   (only if the bit changed) and clears the intent. A loser never touches the bit or the counters.
 * - If the process dies between the database commit and that script, its intent stays behind. A read that
 *   finds an intent older than `settleMs` (or finds the keys missing) rebuilds the seat map and counters from
 *   the database and clears the intents it saw.
 * - A rebuild cannot drop a booking that lands while it runs: it notes the version first, and its script
 *   writes only if no change bumped the version meanwhile (otherwise it tries again).
 */
export function createSeatInventory(valkey: Valkey, options: SeatInventoryOptions): SeatInventory {
  const { flightId, layout, store } = options;
  const keys = seatKeys(flightId, options.namespace);
  const settleMs = options.settleMs ?? 5000;
  const attempts = options.rebuildAttempts ?? 5;
  if (!Number.isInteger(layout.capacity) || layout.capacity <= 0 || layout.letters.length === 0) {
    throw new LabError({
      what: `Seat layout ${JSON.stringify(layout)} is not usable`,
      fix: 'Give a capacity > 0 and the letters of a row.',
    });
  }
  const keyList = [keys.seats, keys.seatmap, keys.pending];
  const mapBytes = Math.ceil(layout.capacity / 8);

  async function change(
    action: 'book' | 'cancel',
    seat: string,
    write: (bit: number) => Promise<boolean>,
    crashAfterCommit: boolean,
  ): Promise<SeatChange> {
    const started = performance.now();
    const bit = seatBit(layout, seat);
    const label = seatLabel(layout, bit);
    // Each attempt has its own intent, so a loser clearing its own never clears the winner's.
    const intent = `${action}:${label}:${randomUUID()}`;
    await valkey.zadd(keys.pending, Date.now(), intent).catch(async (error: unknown) => {
      if (!isWrongType(error)) throw error;
      await read(false); // the pending key is of another type: rebuilding replaces it
      return valkey.zadd(keys.pending, Date.now(), intent);
    });
    const done = (outcome: SeatOutcome, cache: SeatCacheStep): SeatChange => ({
      outcome,
      seat: label,
      bit,
      cache,
      elapsedMs: performance.now() - started,
    });
    let accepted: boolean;
    try {
      accepted = await write(bit);
    } catch (error) {
      // Whether the database took the change is unknown (the connection may have died after the commit), so
      // the intent stays: once it is older than settleMs, a read rebuilds from the database, which knows.
      throw error;
    }
    if (!accepted) {
      await valkey.zrem(keys.pending, intent);
      return done(action === 'book' ? 'seat-taken' : 'not-booked', 'skipped');
    }
    if (crashAfterCommit) return done('crashed-after-commit', 'skipped');
    const outcome = action === 'book' ? 'booked' : 'cancelled';
    try {
      const step = (await runScript(valkey, APPLY_CHANGE, keyList, [bit, action === 'book' ? 1 : 0, intent])) as string;
      return done(outcome, step as SeatCacheStep);
    } catch {
      // The database has the change; the intent is still recorded, so a later read repairs the cache.
      return done(outcome, 'failed');
    }
  }

  /** Everything a read judges the cache by, in one script: one consistent look. */
  async function snapshot(): Promise<SeatState> {
    const [flat, old, types, bytes, seatBits, allBits] = (await runScript(valkey, READ_STATE, keyList, [
      Date.now() - settleMs,
      layout.capacity,
    ])) as [string[], string[], string[], number, number, number];
    const hash: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
    const [seats, seatmap, pending] = types as [string, string, string];
    return { hash, old, types: { seats, seatmap, pending }, map: { bytes, seatBits, strayBits: allBits - seatBits } };
  }

  /** Why the cached keys cannot be trusted, or undefined when they can (or are simply not built yet). */
  function damage({ hash, types, map }: SeatState): string | undefined {
    const expected = { seats: 'hash', seatmap: 'string', pending: 'zset' } as const;
    for (const name of ['seats', 'seatmap', 'pending'] as const) {
      if (types[name] !== 'none' && types[name] !== expected[name])
        return `${keys[name]} is a ${types[name]}, not a ${expected[name] === 'string' ? 'bitmap' : expected[name]}`;
    }
    if (hash.version !== undefined && !WHOLE.test(hash.version))
      return `the version ${JSON.stringify(hash.version)} is not a whole number`;
    if (hash.total_seats === undefined) return undefined; // not built yet
    const counters = [hash.total_seats, hash.booked_seats, hash.available_seats];
    if (!counters.every((value) => value !== undefined && WHOLE.test(value)))
      return `the counters are not whole numbers (${JSON.stringify(counters)})`;
    const [total, booked, available] = counters.map(Number) as [number, number, number];
    if (total !== layout.capacity || booked + available !== total)
      return `the counters (total ${total}, booked ${booked}, available ${available}) do not add up to ${layout.capacity} seats`;
    if (types.seatmap !== 'string') return undefined; // not built yet
    if (map.bytes !== mapBytes) return `the seat map is ${map.bytes} bytes, not ${mapBytes}`;
    if (map.strayBits > 0) return `the seat map marks ${map.strayBits} bits past the last seat`;
    if (map.seatBits !== booked) return `the seat map marks ${map.seatBits} seats, the counters ${booked}`;
    return undefined;
  }

  function countersOf(hash: Record<string, string>): SeatCounters & { version: number } {
    return {
      total_seats: Number(hash.total_seats),
      booked_seats: Number(hash.booked_seats),
      available_seats: Number(hash.available_seats),
      version: Number(hash.version ?? 0),
    };
  }

  /** One rebuild attempt from a snapshot; `null` when a writer changed the cache meanwhile. */
  async function rebuildFrom(
    version: string,
    retire: readonly string[],
  ): Promise<(SeatCounters & { version: number }) | null> {
    const booked = (await store.bookedSeats()).map((seat) => seatBit(layout, seat));
    const written = (await runScript(valkey, WRITE_REBUILD, keyList, [
      version,
      layout.capacity,
      retire.length,
      ...retire,
      ...booked,
    ])) as number;
    if (written === -1) return null;
    return {
      total_seats: layout.capacity,
      booked_seats: booked.length,
      available_seats: layout.capacity - booked.length,
      version: written,
    };
  }

  async function read(force: boolean): Promise<SeatAvailability> {
    const started = performance.now();
    let abandoned = 0;
    let outcome: SeatReadOutcome = 'hit';
    let problem: string | undefined;
    const answer = (counters: SeatCounters & { version: number }): SeatAvailability => ({
      outcome,
      ...counters,
      abandonedIntents: abandoned,
      elapsedMs: performance.now() - started,
      ...(problem ? { problem } : {}),
    });
    for (let attempt = 0; attempt < attempts; attempt++) {
      const state = await snapshot();
      const { hash, old, types } = state;
      const damaged = damage(state);
      const complete = !damaged && hash.total_seats !== undefined && types.seatmap === 'string';
      if (!force && complete && old.length === 0) return answer(countersOf(hash));
      if (outcome === 'hit') outcome = damaged || (complete && old.length > 0) ? 'repaired' : 'built';
      problem ??= damaged;
      abandoned = Math.max(abandoned, old.length);
      const rebuilt = await rebuildFrom(types.seats === 'hash' ? (hash.version ?? '0') : '0', old);
      if (rebuilt) return answer(rebuilt);
      force = false; // someone else wrote meanwhile: look again before rebuilding again
    }
    const booked = (await store.bookedSeats()).length;
    outcome = 'database';
    return answer({
      total_seats: layout.capacity,
      booked_seats: booked,
      available_seats: layout.capacity - booked,
      version: -1,
    });
  }

  /** The cached seat map's bytes (empty when there is none), or null when it is not a seat map of this layout. */
  async function cachedMap(): Promise<Buffer | null> {
    let bytes: Buffer | null;
    try {
      bytes = await valkey.getBuffer(keys.seatmap);
    } catch (error) {
      if (isWrongType(error)) return null;
      throw error;
    }
    if (bytes === null) return Buffer.alloc(0);
    if (bytes.length !== mapBytes) return null;
    const lastByteBits = layout.capacity % 8;
    const stray = lastByteBits === 0 ? 0 : bytes[mapBytes - 1]! & (0xff >> lastByteBits);
    return stray === 0 ? bytes : null;
  }

  /** The booked seats by the cached bitmap; a damaged map is rebuilt from the database first. */
  async function mapSeats(): Promise<string[]> {
    let bytes = await cachedMap();
    if (bytes === null) {
      await read(false);
      bytes = await cachedMap();
    }
    if (bytes === null) {
      throw new LabError({
        what: `The seat map ${keys.seatmap} is damaged and could not be rebuilt`,
        fix: 'Call rebuild() while no bookings are running.',
      });
    }
    const seats: string[] = [];
    for (let bit = 0; bit < layout.capacity; bit++) {
      const byte = bytes[bit >> 3] ?? 0;
      if (byte & (0x80 >> (bit & 7))) seats.push(seatLabel(layout, bit)); // bit 0 is the byte's highest bit
    }
    return seats;
  }

  return {
    keys,
    layout,
    bookSeat(seat, passengerId, opts = {}) {
      return change(
        'book',
        seat,
        (bit) => store.insertBooking({ seat: seatLabel(layout, bit), bit, passengerId, price: opts.price ?? 0 }),
        opts.crashAfterCommit ?? false,
      );
    },
    cancelSeat(seat, opts = {}) {
      return change(
        'cancel',
        seat,
        (bit) => store.deleteBooking({ seat: seatLabel(layout, bit), bit }),
        opts.crashAfterCommit ?? false,
      );
    },
    availability: () => read(false),
    rebuild: () => read(true),
    async isBooked(seat) {
      return (await mapSeats()).includes(seatLabel(layout, seatBit(layout, seat)));
    },
    bookedSeats: mapSeats,
    async clear() {
      await valkey.del(...keyList);
    },
  };
}
