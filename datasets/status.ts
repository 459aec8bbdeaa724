// What a database holds: nothing, a complete dataset, an interrupted load, or tables the loader did not create.

import type { EngineKind } from '../src/config';
import type { SqlEngine } from '../src/db/engine';
import { DATASET_TABLES, type TableName } from './schema';

/** The loader's own table: which dataset it loaded, with which generator, and whether the load finished. */
export const METADATA_TABLE = 'lab_dataset';
/** The one row the loader keeps in METADATA_TABLE. */
export const DATASET_NAME = 'flughafendb';

export type DatasetState = 'empty' | 'loaded' | 'interrupted' | 'foreign';

export interface DatasetStatus {
  state: DatasetState;
  /** `host:port/database`. */
  where: string;
  scale?: string;
  seed?: number;
  generatorVersion?: string;
  /** When the load started and finished (UTC, `YYYY-MM-DD HH:MM:SS`). */
  startedAt?: string;
  loadedAt?: string;
  /** Rows per table as loaded (recorded by the loader when it finished). */
  counts?: Partial<Record<TableName, number>>;
  /** Tables that stand in the way: the loader did not create them and will not drop them. */
  foreignTables?: string[];
  /** Dataset tables missing from a load that was recorded as finished. */
  missingTables?: string[];
  /** One sentence saying what this means. */
  detail: string;
}

const METADATA_COLUMNS = [
  'dataset',
  'state',
  'generator_version',
  'scale',
  'seed',
  'started_at',
  'loaded_at',
  'row_counts',
];

export function metadataTableSql(kind: EngineKind): string {
  if (kind === 'mysql') {
    return `CREATE TABLE IF NOT EXISTS ${METADATA_TABLE} (
  dataset VARCHAR(40) NOT NULL PRIMARY KEY,
  state VARCHAR(16) NOT NULL,
  generator_version VARCHAR(20) NOT NULL,
  scale VARCHAR(16) NOT NULL,
  seed BIGINT NOT NULL,
  started_at DATETIME NOT NULL,
  loaded_at DATETIME NULL,
  row_counts TEXT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='Written by the dataset loader: which dataset the tables hold and whether loading finished.'`;
  }
  return `CREATE TABLE IF NOT EXISTS ${METADATA_TABLE} (
  dataset varchar(40) PRIMARY KEY,
  state varchar(16) NOT NULL,
  generator_version varchar(20) NOT NULL,
  scale varchar(16) NOT NULL,
  seed bigint NOT NULL,
  started_at timestamp(0) NOT NULL,
  loaded_at timestamp(0) NULL,
  row_counts text NULL
)`;
}

/** Records that a load has started: until `markLoaded` runs, the dataset reads as interrupted. */
export async function markLoading(
  engine: SqlEngine,
  values: { scale: string; seed: number; generatorVersion: string; startedAt: string },
): Promise<void> {
  const p = (n: number) => engine.dialect.param(n);
  const upsert =
    engine.kind === 'mysql'
      ? `INSERT INTO ${METADATA_TABLE} (dataset, state, generator_version, scale, seed, started_at, loaded_at, row_counts)
         VALUES (?, 'loading', ?, ?, ?, ?, NULL, NULL)
         ON DUPLICATE KEY UPDATE state = 'loading', generator_version = ?, scale = ?, seed = ?, started_at = ?,
           loaded_at = NULL, row_counts = NULL`
      : `INSERT INTO ${METADATA_TABLE} (dataset, state, generator_version, scale, seed, started_at, loaded_at, row_counts)
         VALUES (${p(1)}, 'loading', ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, NULL, NULL)
         ON CONFLICT (dataset) DO UPDATE SET state = 'loading', generator_version = EXCLUDED.generator_version,
           scale = EXCLUDED.scale, seed = EXCLUDED.seed, started_at = EXCLUDED.started_at, loaded_at = NULL, row_counts = NULL`;
  const fields = [values.generatorVersion, values.scale, values.seed, values.startedAt];
  await engine.query(
    upsert,
    engine.kind === 'mysql' ? [DATASET_NAME, ...fields, ...fields] : [DATASET_NAME, ...fields],
  );
}

/** Records that every table is loaded and indexed, with the row counts. */
export async function markLoaded(engine: SqlEngine, loadedAt: string, counts: Record<string, number>): Promise<void> {
  const p = (n: number) => engine.dialect.param(n);
  const { affectedRows } = await engine.query(
    `UPDATE ${METADATA_TABLE} SET state = 'loaded', loaded_at = ${p(1)}, row_counts = ${p(2)} WHERE dataset = ${p(3)} AND state = 'loading'`,
    [loadedAt, JSON.stringify(counts), DATASET_NAME],
  );
  if (affectedRows !== 1) throw new Error(`The ${METADATA_TABLE} record changed while loading at ${engine.where}.`);
}

interface MetadataRow {
  state: string;
  generator_version: string;
  scale: string;
  seed: number | string;
  started_at: string;
  loaded_at: string | null;
  row_counts: string | null;
}

/** Looks at the database and says what it holds (see DatasetState). Reads only; changes nothing. */
export async function datasetStatus(engine: SqlEngine): Promise<DatasetStatus> {
  const present = new Set((await engine.listTables()).map((t) => t.toLowerCase()));
  const ours = DATASET_TABLES.filter((t) => present.has(t));
  const where = engine.where;

  if (!present.has(METADATA_TABLE)) {
    if (ours.length === 0) return { state: 'empty', where, detail: 'No dataset tables yet.' };
    return {
      state: 'foreign',
      where,
      foreignTables: ours,
      detail: `Tables named like the dataset's (${ours.join(', ')}) exist, but the loader did not create them.`,
    };
  }

  const columns = (await engine.describeTable(METADATA_TABLE)).map((c) => c.name.toLowerCase());
  if (!METADATA_COLUMNS.every((c) => columns.includes(c))) {
    return {
      state: 'foreign',
      where,
      foreignTables: [METADATA_TABLE, ...ours],
      detail: `A table named ${METADATA_TABLE} exists but is not the loader's record.`,
    };
  }

  const { rows } = await engine.query<MetadataRow>(
    `SELECT state, generator_version, scale, seed, started_at, loaded_at, row_counts FROM ${METADATA_TABLE} WHERE dataset = ${engine.dialect.param(1)}`,
    [DATASET_NAME],
  );
  const record = rows[0];
  if (!record) {
    if (ours.length === 0) return { state: 'empty', where, detail: 'No dataset tables yet.' };
    return {
      state: 'foreign',
      where,
      foreignTables: ours,
      detail: `Tables named like the dataset's (${ours.join(', ')}) exist, but the loader has no record of creating them.`,
    };
  }

  const described = {
    where,
    scale: record.scale,
    seed: Number(record.seed),
    generatorVersion: record.generator_version,
    startedAt: record.started_at,
  };
  if (record.state !== 'loaded') {
    return {
      ...described,
      state: 'interrupted',
      detail: `A ${record.scale} load started at ${record.started_at} never finished; loading again replaces it.`,
    };
  }
  const missing = DATASET_TABLES.filter((t) => !present.has(t));
  const counts = record.row_counts ? (JSON.parse(record.row_counts) as Partial<Record<TableName, number>>) : undefined;
  if (missing.length > 0) {
    return {
      ...described,
      state: 'interrupted',
      loadedAt: record.loaded_at ?? undefined,
      counts,
      missingTables: missing,
      detail: `The ${record.scale} dataset is incomplete (missing ${missing.join(', ')}); loading again replaces it.`,
    };
  }
  return {
    ...described,
    state: 'loaded',
    loadedAt: record.loaded_at ?? undefined,
    counts,
    detail: `The ${record.scale} dataset (seed ${record.seed}, generator ${record.generator_version}) is loaded.`,
  };
}

/** Exact row counts, counted now (slow on big tables; the status's `counts` are what the loader recorded). */
export async function countRows(engine: SqlEngine): Promise<Record<TableName, number>> {
  const counts = {} as Record<TableName, number>;
  for (const table of DATASET_TABLES) {
    const { rows } = await engine.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${engine.dialect.quoteIdent(table)}`);
    counts[table] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}
