// The normalized plan tree every engine's EXPLAIN maps into, and questions one can ask of it.

import type { EngineKind } from './kinds';

/**
 * How a table is read. The engines' own words differ (ALL / Seq Scan, ref / Index Scan...);
 * these are the ideas a learner compares.
 */
export type AccessKind =
  | 'full-scan' // every row of the table is read
  | 'full-index-scan' // every entry of an index is read
  | 'index-range' // a range of an index is read
  | 'index-lookup' // matching entries are found through an index
  | 'unique-lookup' // at most one row, through a primary or unique key
  | 'const' // the optimizer read the one row up front
  | 'other';

export interface PlanNode {
  /** What this step does, in the engine's words (e.g. `Seq Scan`, `table ALL`, `filesort`). */
  operation: string;
  /** The real table name, when the step reads a table. */
  table?: string;
  /** The alias the query gave the table, when different from its name. */
  alias?: string;
  access?: AccessKind;
  /** The index used to read the table, if any. */
  index?: string;
  /** The optimizer's estimate of rows produced (per loop). */
  estimatedRows?: number;
  /** Rows this step actually produced, after its filter (with `analyze`). */
  actualRows?: number;
  /** Rows this step actually read from its table before filtering (with `analyze`): the work a scan did. */
  rowsRead?: number;
  /** The engine's cost estimate, where it gives one (PostgreSQL total cost, MySQL prefix cost). */
  cost?: number;
  /** Time spent, in ms, with `analyze`, where the engine reports it. */
  actualMs?: number;
  /**
   * How many times this step ran (with `analyze`): the inner side of a nested loop runs once per outer row, and
   * both engines then give its row figures per loop, as an average.
   */
  loops?: number;
  /** The condition an index answers: which entries to go to (PostgreSQL `Index Cond`, MariaDB `index_condition`). */
  indexCondition?: string;
  /** How two inputs are matched (PostgreSQL `Hash Cond`, `Merge Cond`). */
  joinCondition?: string;
  /** A condition tested on each row after it was read; rows failing it are thrown away. */
  filter?: string;
  /**
   * MariaDB's rowid filter: a second index whose matching row ids are collected first, so that only rows also on
   * that list are read. It is why a plan can read far fewer rows than its lookup alone would find.
   */
  rowidFilter?: string;
  /** What a sort step sorts by. */
  sortKey?: string;
  children: PlanNode[];
}

export interface ExplainResult {
  engine: EngineKind;
  /** The EXPLAIN statement that ran. */
  sql: string;
  /** The engine's own JSON plan, untouched. */
  raw: unknown;
  /** The same plan in the normalized shape. */
  plan: PlanNode;
  analyzed: boolean;
}

/** Every node of the plan, depth first. */
export function planNodes(plan: PlanNode): PlanNode[] {
  return [plan, ...plan.children.flatMap(planNodes)];
}

/** The nodes that read `table` (matched by real name or alias). */
export function tableAccesses(plan: PlanNode, table: string): PlanNode[] {
  return planNodes(plan).filter((n) => n.table === table || n.alias === table);
}

/** True when the plan reads every row of `table`. */
export function scansFullTable(plan: PlanNode, table: string): boolean {
  return tableAccesses(plan, table).some((n) => n.access === 'full-scan');
}

/** True when the plan reads `table` through an index (through `index`, if given). */
export function usesIndex(plan: PlanNode, table: string, index?: string): boolean {
  return tableAccesses(plan, table).some(
    (n) => n.index !== undefined && n.access !== 'full-scan' && (index === undefined || n.index === index),
  );
}

/**
 * The indexes that narrow how `table` is read: the one it is read through, and MariaDB's rowid filter (an
 * index the optimizer reads first to know which rows to skip). A plan can use an index on a column it does not
 * look up by: the flight search reads flight through the index on its destination and filters it through the
 * one on departure.
 */
export function indexesUsed(plan: PlanNode, table: string): string[] {
  const used = tableAccesses(plan, table).flatMap((n) => [
    ...(n.index !== undefined && n.access !== 'full-scan' ? [n.index] : []),
    ...(n.rowidFilter !== undefined ? [n.rowidFilter] : []),
  ]);
  return [...new Set(used)];
}

const NOT_ALIASES = new Set([
  'on',
  'using',
  'where',
  'join',
  'left',
  'right',
  'inner',
  'outer',
  'cross',
  'natural',
  'group',
  'order',
  'limit',
  'having',
  'union',
  'straight_join',
  'force',
  'use',
  'ignore',
  'lateral',
  'window',
  'offset',
  'set',
]);

/**
 * Maps aliases to table names for the `FROM x a` / `JOIN schema.x AS a` forms the lab's queries use.
 * MariaDB and MySQL plans name tables by alias only; this lets the plan say which table it is.
 */
export function tableAliases(sql: string): Map<string, string> {
  const aliases = new Map<string, string>();
  const pattern = /\b(?:from|join)\s+(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)(?:\s+(?:as\s+)?([A-Za-z_]\w*))?/gi;
  for (const match of sql.matchAll(pattern)) {
    const table = match[1]!;
    const alias = match[2];
    if (alias && !NOT_ALIASES.has(alias.toLowerCase())) aliases.set(alias, table);
    aliases.set(table, table);
  }
  return aliases;
}
