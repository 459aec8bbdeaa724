// Part 4's SQL beyond the guide's own: the airport record and route summaries the cache hierarchy keeps, and the
// writes of write-through (a rename with a version) and write-behind (an idempotent apply), in tables of their own.

import type { EngineKind } from '../config';
import type { BulkSession, SqlEngine } from '../db/engine';
import { engineDefinition } from '../db/engines';
import { LabError } from '../errors';
import { guideQuery } from './guide-query';

/** Drops Part 4's own tables (tests do, so the test databases hold the dataset's tables alone). */
export async function dropPart4Tables(engine: SqlEngine): Promise<void> {
  await engine.query('DROP TABLE IF EXISTS write_behind_row, write_behind_applied, airport_write_version');
}

/** Creates Part 4's own tables when missing (idempotent). */
export async function ensurePart4Tables(engine: SqlEngine): Promise<void> {
  for (const sql of engineDefinition(engine.kind).labTables.create) await engine.query(sql);
}

/** One airport as the cache keeps it (`airport:{iata}` HASH), with the version of its last write-through. */
export const airportRecord = guideQuery({
  name: 'airportRecord',
  guideStep: 'Part 4, Step 12',
  description:
    "One airport's codes, name, city and country, and the version of its last rename (0 before any), read in one statement so they match.",
  defaults: { iata: 'ATL' },
  mysql: {
    sql: `SELECT
    a.iata,
    a.icao,
    a.name,
    ag.city,
    ag.country,
    COALESCE(v.version, 0) AS version
FROM airport a
LEFT JOIN airport_geo ag ON ag.airport_id = a.airport_id
LEFT JOIN airport_write_version v ON v.iata = a.iata
WHERE a.iata = ?
ORDER BY a.airport_id
LIMIT 1`,
    params: ['iata'],
  },
  postgres: {
    sql: `SELECT
    a.iata,
    a.icao,
    a.name,
    ag.city,
    ag.country,
    COALESCE(v.version, 0) AS version
FROM airport a
LEFT JOIN airport_geo ag ON ag.airport_id = a.airport_id
LEFT JOIN airport_write_version v ON v.iata = a.iata
WHERE a.iata = $1
ORDER BY a.airport_id
LIMIT 1`,
    params: ['iata'],
  },
});

/** The guide's `route:{iata}:summary`: how many routes leave an airport, to how many places, on how many airlines. */
export const routeSummary = guideQuery({
  name: 'routeSummary',
  guideStep: 'Part 4, Step 13',
  description: 'Routes out of one airport: how many, to how many destinations, flown by how many airlines.',
  defaults: { iata: 'ATL' },
  mysql: {
    sql: `SELECT
    dep_a.iata,
    dep_a.name,
    COUNT(r.route_id) AS total_routes,
    COUNT(DISTINCT r.destination_airport_id_openflights) AS destinations,
    COUNT(DISTINCT r.airline_id_openflights) AS airlines
FROM route r
JOIN airport dep_a ON r.source_airport_id_openflights = dep_a.openflights_id
WHERE dep_a.iata = ?
GROUP BY dep_a.iata, dep_a.name`,
    params: ['iata'],
  },
  postgres: {
    sql: `SELECT
    dep_a.iata,
    dep_a.name,
    COUNT(r.route_id) AS total_routes,
    COUNT(DISTINCT r.destination_airport_id_openflights) AS destinations,
    COUNT(DISTINCT r.airline_id_openflights) AS airlines
FROM route r
JOIN airport dep_a ON r.source_airport_id_openflights = dep_a.openflights_id
WHERE dep_a.iata = $1
GROUP BY dep_a.iata, dep_a.name`,
    params: ['iata'],
  },
});

/** A dedicated connection for transactions: BEGIN ... COMMIT, ROLLBACK on any failure. */
export interface TransactionSession {
  readonly kind: EngineKind;
  run(statements: ReadonlyArray<{ sql: string; params?: readonly unknown[] }>): Promise<void>;
  release(): Promise<void>;
}

/** Opens a connection of its own for transactions (the pool's connections may differ from statement to statement). */
export async function openTransactionSession(engine: SqlEngine): Promise<TransactionSession> {
  const session: BulkSession = await engine.openBulkSession();
  try {
    await session.exec(engineDefinition(engine.kind).labTables.transactionSetup);
  } catch (error) {
    session.destroy();
    throw error;
  }
  let broken = false;
  return {
    kind: engine.kind,
    async run(statements) {
      if (broken) throw new Error(`This transaction session at ${engine.where} broke earlier; open another one.`);
      await session.exec('BEGIN');
      try {
        for (const statement of statements) await session.exec(statement.sql, statement.params ?? []);
        await session.exec('COMMIT');
      } catch (error) {
        try {
          await session.exec('ROLLBACK');
        } catch {
          broken = true; // the connection itself is gone: release() destroys it rather than pooling it
        }
        throw error;
      }
    },
    async release() {
      if (broken) session.destroy();
      else await session.release();
    },
  };
}

/** Runs statements as one transaction on a connection of its own, then returns the connection. */
export async function inTransaction(
  engine: SqlEngine,
  statements: ReadonlyArray<{ sql: string; params?: readonly unknown[] }>,
): Promise<void> {
  const session = await openTransactionSession(engine);
  try {
    await session.run(statements);
  } finally {
    await session.release();
  }
}

/** An airport as the `airport:{iata}` HASH holds it: text fields only (a missing value is left out). */
export type AirportFields = Record<string, string>;

/** The airport's fields and the version of its last rename, read in one statement; null when there is no such airport. */
export async function loadAirportRecord(
  engine: SqlEngine,
  iata: string,
): Promise<{ value: AirportFields; version: number } | null> {
  const text = airportRecord[engine.kind];
  const { rows } = await engine.query<Record<string, unknown>>(text.sql, [iata]);
  const row = rows[0];
  if (!row) return null;
  const value: AirportFields = {};
  for (const field of ['iata', 'icao', 'name', 'city', 'country']) {
    const cell = row[field];
    if (cell !== null && cell !== undefined) value[field] = String(cell).trim();
  }
  return { value, version: Number(row.version) };
}

/**
 * Renames an airport in one transaction that also bumps its version: the row lock the UPDATE takes makes
 * a second writer wait, so versions are handed out in commit order.
 */
export async function renameAirport(engine: SqlEngine, iata: string, name: string): Promise<void> {
  const exists = await loadAirportRecord(engine, iata);
  if (!exists) {
    throw new LabError({
      what: `No airport has the IATA code ${iata}`,
      where: engine.where,
      fix: 'Use a code from the airport table.',
    });
  }
  const { param } = engine.dialect;
  await inTransaction(engine, [
    { sql: `UPDATE airport SET name = ${param(1)} WHERE iata = ${param(2)}`, params: [name, iata] },
    { sql: engineDefinition(engine.kind).labTables.upsertVersion, params: [iata] },
  ]);
}

/** One write taken off the write-behind stream, as the database side applies it. */
export interface WrittenBehind {
  /** Unique per entry: the stream's name and the entry's id. */
  idempotencyKey: string;
  runId: string;
  writeId: string;
  cacheKey: string;
  value: string;
}

/**
 * Applies one written-behind entry: its idempotency key and its row go in one transaction, so an entry
 * delivered again (the worker died before acknowledging it) meets its own key and changes nothing.
 */
export async function applyWrittenBehind(
  session: TransactionSession,
  entry: WrittenBehind,
): Promise<'applied' | 'duplicate'> {
  const { dialect } = engineDefinition(session.kind);
  const [p1, p2, p3, p4] = [1, 2, 3, 4].map(dialect.param);
  try {
    await session.run([
      { sql: `INSERT INTO write_behind_applied (idempotency_key) VALUES (${p1})`, params: [entry.idempotencyKey] },
      {
        sql: `INSERT INTO write_behind_row (run_id, write_id, cache_key, value) VALUES (${p1}, ${p2}, ${p3}, ${p4})`,
        params: [entry.runId, entry.writeId, entry.cacheKey, entry.value],
      },
    ]);
    return 'applied';
  } catch (error) {
    if (dialect.isDuplicateKey(error)) return 'duplicate';
    throw error;
  }
}

/** What the database holds for one write-behind run: computed from its rows, not from what the worker said. */
export interface WriteBehindTally {
  /** Distinct writes that reached the database. */
  applied: number;
  /** Rows in all (more than `applied` when some write was applied twice). */
  rows: number;
  /** Writes with more than one row. */
  appliedTwice: number;
}

/** What the database holds for one write-behind run: writes applied, rows, and writes applied twice. */
export async function writeBehindTally(engine: SqlEngine, runId: string): Promise<WriteBehindTally> {
  const p = engine.dialect.param(1);
  const { rows } = await engine.query<Record<string, unknown>>(
    `SELECT COUNT(*) AS row_count, COUNT(DISTINCT write_id) AS applied FROM write_behind_row WHERE run_id = ${p}`,
    [runId],
  );
  const { rows: twice } = await engine.query<Record<string, unknown>>(
    `SELECT COUNT(*) AS twice FROM (SELECT write_id FROM write_behind_row WHERE run_id = ${p} GROUP BY write_id HAVING COUNT(*) > 1) t`,
    [runId],
  );
  return {
    applied: Number(rows[0]?.applied ?? 0),
    rows: Number(rows[0]?.row_count ?? 0),
    appliedTwice: Number(twice[0]?.twice ?? 0),
  };
}

/** Removes one run's rows and idempotency keys (the drill keeps the tables small; nothing else reads them). */
export async function clearWriteBehindRun(engine: SqlEngine, runId: string, streamKey: string): Promise<void> {
  const p = engine.dialect.param(1);
  await engine.query(`DELETE FROM write_behind_row WHERE run_id = ${p}`, [runId]);
  await engine.query(`DELETE FROM write_behind_applied WHERE idempotency_key LIKE ${p}`, [`${streamKey}/%`]);
}
