// Maps MariaDB's and MySQL's `EXPLAIN FORMAT=JSON` (and MariaDB's `ANALYZE FORMAT=JSON`) into a PlanNode tree.

import type { AccessKind, PlanNode } from '../explain';

type Json = Record<string, unknown>;

/** Keys that are steps of the plan, and the words the plan view uses for them. */
const STEPS: Record<string, string> = {
  query_block: 'query block',
  nested_loop: 'nested loop',
  'block-nl-join': 'block nested loop join',
  filesort: 'filesort',
  read_sorted_file: 'read sorted file',
  temporary_table: 'temporary table',
  ordering_operation: 'order',
  grouping_operation: 'group',
  duplicates_removal: 'remove duplicates',
  union_result: 'union',
  materialized: 'materialize',
  windowing: 'window',
};

const ACCESS: Record<string, AccessKind> = {
  ALL: 'full-scan',
  index: 'full-index-scan',
  range: 'index-range',
  index_merge: 'index-range',
  ref: 'index-lookup',
  ref_or_null: 'index-lookup',
  fulltext: 'index-lookup',
  eq_ref: 'unique-lookup',
  unique_subquery: 'unique-lookup',
  index_subquery: 'index-lookup',
  const: 'const',
  system: 'const',
};

/** Normalizes a MariaDB/MySQL JSON plan; `aliases` maps the aliases the plan uses to table names. */
export function normalizeMysqlPlan(raw: Json, aliases: Map<string, string>): PlanNode {
  const root: PlanNode = { operation: 'query', children: [] };
  collect(raw, root, aliases);
  // A plan of one query block reads best without the extra wrapper.
  return root.children.length === 1 ? root.children[0]! : root;
}

function collect(value: unknown, parent: PlanNode, aliases: Map<string, string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, parent, aliases);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'table' && isObject(child)) {
      parent.children.push(tableNode(child, aliases));
    } else if (key in STEPS) {
      const items = Array.isArray(child) ? child : [child];
      for (const item of items) {
        const node = stepNode(key, isObject(item) ? item : {});
        collect(item, node, aliases);
        parent.children.push(node);
      }
    } else if (isObject(child) || Array.isArray(child)) {
      // Containers the view has no word for (subqueries, query_specifications...) pass their steps through.
      collect(child, parent, aliases);
    }
  }
}

function stepNode(key: string, body: Json): PlanNode {
  const node: PlanNode = { operation: STEPS[key]!, children: [] };
  const cost = number(isObject(body.cost_info) ? body.cost_info.query_cost : undefined) ?? number(body.cost);
  if (cost !== undefined) node.cost = cost;
  const ms = number(body.r_total_time_ms);
  if (ms !== undefined) node.actualMs = ms;
  if (key === 'ordering_operation' && body.using_filesort === true) node.operation = 'order (filesort)';
  if (key === 'filesort' && typeof body.sort_key === 'string') node.sortKey = body.sort_key;
  return node;
}

function tableNode(table: Json, aliases: Map<string, string>): PlanNode {
  const alias = String(table.table_name ?? '?');
  const accessType = String(table.access_type ?? '');
  const node: PlanNode = {
    operation: accessType || 'table',
    table: aliases.get(alias) ?? alias,
    access: ACCESS[accessType] ?? 'other',
    children: [],
  };
  if (node.table !== alias) node.alias = alias;
  if (typeof table.key === 'string') node.index = table.key;
  const estimated = number(table.rows) ?? number(table.rows_examined_per_scan);
  if (estimated !== undefined) node.estimatedRows = estimated;
  // MariaDB's r_rows counts rows read (per loop); r_filtered is the share that passed the condition.
  const read = number(table.r_rows);
  if (read !== undefined) {
    node.rowsRead = read;
    node.actualRows = Math.round((read * (number(table.r_filtered) ?? 100)) / 100);
  }
  const cost = isObject(table.cost_info) ? number(table.cost_info.prefix_cost) : number(table.cost);
  if (cost !== undefined) node.cost = cost;
  const ms = number(table.r_table_time_ms);
  if (ms !== undefined) node.actualMs = ms;
  const loops = number(table.r_loops);
  if (loops !== undefined) node.loops = loops;
  if (typeof table.index_condition === 'string') node.indexCondition = table.index_condition;
  if (typeof table.attached_condition === 'string') node.filter = table.attached_condition;
  const rowidFilter =
    isObject(table.rowid_filter) && isObject(table.rowid_filter.range) ? table.rowid_filter.range.key : undefined;
  if (typeof rowidFilter === 'string') node.rowidFilter = rowidFilter;
  // A derived table or subquery read through this table hangs below it.
  for (const [key, child] of Object.entries(table)) {
    if (isObject(child) && (key === 'materialized' || key === 'query_block')) collect({ [key]: child }, node, aliases);
  }
  return node;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function number(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}
