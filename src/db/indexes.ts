// Indexes of a table: list them, and create or drop one idempotently (a notebook can be re-run).

import { assertIdentifier, type SqlEngine } from './engine';

export interface IndexInfo {
  name: string;
  columns: string[];
  unique: boolean;
}

/** The indexes of `table`, with their columns in order. */
export async function listIndexes(engine: SqlEngine, table: string): Promise<IndexInfo[]> {
  const { rows } = await engine.query<{ name: string; column_name: string; is_unique: unknown }>(
    engine.dialect.listIndexesSql,
    [assertIdentifier(table)],
  );
  const byName = new Map<string, IndexInfo>();
  for (const row of rows) {
    const index = byName.get(row.name) ?? {
      name: row.name,
      columns: [],
      unique: Boolean(Number(row.is_unique) || row.is_unique === true),
    };
    index.columns.push(row.column_name);
    byName.set(row.name, index);
  }
  return [...byName.values()];
}

/** What an idempotent index change did, and the statement that ran (null when nothing had to change). */
export interface IndexChange {
  changed: boolean;
  sql: string | null;
}

/** Creates the index unless one of that name exists already. */
export async function createIndex(
  engine: SqlEngine,
  table: string,
  index: string,
  columns: readonly string[],
): Promise<IndexChange> {
  // Names are checked before anything runs, also when there turns out to be nothing to do.
  [index, ...columns].forEach(assertIdentifier);
  if ((await listIndexes(engine, table)).some((i) => i.name === index)) return { changed: false, sql: null };
  const q = engine.dialect.quoteIdent;
  const sql = `CREATE INDEX ${q(index)} ON ${q(table)} (${columns.map(q).join(', ')})`;
  await engine.query(sql);
  return { changed: true, sql };
}

/** Drops the index if it exists. */
export async function dropIndex(engine: SqlEngine, table: string, index: string): Promise<IndexChange> {
  assertIdentifier(index);
  if (!(await listIndexes(engine, table)).some((i) => i.name === index)) return { changed: false, sql: null };
  const sql = engine.dialect.dropIndexSql(table, index);
  await engine.query(sql);
  return { changed: true, sql };
}
