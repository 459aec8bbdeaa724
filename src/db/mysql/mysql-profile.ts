// MariaDB's profiler: ANALYZE FORMAT=JSON has already run (as the analyzed plan); its query block carries the time.

import { planNodes } from '../explain';
import { numberAt, type ServerProfiler } from '../profile';

export const mysqlServerFigures: ServerProfiler = async (_engine, _sql, _params, explain) => {
  const block = (explain.raw as Record<string, unknown>).query_block;
  const stepsMs = planNodes(explain.plan).reduce((sum, node) => sum + (node.actualMs ?? 0), 0);
  return { statement: explain.sql, serverMs: numberAt(block, 'r_total_time_ms') ?? stepsMs };
};
