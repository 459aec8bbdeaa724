// Notebook 03's exercises: the day as a range the departure index can serve; the flight search's cache key and
// the tags that let one invalidation reach it; the Lua script that books a seat in the seat map and the counters
// only when the seat is free.

import type { SqlEngine } from '../db/engine';
import type { TableDefinition } from '../db/ddl';
import { engineDefinition } from '../db/engines';
import { tableAccesses } from '../db/explain';
import { createCacheTags } from '../patterns/tags';
import {
  bookingStore,
  flightCapacity,
  flightSearch,
  flightSearchByRange,
  prepareGuideQuery,
  runGuideQuery,
} from '../queries';
import { formatNumber } from '../show/format';
import { createSeatInventory, seatBit, seatKeys, seatLabel, type SeatLayout } from '../structures/seats';
import type { ValkeyClient } from '../valkey/client';
import { grade, sameAsJson, shown, type Grade, type Grading } from './grade';

interface GradedLab {
  sql: SqlEngine;
  valkey: ValkeyClient;
}

const RAN_INTO_ERROR = 'read the error above, fix your cell, run it, then run this cell again';

/** The learner's day condition: SQL on `f.departure` with placeholders from the third on, and their values. */
export interface BoundCondition {
  condition: string;
  params: unknown[];
}

/** The learner's answer to "the day as a range": the condition that keeps the flights departing on `date`. */
export type DepartureOnDay = (date: string) => BoundCondition | Promise<BoundCondition>;

/** The guide's flight search with its day condition replaced by `day` (its airports stay parameters 1 and 2). */
function searchWith(sql: SqlEngine, day: BoundCondition, from: string, to: string) {
  const lines = flightSearch[sql.kind].sql.split('\n');
  const at = lines.findIndex((line) => /^\s+AND .*f\.departure/.test(line));
  lines[at] = `    AND (${day.condition})`;
  return { sql: lines.join('\n'), params: [from, to, ...day.params] };
}

/** The departures the grader tests a day's edges with, and whether each belongs to 2025-12-15. */
const EDGES: ReadonlyArray<[string, boolean]> = [
  ['2025-12-14 23:59:59', false],
  ['2025-12-15 00:00:00', true],
  ['2025-12-15 12:30:00', true],
  ['2025-12-15 23:59:59', true],
  ['2025-12-16 00:00:00', false],
];

const EDGES_TABLE: TableDefinition = {
  name: 'exercise_03_departures',
  about: "Departures at a day's edges, for grading Your turn 3.1 (dropped after each grade).",
  columns: [{ name: 'departure', type: { kind: 'datetime' } }],
  indexes: [],
  foreignKeys: [],
};

/** The departures of EDGES that `day` keeps, from a scratch table the grader creates and drops. */
async function keptEdges(sql: SqlEngine, day: BoundCondition): Promise<string[]> {
  const { ddl } = engineDefinition(sql.kind);
  const p = sql.dialect.param;
  await sql.query(ddl.dropTables([EDGES_TABLE.name]));
  await sql.query(ddl.createTable(EDGES_TABLE));
  try {
    for (const [departure] of EDGES)
      await sql.query(`INSERT INTO ${EDGES_TABLE.name} (departure) VALUES (${p(1)})`, [departure]);
    // The condition's placeholders start at 3: two that always match stand in for the airports.
    const { rows } = await sql.query<{ departure: string }>(
      `SELECT f.departure FROM ${EDGES_TABLE.name} f WHERE ${p(1)} = ${p(2)} AND (${day.condition}) ORDER BY f.departure`,
      [1, 1, ...day.params],
    );
    return rows.map((r) => String(r.departure).slice(0, 19));
  } finally {
    await sql.query(ddl.dropTables([EDGES_TABLE.name]));
  }
}

/**
 * Grades "Your turn 3.1": the learner's condition keeps exactly the departures of the day (from 00:00:00, not
 * the next midnight), gives the guide's flights in place of `DATE(f.departure) = ?`, and on its own lets the
 * database find the day through `flight_departure_idx`, reading that day's flights rather than all of them.
 */
export async function gradeDayRange(lab: { sql: SqlEngine }, departureOnDay: DepartureOnDay): Promise<Grade> {
  const { sql } = lab;
  const date = '2025-12-15';
  const p = sql.dialect.param;
  return grade({ id: 'day-range', number: '3.1' }, async (g) => {
    const day = await g.attempt(
      'your function returns { condition, params }',
      () => departureOnDay(date),
      RAN_INTO_ERROR,
    );
    g.expect(
      typeof day?.condition === 'string' && Array.isArray(day.params),
      'your function returns { condition, params }',
      {
        expected: '{ condition: string, params: [...] }',
        seen: shown(day),
        hint: `return { condition: \`f.departure >= ${p(3)} AND …\`, params: [ … ] }`,
      },
    );
    const kept = await g.attempt(
      'your condition runs',
      () => keptEdges(sql, day),
      `the airports are parameters 1 and 2, so your placeholders are ${p(3)}, ${p(4)}…`,
    );
    const [before, midnight, , , next] = EDGES.map(([at]) => at) as [string, string, string, string, string];
    const expected = EDGES.filter(([, inside]) => inside).map(([at]) => at);
    const edge = (at: string) => `${kept.includes(at) ? 'kept' : 'left out'} ${at}`;
    g.expect(
      kept.includes(midnight) && !kept.includes(before),
      `the day starts at midnight: ${midnight} is in, the second before is not`,
      {
        expected: `kept ${midnight}, left out ${before}`,
        seen: `${edge(midnight)}, ${edge(before)}`,
        hint: 'start the range at the day at 00:00:00, with >=',
      },
    );
    g.expect(sameAsJson(kept, expected), `the day ends before the next midnight: ${next} belongs to the next day`, {
      expected: `kept ${expected.join(', ')}`,
      seen: `kept ${kept.join(', ') || 'nothing'}`,
      hint: 'a flight at 00:00 belongs to the day it leaves: end the range with <, not <= or BETWEEN',
    });

    const query = searchWith(sql, day, 'JFK', 'LAX');
    const { rows } = await g.attempt(
      'JFK → LAX: the search runs',
      () => sql.query(query.sql, query.params),
      RAN_INTO_ERROR,
    );
    const guide = prepareGuideQuery(flightSearch, sql.kind, { from: 'JFK', to: 'LAX', date });
    const flights = (await sql.query(guide.sql, guide.params)).rows;
    g.expect(sameAsJson(rows, flights), `in the guide's search, the same ${flights.length} JFK → LAX flights`, {
      expected: `flights ${shown(flights.map((r) => r.flightno))}`,
      seen: `flights ${shown(rows.map((r) => r.flightno))}`,
      hint: "write the condition on f.departure, the column the guide's query filters",
    });

    const alone = `SELECT f.flight_id FROM flight f WHERE ${p(1)} = ${p(2)} AND (${day.condition})`;
    const reads = tableAccesses((await sql.explain(alone, [1, 1, ...day.params], { analyze: true })).plan, 'flight');
    const lookup = reads.find(
      (n) => n.index === 'flight_departure_idx' && n.access !== 'full-scan' && n.access !== 'full-index-scan',
    );
    g.expect(lookup !== undefined, 'on its own, it lets the database find the day through flight_departure_idx', {
      expected: 'a range or lookup in flight_departure_idx',
      seen:
        reads.map((n) => `${n.access ?? n.operation}${n.index ? ` through ${n.index}` : ''}`).join('; ') ||
        'flight is not read',
      hint: 'compare the bare column with the range: DATE(f.departure) or CAST(f.departure …) hides the column from its index',
    });
    const total = Number((await sql.query<{ n: number }>('SELECT COUNT(*) AS n FROM flight')).rows[0]!.n);
    const read = lookup!.rowsRead ?? lookup!.actualRows ?? Number.NaN;
    g.expect(read < total / 4, `it reads that day's flights, not all ${formatNumber(total)}`, {
      expected: `a small part of the ${formatNumber(total)} flights`,
      seen: `${formatNumber(read)} rows read`,
      hint: 'the range must be on f.departure itself, so the index can jump to the day',
    });
  });
}

/** A flight search as the site receives it: two airport codes as typed, and a day. */
export interface FlightSearchParams {
  from: string;
  to: string;
  date: string;
}

/** The learner's cache entry for a search: its key, and the tags an invalidation must find it by. */
export type SearchCacheEntry = (
  search: FlightSearchParams,
  flights: ReadonlyArray<{ flight_id: number }>,
) => { key: string; tags: string[] };

/** Searches the grader caches: each pair differs in one part, so any part left out of the key collides. */
const SEARCHES: ReadonlyArray<FlightSearchParams & { what: string }> = [
  { from: 'JFK', to: 'LAX', date: '2025-12-15', what: 'JFK → LAX on 12-15' },
  { from: 'LAX', to: 'JFK', date: '2025-12-15', what: 'LAX → JFK on 12-15' },
  { from: 'JFK', to: 'LAX', date: '2025-12-16', what: 'JFK → LAX on 12-16' },
  { from: 'JFK', to: 'LAX', date: '2025-12-22', what: 'JFK → LAX on 12-22' },
  { from: 'JFK', to: 'SFO', date: '2025-12-15', what: 'JFK → SFO on 12-15' },
];

/** Where the grader keeps its entries and tag sets, apart from the notebook's own. */
const SEARCH_NAMESPACE = 'exercise:03:search-key:';

/**
 * Grades "Your turn 3.2": different searches get different keys, the same search typed differently gets the
 * same key, the key names the engine, and the tags let `invalidateTag` reach the right entries: cancelling a
 * flight removes every search that lists it and no other; a change to a route removes every day's search of
 * that route, not the way back.
 */
export async function gradeSearchKey(lab: GradedLab, searchCacheEntry: SearchCacheEntry): Promise<Grade> {
  const { sql, valkey } = lab;
  const tags = createCacheTags(valkey, { namespace: SEARCH_NAMESPACE });
  const stored: string[] = [];
  return grade(
    { id: 'search-key', number: '3.2' },
    async (g) => {
      const answers: Array<{
        search: (typeof SEARCHES)[number];
        flights: Array<{ flight_id: number }>;
        key: string;
        tags: string[];
      }> = [];
      for (const search of SEARCHES) {
        const { rows } = await runGuideQuery(sql, flightSearchByRange, search);
        const flights = rows.map((r) => ({ flight_id: Number(r.flight_id) }));
        const entry = await g.attempt(
          `your function answers for ${search.what}`,
          () => searchCacheEntry({ from: search.from, to: search.to, date: search.date }, flights),
          RAN_INTO_ERROR,
        );
        answers.push({ search, flights, ...entry });
      }
      const malformed = answers.find((a) => typeof a.key !== 'string' || a.key.length === 0 || !Array.isArray(a.tags));
      g.expect(malformed === undefined, 'your function returns { key, tags }', {
        expected: '{ key: string, tags: string[] }',
        seen: shown(malformed && { key: malformed.key, tags: malformed.tags }),
        hint: 'return { key: `…`, tags: [ … ] }',
      });
      for (const [i, a] of answers.entries()) {
        const twin = answers.findIndex((b, j) => j !== i && b.key === a.key);
        g.expect(
          twin < 0,
          i === 0 ? 'different searches get different keys' : `${a.search.what} has a key of its own`,
          {
            expected: 'one key per search',
            seen: twin < 0 ? '' : `${a.search.what} and ${answers[twin]!.search.what} share ${shown(a.key)}`,
            hint: 'put every parameter of the search in the key, in a fixed order: from, to, date',
          },
        );
      }
      const typed = { from: ' jfk', to: 'lax ', date: '2025-12-15' };
      const again = await g.attempt(
        'your function answers for the same search typed differently',
        () => searchCacheEntry(typed, answers[0]!.flights),
        RAN_INTO_ERROR,
      );
      g.expect(again?.key === answers[0]!.key, `the same search typed as ${shown(typed)} gets the same key`, {
        expected: shown(answers[0]!.key),
        seen: shown(again?.key),
        hint: 'airport codes are typed in any case, with stray spaces: trim and upper-case them first',
      });
      g.expect(
        answers.every((a) => a.key.includes(sql.kind)),
        'the key says which engine answered',
        {
          expected: `"${sql.kind}" in every key`,
          seen: shown(answers[0]!.key),
          hint: 'start the key with lab.sql.kind: a MariaDB run and a PostgreSQL run may share one Valkey',
        },
      );

      // Store every entry under the learner's key and tags, then invalidate as the site would.
      for (const a of answers) {
        const key = `${SEARCH_NAMESPACE}${a.key}`;
        stored.push(key, ...a.tags.map(tags.keyOf));
        await tags.setTagged(key, a.flights, 120, a.tags);
      }
      const alive = async () => {
        const left: typeof answers = [];
        for (const a of answers) if ((await valkey.exists(`${SEARCH_NAMESPACE}${a.key}`)) === 1) left.push(a);
        return left;
      };
      const cancelled = answers[0]!.flights[0]?.flight_id ?? 1001;
      await tags.invalidateTag(`flight:${cancelled}`);
      const afterCancel = await alive();
      const listing = answers.filter((a) => a.flights.some((f) => f.flight_id === cancelled));
      g.expect(
        listing.every((a) => !afterCancel.includes(a)) && afterCancel.length === answers.length - listing.length,
        `cancelling flight ${cancelled} (invalidateTag('flight:${cancelled}')) removes the searches that list it, and only those`,
        {
          expected: `gone: ${listing.map((a) => a.search.what).join(', ')}`,
          seen: `still there: ${afterCancel.map((a) => a.search.what).join(', ') || 'nothing'}`,
          hint: 'tag each search with flight:<id> for every flight it lists (and nothing broader)',
        },
      );
      await tags.invalidateTag('route:JFK:LAX');
      const afterRoute = (await alive()).map((a) => a.search.what);
      const kept = answers.filter((a) => !(a.search.from === 'JFK' && a.search.to === 'LAX')).map((a) => a.search.what);
      g.expect(
        sameAsJson(afterRoute, kept),
        "a change to the route (invalidateTag('route:JFK:LAX')) removes its searches of every day, not the way back",
        {
          expected: `left: ${kept.join(', ')}`,
          seen: `left: ${afterRoute.join(', ') || 'nothing'}`,
          hint: 'tag each search with route:FROM:TO as well, in the direction flown',
        },
      );
    },
    async () => {
      if (stored.length) await valkey.del(...new Set(stored));
    },
  );
}

/** The learner's seat script: KEYS[1] the flight's seats HASH, KEYS[2] its seat map · ARGV[1] the seat's bit. */
export type BookSeatScript = () => string;

/** Where the grader builds its own copy of flight 1001's seats, apart from the notebook's. */
const SEAT_NAMESPACE = 'exercise:03:seat-script:';
const SEAT_FLIGHT = 1001;

/**
 * Grades "Your turn 3.3": the learner's Lua script, run against a copy of flight 1001's seat map and counters
 * built from the database, books a free seat (returns 1, sets the bit, moves both counters by one), changes
 * nothing when the seat is taken (returns 0: a retry never counts twice), and when 50 bookers run it at once on
 * one seat exactly one wins; the winner's booking goes to the database, and then the seat map, the counters
 * and the database agree.
 */
export async function gradeSeatScript(lab: GradedLab, bookSeatScript: BookSeatScript): Promise<Grade> {
  const { sql, valkey } = lab;
  const store = bookingStore(sql, SEAT_FLIGHT);
  const keys = seatKeys(SEAT_FLIGHT, SEAT_NAMESPACE);
  const booked: Array<{ seat: string; bit: number }> = [];
  return grade(
    { id: 'seat-script', number: '3.3' },
    async (g) => {
      const script = await g.attempt('your function returns the script', bookSeatScript, RAN_INTO_ERROR);
      g.expect(typeof script === 'string' && script.trim().length > 0, 'your function returns the script', {
        expected: 'the Lua script, as a string',
        seen: shown(script),
        hint: 'return the script as a template string: `local old = redis.call(…) …`',
      });
      const { rows } = await runGuideQuery(sql, flightCapacity, { flightId: SEAT_FLIGHT });
      const layout: SeatLayout = { capacity: Number(rows[0]!.capacity), letters: 'ABCDEF' };
      const seats = createSeatInventory(valkey, { flightId: SEAT_FLIGHT, layout, store, namespace: SEAT_NAMESPACE });
      await seats.rebuild();
      const taken = new Set(await store.bookedSeats());
      const free = Array.from({ length: layout.capacity }, (_, bit) => seatLabel(layout, bit)).filter(
        (s) => !taken.has(s),
      );
      const run = (seat: string) =>
        g.attempt(
          `your script runs for seat ${seat}`,
          async () => Number(await valkey.eval(script, 2, keys.seats, keys.seatmap, seatBit(layout, seat))),
          "read Valkey's error: it names the line of your script (user_script:N)",
        );
      const counters = async () => {
        const [b, a] = await valkey.hmget(keys.seats, 'booked_seats', 'available_seats');
        return { booked: Number(b), available: Number(a) };
      };

      const first = free[0]!;
      const before = await counters();
      const reply = await run(first);
      g.expect(reply === 1, `on a free seat (${first}) your script returns 1`, {
        expected: '1',
        seen: String(reply),
        hint: 'SETBIT answers the bit as it was: 0 means the seat was free, and then the script returns 1',
      });
      booked.push({ seat: first, bit: seatBit(layout, first) });
      await store.insertBooking({ seat: first, bit: seatBit(layout, first), passengerId: 12345, price: 0 });
      g.expect((await valkey.getbit(keys.seatmap, seatBit(layout, first))) === 1, 'and sets its bit in the seat map', {
        expected: `bit ${seatBit(layout, first)} of KEYS[2] set to 1`,
        seen: 'the bit is 0',
        hint: 'SETBIT KEYS[2] ARGV[1] 1',
      });
      const after = await counters();
      g.expect(
        after.booked === before.booked + 1 && after.available === before.available - 1,
        'and moves both counters by one: booked_seats +1, available_seats −1',
        {
          expected: `booked ${before.booked + 1}, available ${before.available - 1}`,
          seen: `booked ${after.booked}, available ${after.available}`,
          hint: "HINCRBY KEYS[1] 'booked_seats' 1 and HINCRBY KEYS[1] 'available_seats' -1",
        },
      );
      for (const [seat, what] of [
        [first, `run again for ${first}, it returns 0 and changes nothing: a retry never counts twice`],
        [[...taken][0]!, `for a seat the database had booked (${[...taken][0]}), it returns 0 and changes nothing`],
      ] as const) {
        const was = await counters();
        const again = await run(seat);
        const now = await counters();
        g.expect(again === 0 && sameAsJson(was, now), what, {
          expected: `0, counters booked ${was.booked} / available ${was.available}`,
          seen: `${again}, counters booked ${now.booked} / available ${now.available}`,
          hint: 'when SETBIT says the bit was already 1, return 0 before touching the counters',
        });
      }
      await checkRace(g, lab, { script, keys, seat: free[1]!, layout, booked, counters, store });
      const dbSeats = (await store.bookedSeats()).length;
      const bits = await valkey.bitcount(keys.seatmap);
      const { booked: counted } = await counters();
      g.expect(bits === counted && counted === dbSeats, 'the seat map, the counters and the database agree', {
        expected: `${dbSeats} booked seats everywhere (the database's count)`,
        seen: `seat map ${bits} bits, booked_seats ${counted}, database ${dbSeats}`,
        hint: 'move the counters only when the bit changed from 0 to 1',
      });
    },
    async () => {
      for (const seat of booked) await store.deleteBooking(seat);
      await valkey.del(keys.seats, keys.seatmap, keys.pending);
    },
  );
}

/** Fifty bookers run the script on one free seat at once; each that wins books the seat in the database. */
async function checkRace(
  g: Grading,
  lab: GradedLab,
  race: {
    script: string;
    keys: ReturnType<typeof seatKeys>;
    seat: string;
    layout: SeatLayout;
    booked: Array<{ seat: string; bit: number }>;
    counters: () => Promise<{ booked: number; available: number }>;
    store: ReturnType<typeof bookingStore>;
  },
): Promise<void> {
  const { script, keys, seat, layout, store } = race;
  const bit = seatBit(layout, seat);
  const before = await race.counters();
  const replies = await g.attempt(
    `50 bookers run your script on seat ${seat} at once`,
    () =>
      Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const reply = Number(await lab.valkey.eval(script, 2, keys.seats, keys.seatmap, bit));
          if (reply === 1) await store.insertBooking({ seat, bit, passengerId: 12345 + i, price: 0 });
          return reply;
        }),
      ),
    RAN_INTO_ERROR,
  );
  race.booked.push({ seat, bit });
  const winners = replies.filter((r) => r === 1).length;
  g.expect(winners === 1, `50 bookers at once on seat ${seat}: exactly one gets 1`, {
    expected: '1 winner, 49 times 0',
    seen: `${winners} winners`,
    hint: 'the script runs whole before the next one starts: test the old bit, and only then move the counters',
  });
  const after = await race.counters();
  g.expect(after.booked === before.booked + 1, 'and the counters moved by one, not fifty', {
    expected: `booked_seats ${before.booked + 1}`,
    seen: `booked_seats ${after.booked}`,
    hint: 'move the counters only when the bit changed from 0 to 1',
  });
}
