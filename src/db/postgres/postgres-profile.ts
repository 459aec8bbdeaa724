// PostgreSQL's profiler: the query once more with BUFFERS, for the pages each step found in memory or read.

import { numberAt, type ServerProfiler } from '../profile';

export const postgresServerFigures: ServerProfiler = async (engine, sql, params) => {
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
};
