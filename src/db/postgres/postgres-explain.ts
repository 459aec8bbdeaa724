// Maps PostgreSQL's `EXPLAIN (FORMAT JSON)` into a PlanNode tree.

import type { AccessKind, PlanNode } from '../explain';

type Json = Record<string, unknown>;

const ACCESS: Record<string, AccessKind> = {
  'Seq Scan': 'full-scan',
  'Parallel Seq Scan': 'full-scan',
  // Index Scan and Index Only Scan: see indexAccess(), the condition decides.
  'Bitmap Heap Scan': 'index-lookup',
  'Bitmap Index Scan': 'index-lookup',
};

/** `raw` is the value of the "QUERY PLAN" column: an array holding one object with a "Plan". */
export function normalizePostgresPlan(raw: unknown): PlanNode {
  const top = (Array.isArray(raw) ? raw[0] : raw) as Json | undefined;
  const plan = top?.Plan as Json | undefined;
  if (!plan) throw new Error('PostgreSQL returned an EXPLAIN without a "Plan"');
  return node(plan);
}

function node(plan: Json): PlanNode {
  const type = String(plan['Node Type']);
  const result: PlanNode = {
    operation: joinStrategy(type, plan),
    children: (Array.isArray(plan.Plans) ? (plan.Plans as Json[]) : []).map(node),
  };
  const relation = plan['Relation Name'];
  if (typeof relation === 'string') {
    result.table = relation;
    if (typeof plan.Alias === 'string' && plan.Alias !== relation) result.alias = plan.Alias;
  }
  const access = ACCESS[type] ?? indexAccess(type, plan);
  if (access) result.access = access;
  if (typeof plan['Index Name'] === 'string') {
    result.index = plan['Index Name'];
  } else if (type === 'Bitmap Heap Scan') {
    // The index is named by the Bitmap Index Scan below; the heap scan is where the table is read.
    const index = result.children.find((c) => c.index)?.index;
    if (index) result.index = index;
  }
  if (typeof plan['Plan Rows'] === 'number') result.estimatedRows = plan['Plan Rows'];
  if (typeof plan['Actual Rows'] === 'number') {
    result.actualRows = plan['Actual Rows'];
    // A scan read what it returned plus what its filter threw away.
    if (result.table) result.rowsRead = plan['Actual Rows'] + Number(plan['Rows Removed by Filter'] ?? 0);
  }
  if (typeof plan['Total Cost'] === 'number') result.cost = plan['Total Cost'];
  if (typeof plan['Actual Total Time'] === 'number') result.actualMs = plan['Actual Total Time'];
  if (typeof plan['Actual Loops'] === 'number') result.loops = plan['Actual Loops'];
  const text = (...keys: string[]) => keys.map((k) => plan[k]).find((v): v is string => typeof v === 'string');
  // A Bitmap Heap Scan re-checks its index's condition on the rows it reads: the same condition, said once.
  const indexCondition = text('Index Cond') ?? (type === 'Bitmap Heap Scan' ? undefined : text('Recheck Cond'));
  if (indexCondition) result.indexCondition = indexCondition;
  const joinCondition = text('Hash Cond', 'Merge Cond');
  if (joinCondition) result.joinCondition = joinCondition;
  const filter = text('Filter', 'Join Filter');
  if (filter) result.filter = filter;
  if (type === 'Sort' && Array.isArray(plan['Sort Key'])) result.sortKey = plan['Sort Key'].join(', ');
  return result;
}

/**
 * An Index Scan with an `Index Cond` goes to the matching entries; without one it walks the whole index
 * in its order (e.g. to serve ORDER BY ... LIMIT without a sort), which is a full index scan.
 */
function indexAccess(type: string, plan: Json): AccessKind | undefined {
  if (type !== 'Index Scan' && type !== 'Index Only Scan') return undefined;
  return typeof plan['Index Cond'] === 'string' ? 'index-lookup' : 'full-index-scan';
}

function joinStrategy(type: string, plan: Json): string {
  if (type === 'Aggregate' && typeof plan.Strategy === 'string') return `${plan.Strategy} Aggregate`;
  return type;
}
