// SQL profiling on the active engine: what the server itself says a query cost (time, rows, buffers).

import type { Row, SqlEngine } from '../db/engine';
import { planNodes, type ExplainResult } from '../db/explain';
import type { EngineKind } from '../db/kinds';

export interface QueryProfile {
  /** The statement that produced the figures (ANALYZE FORMAT=JSON or EXPLAIN (ANALYZE, BUFFERS ...)). */
  statement: string;
  /** Execution time as the server measured it, in ms (no network, no driver). */
  serverMs: number;
  /** Planning time, where the engine reports it apart (PostgreSQL). */
  planningMs?: number;
  /** The same query run plainly right after: the time the application waited (network and driver included). */
  clientMs: number;
  /** Rows that plain run returned, and the rows themselves (so a notebook need not run a slow query again). */
  rowsReturned: number;
  rows: Row[];
  /** Rows read by all steps together, before filtering: the work done. */
  rowsRead: number;
  /** PostgreSQL: 8 kB pages found in its buffer cache, and read from the OS / disk. */
  sharedHitBlocks?: number;
  sharedReadBlocks?: number;
  /** The normalized plan with actual figures (for showPlan). */
  explain: ExplainResult;
}

function numberAt(value: unknown, key: string): number | undefined {
  if (value && typeof value === 'object' && key in value) {
    const found = (value as Record<string, unknown>)[key];
    return typeof found === 'number' ? found : undefined;
  }
  return undefined;
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
  return { ...client, rowsRead, explain, ...(await SERVER_FIGURES[engine.kind](engine, sql, params, explain)) };
}

type ServerFigures = Pick<
  QueryProfile,
  'statement' | 'serverMs' | 'planningMs' | 'sharedHitBlocks' | 'sharedReadBlocks'
>;

/** Each engine's profiler reports the server's own time its own way. */
const SERVER_FIGURES: Record<
  EngineKind,
  (engine: SqlEngine, sql: string, params: readonly unknown[], explain: ExplainResult) => Promise<ServerFigures>
> = {
  // MariaDB: ANALYZE FORMAT=JSON has already run; its query block carries the total time.
  mysql: async (_engine, _sql, _params, explain) => {
    const block = (explain.raw as Record<string, unknown>).query_block;
    const stepsMs = planNodes(explain.plan).reduce((sum, node) => sum + (node.actualMs ?? 0), 0);
    return { statement: explain.sql, serverMs: numberAt(block, 'r_total_time_ms') ?? stepsMs };
  },
  // PostgreSQL: once more with BUFFERS, for the pages each step found in memory or read.
  postgres: async (engine, sql, params) => {
    const statement = `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`;
    const { rows } = await engine.query<{ 'QUERY PLAN': unknown }>(statement, params);
    const top = (rows[0]?.['QUERY PLAN'] as unknown[] | undefined)?.[0];
    const plan = top && typeof top === 'object' ? (top as Record<string, unknown>).Plan : undefined;
    const planningMs = numberAt(top, 'Planning Time');
    return {
      statement,
      serverMs: numberAt(top, 'Execution Time') ?? 0,
      ...(planningMs !== undefined ? { planningMs } : {}),
      sharedHitBlocks: numberAt(plan, 'Shared Hit Blocks') ?? 0,
      sharedReadBlocks: numberAt(plan, 'Shared Read Blocks') ?? 0,
    };
  },
};
