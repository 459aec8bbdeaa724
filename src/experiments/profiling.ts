// SQL profiling on the active engine: what the server itself says a query cost (time, rows, buffers).

import type { Row, SqlEngine } from '../db/engine';
import { engineDefinition } from '../db/engines';
import { planNodes, type ExplainResult } from '../db/explain';
import type { ServerFigures } from '../db/profile';

/** The server's own figures (each engine's profiler: src/db/<engine>/<engine>-profile.ts) beside the client's. */
export interface QueryProfile extends ServerFigures {
  /** The same query run plainly right after: the time the application waited (network and driver included). */
  clientMs: number;
  /** Rows that plain run returned, and the rows themselves (so a notebook need not run a slow query again). */
  rowsReturned: number;
  rows: Row[];
  /** Rows read by all steps together, before filtering: the work done. */
  rowsRead: number;
  /** The normalized plan with actual figures (for showPlan). */
  explain: ExplainResult;
}

/**
 * Runs the query under the engine's profiler: MariaDB `ANALYZE FORMAT=JSON` (the statement runs and
 * each step reports r_rows and time), PostgreSQL `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` (adds the
 * buffer pages each step touched), then runs it once plainly to set the application's wait beside the
 * server's figure. The query really runs (twice on PostgreSQL: plan, then buffers): only profile reads.
 */
export async function profileQuery(
  engine: SqlEngine,
  sql: string,
  params: readonly unknown[] = [],
): Promise<QueryProfile> {
  const explain = await engine.explain(sql, params, { analyze: true });
  const nodes = planNodes(explain.plan);
  const rowsRead = nodes.reduce((sum, node) => sum + (node.rowsRead ?? 0), 0);
  const plain = await engine.query(sql, params);
  const client = { clientMs: plain.elapsedMs, rowsReturned: plain.rows.length, rows: plain.rows };
  return {
    ...client,
    rowsRead,
    explain,
    ...(await engineDefinition(engine.kind).serverFigures(engine, sql, params, explain)),
  };
}
