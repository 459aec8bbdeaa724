// One call for the guide's query cells: show the SQL, run it, show the rows, hand the result back.

import type { QueryResult, Row, SqlEngine } from '../db/engine';
import { prepareGuideQuery, type GuideQuery, type QueryValue } from '../queries';
import { showSql } from './sql';
import { showTable, type TableOptions } from './table';

export interface ShowQueryOptions extends TableOptions {
  /** Show the SQL above the rows (default true). */
  showSql?: boolean;
}

/**
 * Shows the engine's text of `query`, runs it with the guide's values (or `params` where given), shows
 * the rows as a table and returns the result (`rows`, `elapsedMs`), so the cell can check and reuse them.
 * The table's caption defaults to the query's name and its row count; the time of this one run is in the result
 * but not shown, since a first run pays for cold caches and is no measure of the query. Give the row type first
 * when a cell wants it: `showQuery<{ iata: string }>(lab.sql, airportByIata)` (the query's parameter
 * type is then left open; without type arguments both are inferred).
 */
export async function showQuery<R = Row, P extends Record<string, QueryValue> = any>(
  sql: SqlEngine,
  query: GuideQuery<P>,
  params: Partial<P> = {},
  options: ShowQueryOptions = {},
): Promise<QueryResult<R>> {
  const prepared = prepareGuideQuery(query, sql.kind, params);
  if (options.showSql ?? true) showSql(prepared.sql);
  const result = await sql.query<R>(prepared.sql, prepared.params);
  const { showSql: _shown, ...table } = options;
  const count = result.rows.length;
  const caption = table.caption ?? `${query.name}: ${count} ${count === 1 ? 'row' : 'rows'}`;
  showTable(result.rows as readonly object[], { ...table, caption });
  return result;
}
