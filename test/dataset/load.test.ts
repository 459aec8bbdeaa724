// The tiny dataset loaded into MariaDB and PostgreSQL: the same rows on both, consistent, and true to the guide.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineKind } from '../../src/config';
import type { SqlEngine } from '../../src/db/engine';
import type { Row } from '../../src/db/engine';
import {
  GUIDE_QUERIES,
  airportsByCity,
  flightSearch,
  hubRoutes,
  runGuideQuery,
  userLastFlights,
} from '../../src/queries';
import {
  DATASET_TABLES,
  FREQUENT_TRAVELLER_ID,
  GENERATOR_VERSION,
  GUIDE_HUBS,
  datasetStatus,
  loadDataset,
  planDataset,
  type LoadSummary,
} from '../../datasets';
import { GUIDE_STATEMENTS } from './guide-statements';
import { ENGINES, SEED, connectTestEngines, scalar, tableFingerprint } from './helpers';

let engines: Record<EngineKind, SqlEngine>;
const loads = {} as Record<EngineKind, LoadSummary>;
const plan = planDataset('tiny', SEED);

beforeAll(async () => {
  engines = await connectTestEngines();
  // A fresh load: other test files write to these databases, and these tests compare the engines row by row.
  for (const kind of ENGINES)
    loads[kind] = await loadDataset(engines[kind], { scale: 'tiny', seed: SEED, force: true });
});

afterAll(async () => {
  for (const kind of ENGINES) await engines?.[kind]?.close();
});

/** Each query counts rows that must not exist; every count must be 0 (on `only`, or on both engines). */
async function expectNoRows(checks: Record<string, string>, only?: EngineKind): Promise<void> {
  for (const kind of only ? [only] : ENGINES) {
    for (const [what, sql] of Object.entries(checks))
      expect({ kind, what, rows: await scalar(engines[kind], sql) }).toEqual({ kind, what, rows: 0 });
  }
}

describe('the tiny dataset on both engines', () => {
  it('records the load: state, scale, seed, generator version and the planned row counts', async () => {
    for (const kind of ENGINES) {
      const status = await datasetStatus(engines[kind]);
      expect(status).toMatchObject({ state: 'loaded', scale: 'tiny', seed: SEED, generatorVersion: GENERATOR_VERSION });
      expect(status.counts).toEqual(plan.rowCounts);
    }
  });

  it('holds the same number of rows per table on both engines, as many as generated', async () => {
    for (const table of DATASET_TABLES) {
      const q = (kind: EngineKind) => `SELECT COUNT(*) AS n FROM ${engines[kind].dialect.quoteIdent(table)}`;
      const mysqlRows = await scalar(engines.mysql, q('mysql'));
      const postgresRows = await scalar(engines.postgres, q('postgres'));
      expect({ table, mysqlRows }).toEqual({ table, mysqlRows: plan.rowCounts[table] });
      expect({ table, postgresRows }).toEqual({ table, postgresRows: mysqlRows });
    }
  });

  it('holds identical rows in every table on both engines, values rendered alike', async () => {
    for (const table of DATASET_TABLES) {
      const mysql = await tableFingerprint(engines.mysql, table);
      const postgres = await tableFingerprint(engines.postgres, table);
      expect({ table, ...postgres }).toEqual({ table, ...mysql });
    }
  });

  it('does nothing when loaded again with the same scale and seed', async () => {
    for (const kind of ENGINES) {
      const before = await datasetStatus(engines[kind]);
      const again = await loadDataset(engines[kind], { scale: 'tiny', seed: SEED });
      expect(again).toMatchObject({ skipped: true, before: 'loaded', rows: 0 });
      const after = await datasetStatus(engines[kind]);
      expect(after).toEqual(before);
    }
  });

  it('references only rows that exist: bookings to flights and passengers, flights to airports, airlines, airplanes', async () => {
    const orphans: Record<string, string> = {
      'booking without flight':
        'SELECT COUNT(*) FROM booking b LEFT JOIN flight f ON f.flight_id = b.flight_id WHERE f.flight_id IS NULL',
      'booking without passenger':
        'SELECT COUNT(*) FROM booking b LEFT JOIN passenger p ON p.passenger_id = b.passenger_id WHERE p.passenger_id IS NULL',
      'flight without departure airport':
        'SELECT COUNT(*) FROM flight f LEFT JOIN airport a ON a.airport_id = f.from_airport WHERE a.airport_id IS NULL',
      'flight without arrival airport':
        'SELECT COUNT(*) FROM flight f LEFT JOIN airport a ON a.airport_id = f.to_airport WHERE a.airport_id IS NULL',
      'flight without airline':
        'SELECT COUNT(*) FROM flight f LEFT JOIN airline al ON al.airline_id = f.airline_id WHERE al.airline_id IS NULL',
      'flight without airplane':
        'SELECT COUNT(*) FROM flight f LEFT JOIN airplane ap ON ap.airplane_id = f.airplane_id WHERE ap.airplane_id IS NULL',
      'airplane of another airline than its flight':
        'SELECT COUNT(*) FROM flight f JOIN airplane ap ON ap.airplane_id = f.airplane_id WHERE ap.airline_id <> f.airline_id',
      'route to an unknown airport':
        'SELECT COUNT(*) FROM route r LEFT JOIN airport a ON a.openflights_id = r.destination_airport_id_openflights WHERE a.airport_id IS NULL',
      'passenger without details':
        'SELECT COUNT(*) FROM passenger p LEFT JOIN passengerdetails d ON d.passenger_id = p.passenger_id WHERE d.passenger_id IS NULL',
    };
    await expectNoRows(orphans);
  });

  it('never sells more seats than the airplane has, nor a seat twice, nor two seats to one passenger on a flight', async () => {
    const checks: Record<string, string> = {
      'flights over capacity': `SELECT COUNT(*) FROM (
          SELECT f.flight_id FROM flight f JOIN airplane ap ON ap.airplane_id = f.airplane_id
          JOIN booking b ON b.flight_id = f.flight_id GROUP BY f.flight_id, ap.capacity HAVING COUNT(*) > ap.capacity) x`,
      'seats sold twice':
        'SELECT COUNT(*) FROM (SELECT flight_id, seat FROM booking GROUP BY flight_id, seat HAVING COUNT(*) > 1) x',
      'passengers with two seats on a flight':
        'SELECT COUNT(*) FROM (SELECT flight_id, passenger_id FROM booking GROUP BY flight_id, passenger_id HAVING COUNT(*) > 1) x',
    };
    for (const kind of ENGINES) {
      await expectNoRows(checks, kind);
      // The unique key itself refuses a second booking of a sold seat.
      const { rows } = await engines[kind].query<{ flight_id: number; seat: string }>(
        'SELECT flight_id, seat FROM booking WHERE booking_id = 1',
      );
      const p = (n: number) => engines[kind].dialect.param(n);
      await expect(
        engines[kind].query(
          `INSERT INTO booking (booking_id, flight_id, seat, passenger_id, price) VALUES (${p(1)}, ${p(2)}, ${p(3)}, 1, 10)`,
          [99_999_999, rows[0]!.flight_id, rows[0]!.seat],
        ),
      ).rejects.toThrow(/duplicate|unique/i);
    }
  });

  it('has the keys the guide relies on: unique (flight_id, seat) on booking, an index on airport.iata, none on airport_geo country or iso_a3', async () => {
    for (const kind of ENGINES) {
      const geo = await engines[kind].describeTable('airport_geo');
      expect(geo.filter((c) => c.name === 'country' || c.name === 'iso_a3').map((c) => c.key)).toEqual(['', '']);
      expect(geo.find((c) => c.name === 'airport_id')!.key).toBe('PRI');
      const airport = await engines[kind].describeTable('airport');
      expect(airport.find((c) => c.name === 'iata')!.key).toBe('MUL');
      expect(airport.find((c) => c.name === 'icao')!.key).toBe('UNI');
    }
    const mysqlIndexes = await engines.mysql.query<{ Key_name: string; Non_unique: number; Column_name: string }>(
      'SHOW INDEX FROM booking',
    );
    expect(
      mysqlIndexes.rows
        .filter((r) => r.Key_name === 'booking_flight_seat_unq')
        .map((r) => [r.Non_unique, r.Column_name]),
    ).toEqual([
      [0, 'flight_id'],
      [0, 'seat'],
    ]);
    const pgIndexes = await engines.postgres.query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE tablename = 'booking' AND indexname = 'booking_flight_seat_unq'",
    );
    expect(pgIndexes.rows[0]?.indexdef).toMatch(
      /UNIQUE INDEX booking_flight_seat_unq ON .*booking.* \(flight_id, seat\)/,
    );
  });

  it("makes the guide's stories true: JFK→LAX on 2025-12-15, LAX→JFK on 2025-12-22, flight 1001 on a 150-seat airplane, passenger 12345", async () => {
    for (const kind of ENGINES) {
      const engine = engines[kind];
      const outbound = await runGuideQuery<any, { flight_id: number }>(engine, flightSearch);
      expect(outbound.rows.map((r) => r.flight_id)).toEqual(expect.arrayContaining([1001, 1002]));
      const back = await runGuideQuery<any, { flight_id: number }>(engine, flightSearch, {
        from: 'LAX',
        to: 'JFK',
        date: '2025-12-22',
      });
      expect(back.rows.map((r) => r.flight_id)).toEqual(expect.arrayContaining([2001, 2002]));

      const seats = await scalar(
        engine,
        'SELECT ap.capacity FROM flight f JOIN airplane ap ON ap.airplane_id = f.airplane_id WHERE f.flight_id = 1001',
      );
      expect(seats).toBe(150);

      expect(await scalar(engine, 'SELECT COUNT(*) FROM booking WHERE passenger_id = 12345')).toBeGreaterThan(10);
      const history = await runGuideQuery<any, { flight_status: string; departure: string }>(engine, userLastFlights);
      expect(history.rows).toHaveLength(10);
      const statuses = new Set(history.rows.map((r) => r.flight_status));
      expect(statuses.has('upcoming') && statuses.has('completed')).toBe(true);
      // Distinct departures: the guide's ORDER BY departure DESC LIMIT 10 has one answer.
      expect(new Set(history.rows.map((r) => r.departure)).size).toBe(10);
    }
  });

  it("makes the guide's other examples true: New York's four airports, passenger 67890's history, one ATL to rename", async () => {
    for (const kind of ENGINES) {
      const engine = engines[kind];
      const { rows: newYork } = await runGuideQuery<any, { iata: string }>(engine, airportsByCity);
      // The guide's four in its order; OpenFlights also files an airport in Mississippi under New York.
      const guideFour = ['JRB', 'JFK', 'LGA', 'JRA'];
      expect(newYork.map((r) => r.iata).filter((iata) => guideFour.includes(iata))).toEqual(guideFour);

      // Step 19 pre-loads the histories of two frequent travellers, 12345 and 67890.
      const traveller = { passengerId: FREQUENT_TRAVELLER_ID };
      expect(await scalar(engine, `SELECT COUNT(*) FROM booking WHERE passenger_id = ${FREQUENT_TRAVELLER_ID}`)).toBe(
        plan.world.flights.frequentTravellerFlights.length,
      );
      const history = await runGuideQuery<any, { flight_status: string; departure: string }>(
        engine,
        userLastFlights,
        traveller,
      );
      expect(history.rows).toHaveLength(10);
      expect(new Set(history.rows.map((r) => r.departure)).size).toBe(10);
      expect(history.rows.every((r) => r.flight_status === 'completed')).toBe(true);

      // Part 4's write-through renames the airport WHERE iata = 'ATL': exactly one row.
      expect(await scalar(engine, "SELECT COUNT(*) FROM airport WHERE iata = 'ATL'")).toBe(1);
    }
    expect(plan.world.flights.frequentTravellerFlights.length).toBeGreaterThan(10);
  });

  it('gives the five hubs the most routes and the most departures', async () => {
    for (const kind of ENGINES) {
      const { rows: routes } = await engines[kind].query<{ iata: string }>(
        'SELECT source_airport_iata AS iata FROM route GROUP BY source_airport_iata ORDER BY COUNT(*) DESC, source_airport_iata LIMIT 5',
      );
      expect(routes.map((r) => r.iata).sort()).toEqual([...GUIDE_HUBS].sort());
      const { rows: hubs } = await runGuideQuery<any, { dep_iata: string; route_count: number }>(
        engines[kind],
        hubRoutes,
      );
      expect(hubs).toHaveLength(20);
      // Counts strictly fall: the top 20 is the same on every engine and every run.
      for (let i = 1; i < hubs.length; i++) expect(hubs[i]!.route_count).toBeLessThan(hubs[i - 1]!.route_count);
      const { rows: departures } = await engines[kind].query<{ iata: string }>(
        `SELECT a.iata FROM flight f JOIN airport a ON a.airport_id = f.from_airport
         GROUP BY a.iata ORDER BY COUNT(*) DESC, a.iata LIMIT 5`,
      );
      expect(departures.map((r) => r.iata).sort()).toEqual([...GUIDE_HUBS].sort());
    }
  });

  it('prices long flights above short ones, and lets a few passengers fly a lot', async () => {
    for (const kind of ENGINES) {
      const engine = engines[kind];
      const minutes = engine.dialect.minutesBetween('f.departure', 'f.arrival');
      const average = (condition: string) =>
        scalar(
          engine,
          `SELECT AVG(b.price) FROM booking b JOIN flight f ON f.flight_id = b.flight_id WHERE ${condition}`,
        );
      const short = await average(`${minutes} < 120`);
      const long = await average(`${minutes} > 360`);
      expect(long).toBeGreaterThan(2 * short);

      const passengers = await scalar(engine, 'SELECT COUNT(DISTINCT passenger_id) FROM booking');
      const { rows } = await engine.query<{ n: number }>(
        'SELECT COUNT(*) AS n FROM booking GROUP BY passenger_id ORDER BY n DESC',
      );
      const total = rows.reduce((sum, r) => sum + Number(r.n), 0);
      const topOnePercent = rows.slice(0, Math.ceil(passengers / 100)).reduce((sum, r) => sum + Number(r.n), 0);
      expect(topOnePercent / total).toBeGreaterThan(0.05);
    }
  });

  it('answers every guide query with the same rows on MariaDB and PostgreSQL (Parts 1, 3, 4 and 5 return rows)', async () => {
    for (const query of Object.values(GUIDE_QUERIES)) {
      const mysql = await runGuideQuery(engines.mysql, query as any);
      const postgres = await runGuideQuery(engines.postgres, query as any);
      expect({ query: query.name, rows: postgres.rows }).toEqual({ query: query.name, rows: mysql.rows });
      expect({ query: query.name, empty: mysql.rows.length === 0 }).toEqual({ query: query.name, empty: false });
    }
  });

  it("runs the guide's SQL as pasted: rows on MariaDB, and on PostgreSQL unless it is MySQL syntax, as the stored queries answer", async () => {
    for (const [index, statement] of GUIDE_STATEMENTS.entries()) {
      for (const kind of ENGINES) {
        const label = { statement: index, step: statement.step, kind };
        if (kind === 'postgres' && statement.mysqlOnly) {
          // The notebooks say so where they teach the step; this keeps that sentence true.
          await expect(engines.postgres.query(statement.sql), JSON.stringify(label)).rejects.toThrow();
          continue;
        }
        const { rows } = await engines[kind].query<Row>(statement.sql);
        expect({ ...label, empty: rows.length === 0 }).toEqual({ ...label, empty: false });
        if (!statement.answers) continue;
        const stored = (await runGuideQuery(engines[kind], statement.answers)).rows.slice(0, statement.first);
        // The driver may hand back the JSON column already parsed.
        const value = Object.values(rows[0]!)[0];
        const guide = !statement.jsonArray ? rows : ((typeof value === 'string' ? JSON.parse(value) : value) as Row[]);
        const columns = statement.columns ?? (statement.jsonArray ? ['flight_id'] : undefined);
        const pick = (row: Row) => (columns ? Object.fromEntries(columns.map((c) => [c, row[c]])) : row);
        expect({ ...label, rows: guide.map(pick) }).toEqual({ ...label, rows: stored.map(pick) });
      }
    }
  });

  it('loaded through the bulk path with secondary indexes afterwards, reporting rows and speed per table', () => {
    for (const kind of ENGINES) {
      const summary = loads[kind];
      expect(summary.skipped).toBe(false);
      expect(summary.tables.map((t) => t.table).sort()).toEqual([...DATASET_TABLES].sort());
      const booking = summary.tables.find((t) => t.table === 'booking')!;
      expect(booking.rows).toBe(plan.rowCounts.booking);
      expect(booking.rowsPerSecond).toBeGreaterThan(0);
      expect(summary.indexSeconds).toBeGreaterThan(0);
    }
  });
});
