// The loader: generated rows streamed into the engine's bulk path, indexes built afterwards, the result recorded.

import type { EngineKind } from '../src/db/kinds';
import { engineDefinition } from '../src/db/engines';
import type { BulkSession, SqlEngine } from '../src/db/engine';
import { LabError, errorMessage } from '../src/errors';
import { planDataset, type TablePlan } from './plan';
import { GENERATOR_VERSION, checkSeed, scaleDefinition } from './scales';
import {
  DATASET_TABLES,
  SCHEMA,
  columnNames,
  createTableSql,
  dropTablesSql,
  foreignKeySql,
  type TableName,
} from './schema';
import { datasetStatus, markLoaded, markLoading, metadataTableSql, type DatasetStatus } from './status';
import type { Chunk } from './tsv';

export interface LoadOptions {
  scale: string;
  seed: number;
  /** Reload even when the same dataset is already loaded. */
  force?: boolean;
  onProgress?: (event: LoadProgress) => void;
  /** Connections that load and index at once (default 2: one per core of a small machine). */
  connections?: number;
}

export type LoadProgress =
  | { kind: 'planned'; tables: { table: TableName; rows: number }[]; seconds: number }
  | { kind: 'rows'; table: TableName; loaded: number; total: number }
  | { kind: 'table-loaded'; table: TableName; rows: number; seconds: number }
  | { kind: 'indexing'; table: TableName }
  | { kind: 'indexed'; table: TableName; seconds: number };

export interface TableLoad {
  table: TableName;
  rows: number;
  /** From the first row sent to the last row stored (indexes not included). */
  seconds: number;
  rowsPerSecond: number;
  /** Time spent building this table's keys, indexes and foreign keys, afterwards. */
  indexSeconds: number;
}

export interface LoadSummary {
  engine: EngineKind;
  where: string;
  scale: string;
  seed: number;
  generatorVersion: string;
  /** True when the same dataset was already loaded and nothing was done. */
  skipped: boolean;
  /** What the database held before. */
  before: DatasetStatus['state'];
  tables: TableLoad[];
  rows: number;
  planSeconds: number;
  loadSeconds: number;
  indexSeconds: number;
  totalSeconds: number;
  /** All rows over the whole time (planning, loading and indexing). */
  rowsPerSecond: number;
}

/** How long a load waits for another one (or a killed one's lock, until the server notices) before giving up. */
const LOCK_WAIT_SECONDS = 3;

/** The lock a load holds on its database, so two loads never run into each other. */
export function loaderLockName(engine: SqlEngine): string {
  return `flughafendb-loader:${engine.where}`;
}

/** Tables with more rows than this load over several connections at once. */
const SPLIT_ROWS = 200_000;

const seconds = (since: number) => (performance.now() - since) / 1000;

function utcNow(): string {
  return new Date().toISOString().slice(0, 19).replace('T', ' ');
}

function refuseForeign(status: DatasetStatus): never {
  throw new LabError({
    what: `Refusing to load the dataset: the database holds tables the loader did not create (${(status.foreignTables ?? []).join(', ')})`,
    where: status.where,
    fix: 'Point MYSQL_URL / PG_URL at an empty database, or drop those tables yourself if nothing needs them.',
  });
}

function isCurrent(status: DatasetStatus, scale: string, seed: number): boolean {
  return (
    status.state === 'loaded' &&
    status.scale === scale &&
    status.seed === seed &&
    status.generatorVersion === GENERATOR_VERSION
  );
}

/**
 * Loads the FlughafenDB dataset at `scale` with `seed` into `engine`'s database.
 * - A re-run with the same scale, seed and generator version does nothing (`skipped`), unless `force`.
 * - Tables the loader did not create are never dropped: such a database is refused with a LabError.
 * - The load is recorded as 'loading' first and 'loaded' only after every row and index is in, so an
 *   interrupted load reads as 'interrupted' and the next run redoes it.
 */
export async function loadDataset(engine: SqlEngine, options: LoadOptions): Promise<LoadSummary> {
  const started = performance.now();
  const scale = scaleDefinition(options.scale).scale;
  const seed = checkSeed(options.seed);
  const base = { engine: engine.kind, where: engine.where, scale, seed, generatorVersion: GENERATOR_VERSION };
  const skipped = (before: DatasetStatus['state']): LoadSummary => ({
    ...base,
    skipped: true,
    before,
    tables: [],
    rows: 0,
    planSeconds: 0,
    loadSeconds: 0,
    indexSeconds: 0,
    totalSeconds: seconds(started),
    rowsPerSecond: 0,
  });

  const first = await datasetStatus(engine);
  if (first.state === 'foreign') refuseForeign(first);
  if (!options.force && isCurrent(first, scale, seed)) return skipped(first.state);

  const lockName = loaderLockName(engine);
  const control = await engine.openBulkSession();
  let locked = false;
  try {
    locked = await control.tryLock(lockName, LOCK_WAIT_SECONDS);
    if (!locked) {
      throw new LabError({
        what: 'Another dataset load is running on this database',
        where: engine.where,
        fix: 'Wait for it to finish, then run the loader again.',
      });
    }
    // Someone may have finished (or started something else) while we waited for the lock.
    const before = await datasetStatus(engine);
    if (before.state === 'foreign') refuseForeign(before);
    if (!options.force && isCurrent(before, scale, seed)) return skipped(before.state);

    await control.exec(metadataTableSql(engine.kind));
    await markLoading(engine, { scale, seed, generatorVersion: GENERATOR_VERSION, startedAt: utcNow() });

    const planStarted = performance.now();
    const plan = planDataset(scale, seed);
    const planSeconds = seconds(planStarted);
    options.onProgress?.({
      kind: 'planned',
      tables: plan.tables.map((t) => ({ table: t.table, rows: t.rows })),
      seconds: planSeconds,
    });

    await control.exec(dropTablesSql(engine.kind, DATASET_TABLES));
    for (const table of DATASET_TABLES) await control.exec(createTableSql(engine.kind, table));

    const connections = Math.max(1, Math.floor(options.connections ?? 2));
    const loadStarted = performance.now();
    const loads = await loadTables(engine, plan.tables, connections, options.onProgress);
    const loadSeconds = seconds(loadStarted);

    const indexStarted = performance.now();
    const indexTimes = await buildIndexes(engine, plan.tables, connections, options.onProgress);
    await control.exec(engineDefinition(engine.kind).ddl.analyzeTables(DATASET_TABLES));
    const indexSeconds = seconds(indexStarted);

    const counts = Object.fromEntries(loads.map((l) => [l.table, l.rows]));
    await markLoaded(engine, utcNow(), counts);

    const rows = loads.reduce((sum, l) => sum + l.rows, 0);
    const totalSeconds = seconds(started);
    return {
      ...base,
      skipped: false,
      before: before.state,
      tables: loads.map((l) => ({ ...l, indexSeconds: indexTimes.get(l.table) ?? 0 })),
      rows,
      planSeconds,
      loadSeconds,
      indexSeconds,
      totalSeconds,
      rowsPerSecond: rows / totalSeconds,
    };
  } catch (error) {
    if (error instanceof LabError) throw error;
    throw new LabError({
      what: `Loading the ${scale} dataset failed (${errorMessage(error)}); the database is marked as an interrupted load`,
      where: engine.where,
      fix: 'Fix the cause and run the loader again: it starts over.',
      cause: error,
    });
  } finally {
    if (locked) await control.unlock(lockName).catch(() => undefined);
    await control.release();
  }
}

interface LoadTask {
  table: TablePlan;
  chunks: Iterable<Chunk>;
}

/** Runs `work` over `items` with at most `sessions.length` at a time, one session each; the first failure stops the rest. */
async function onSessions<T>(
  sessions: BulkSession[],
  items: T[],
  work: (session: BulkSession, item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  await Promise.all(
    sessions.map(async (session) => {
      while (!failed && next < items.length) {
        const item = items[next++]!;
        try {
          await work(session, item);
        } catch (error) {
          failed = true;
          // Stop the other sessions' statements too: closing their connections makes the server abandon them.
          for (const other of sessions) if (other !== session) other.destroy();
          throw error;
        }
      }
    }),
  );
}

async function withSessions<T>(
  engine: SqlEngine,
  count: number,
  use: (sessions: BulkSession[]) => Promise<T>,
): Promise<T> {
  const sessions: BulkSession[] = [];
  try {
    for (let i = 0; i < count; i++) sessions.push(await engine.openBulkSession());
    return await use(sessions);
  } catch (error) {
    for (const session of sessions) session.destroy();
    sessions.length = 0;
    throw error;
  } finally {
    for (const session of sessions) await session.release();
  }
}

async function loadTables(
  engine: SqlEngine,
  tables: TablePlan[],
  connections: number,
  onProgress: LoadOptions['onProgress'],
): Promise<Omit<TableLoad, 'indexSeconds'>[]> {
  const progress = new Map(
    tables.map((t) => [t.table, { loaded: 0, stored: 0, partsLeft: 0, started: 0, seconds: 0 }]),
  );
  const tasks: LoadTask[] = [];
  // Biggest first, so the large tables' parts run side by side and the small tables fill the gaps.
  for (const table of [...tables].sort((a, b) => b.rows - a.rows)) {
    const parts = table.parts(table.rows > SPLIT_ROWS ? connections : 1);
    progress.get(table.table)!.partsLeft = parts.length;
    for (const chunks of parts) tasks.push({ table, chunks });
  }

  await withSessions(engine, connections, (sessions) =>
    onSessions(sessions, tasks, async (session, task) => {
      const name = task.table.table;
      const state = progress.get(name)!;
      if (state.started === 0) state.started = performance.now();
      const stored = await session.load(name, columnNames(name), task.chunks, (rows) => {
        state.loaded += rows;
        onProgress?.({ kind: 'rows', table: name, loaded: state.loaded, total: task.table.rows });
      });
      state.stored += stored;
      if (--state.partsLeft === 0) {
        state.seconds = seconds(state.started);
        if (state.stored !== task.table.rows) {
          throw new Error(`${name} holds ${state.stored} rows, the generator made ${task.table.rows}`);
        }
        onProgress?.({ kind: 'table-loaded', table: name, rows: state.stored, seconds: state.seconds });
      }
    }),
  );

  return tables.map((t) => {
    const state = progress.get(t.table)!;
    return {
      table: t.table,
      rows: state.stored,
      seconds: state.seconds,
      rowsPerSecond: state.seconds > 0 ? state.stored / state.seconds : 0,
    };
  });
}

/**
 * Builds keys and indexes after the rows are in (sorting once is far cheaper than maintaining an index row
 * by row), then the foreign keys. PostgreSQL gets its primary keys first, then every secondary index as its
 * own statement so one table's indexes build side by side; MySQL builds a table's indexes in one ALTER.
 */
async function buildIndexes(
  engine: SqlEngine,
  tables: TablePlan[],
  connections: number,
  onProgress: LoadOptions['onProgress'],
): Promise<Map<TableName, number>> {
  const bySize = [...tables].sort((a, b) => b.rows - a.rows).map((t) => t.table);
  const times = new Map<TableName, { busy: number; left: number; announced: boolean }>();
  const statements: { table: TableName; sql: string; phase: number }[] = [];
  for (const table of bySize) {
    const keys = engineDefinition(engine.kind).ddl.keys(SCHEMA[table]);
    if (keys.primaryKey) statements.push({ table, sql: keys.primaryKey, phase: 0 });
    for (const sql of keys.indexes) statements.push({ table, sql, phase: 1 });
    for (const sql of foreignKeySql(engine.kind, table)) statements.push({ table, sql, phase: 2 });
  }
  for (const s of statements) {
    const entry = times.get(s.table);
    if (entry) entry.left++;
    else times.set(s.table, { busy: 0, left: 1, announced: false });
  }
  const result = new Map<TableName, number>();
  await withSessions(engine, connections, async (sessions) => {
    for (const phase of [0, 1, 2]) {
      await onSessions(
        sessions,
        statements.filter((s) => s.phase === phase),
        async (session, statement) => {
          const entry = times.get(statement.table)!;
          if (!entry.announced) {
            entry.announced = true;
            onProgress?.({ kind: 'indexing', table: statement.table });
          }
          const started = performance.now();
          await session.exec(statement.sql);
          // A table's time is the sum of its statements (they may run apart, in different phases).
          entry.busy += seconds(started);
          if (--entry.left === 0) {
            result.set(statement.table, entry.busy);
            onProgress?.({ kind: 'indexed', table: statement.table, seconds: entry.busy });
          }
        },
      );
    }
  });
  return result;
}
