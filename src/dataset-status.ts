// What the lab database holds: nothing, a complete dataset, an interrupted load, or tables the loader did not create.
// Read-only; the loader (datasets/) writes the record this reads.

import type { TableDefinition } from './db/ddl';
import type { SqlEngine } from './db/engine';

/** The 18 tables of the guide's `SHOW TABLES`, in load order (a table's references load before it). */
export const DATASET_TABLES = [
  'country',
  'airport',
  'airport_geo',
  'city',
  'city_airport_relation',
  'airline',
  'airplane_type',
  'airplane',
  'route',
  'airport_reachable',
  'flightschedule',
  'flight',
  'flight_log',
  'passenger',
  'passengerdetails',
  'booking',
  'employee',
  'weatherdata',
] as const;

export type TableName = (typeof DATASET_TABLES)[number];

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

export const METADATA_COLUMNS = [
  'dataset',
  'state',
  'generator_version',
  'scale',
  'seed',
  'started_at',
  'loaded_at',
  'row_counts',
];

/** The loader's record, described like the dataset's tables so each engine renders its own DDL. */
export const METADATA: TableDefinition = {
  name: METADATA_TABLE,
  about: 'Written by the dataset loader: which dataset the tables hold and whether loading finished.',
  columns: [
    { name: 'dataset', type: { kind: 'varchar', length: 40 } },
    { name: 'state', type: { kind: 'varchar', length: 16 } },
    { name: 'generator_version', type: { kind: 'varchar', length: 20 } },
    { name: 'scale', type: { kind: 'varchar', length: 16 } },
    { name: 'seed', type: { kind: 'bigint' } },
    { name: 'started_at', type: { kind: 'datetime' } },
    { name: 'loaded_at', type: { kind: 'datetime' }, nullable: true },
    { name: 'row_counts', type: { kind: 'text' }, nullable: true },
  ],
  primaryKey: ['dataset'],
  indexes: [],
  foreignKeys: [],
};

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
