// The plan view: a normalized EXPLAIN as an indented tree, one line per step, in words a learner can read.

import { indexesUsed, tableAccesses, type AccessKind, type ExplainResult, type PlanNode } from '../db/explain';
import { present } from './display';
import { escapeHtml, formatNumber, truncate } from './format';

export interface PlanViewOptions {
  /** Longer filters are cut with `…` (the full text stays in the plan). Default 120. */
  maxFilterChars?: number;
}

export interface RenderedPlan {
  html: string;
  text: string;
}

/** The normalized access kinds in words; the engine's own word follows in brackets. */
const ACCESS_WORDS: Record<AccessKind, string> = {
  'full-scan': 'full table scan',
  'full-index-scan': 'full index scan',
  'index-range': 'index range scan',
  'index-lookup': 'index lookup',
  'unique-lookup': 'unique key lookup',
  const: 'single row, read up front',
  other: 'read',
};

const ENGINE_NAMES: Record<ExplainResult['engine'], string> = { mysql: 'MariaDB/MySQL', postgres: 'PostgreSQL' };

/** Full scans stand out in the HTML view: they are what an index should fix. */
const FULL_SCAN_STYLE = 'color:#b42318;font-weight:bold';

/**
 * One line per plan step, children indented below their parent:
 * `airport_geo: full table scan (ALL) · est. 9,854 rows · cost 1,005 · filter: country = 'Germany'`.
 * Accepts an `ExplainResult` (adds a heading line: engine, estimated or actual) or a bare `PlanNode`.
 */
export function renderPlan(plan: ExplainResult | PlanNode, options: PlanViewOptions = {}): RenderedPlan {
  const maxFilterChars = options.maxFilterChars ?? 120;
  const root = isExplainResult(plan) ? plan.plan : plan;
  const lines: Array<{ text: string; fullScan: boolean }> = [];
  if (isExplainResult(plan)) lines.push({ text: heading(plan), fullScan: false });
  walk(root, '', '', (node, prefix) => {
    lines.push({ text: prefix + describeNode(node, maxFilterChars), fullScan: node.access === 'full-scan' });
  });
  const html = lines
    .map((l) => (l.fullScan ? `<span style="${FULL_SCAN_STYLE}">${escapeHtml(l.text)}</span>` : escapeHtml(l.text)))
    .join('\n');
  return {
    html: `<pre class="lab-plan" style="line-height:1.4">${html}</pre>`,
    text: lines.map((l) => l.text).join('\n'),
  };
}

/** Shows the plan in a notebook; elsewhere prints and returns it as text. */
export function showPlan(plan: ExplainResult | PlanNode, options: PlanViewOptions = {}): string | undefined {
  const view = renderPlan(plan, options);
  return present('html', view.html, view.text);
}

/** One plan step as one line: what it reads and how, then its figures. */
export function describeNode(node: PlanNode, maxFilterChars = 120): string {
  const what = node.table ? describeAccess(node) : node.operation;
  const details: string[] = [];
  // Row figures of a step that ran many times are per loop (both engines average them): say so.
  const perLoop = node.loops !== undefined && node.loops > 1 ? ' per loop' : '';
  if (perLoop) details.push(`${formatNumber(node.loops!)} loops`);
  if (node.estimatedRows !== undefined) details.push(rows('est.', node.estimatedRows) + perLoop);
  if (node.rowsRead !== undefined && node.rowsRead !== node.actualRows)
    details.push(rows('read', node.rowsRead) + perLoop);
  if (node.actualRows !== undefined) details.push(rows('actual', node.actualRows) + perLoop);
  if (node.cost !== undefined) details.push(`cost ${formatNumber(node.cost)}`);
  if (node.actualMs !== undefined) details.push(`${formatNumber(node.actualMs)} ms`);
  const condition = (label: string, text: string | undefined) => {
    if (text) details.push(`${label} ${truncate(text.replace(/\s+/g, ' '), maxFilterChars)}`);
  };
  condition('index condition:', node.indexCondition);
  condition('rowid filter through', node.rowidFilter);
  condition('join on', node.joinCondition);
  condition('filter:', node.filter);
  condition('sort by', node.sortKey);
  return [what, ...details].join(' · ');
}

/** `flight AS f: index lookup (ref) using from_airport_idx`. */
function describeAccess(node: PlanNode): string {
  const name = node.alias ? `${node.table} AS ${node.alias}` : node.table!;
  const access = node.access ? ACCESS_WORDS[node.access] : undefined;
  // The engine's own word (ALL, ref, Seq Scan…) follows the plain words, so both can be looked up.
  const how = access && access !== node.operation ? `${access} (${node.operation})` : node.operation;
  return `${name}: ${how}${node.index ? ` using ${node.index}` : ''}`;
}

function heading(result: ExplainResult): string {
  // The heading says what the figures are, so a learner never mistakes an estimate for a count.
  const kind = result.analyzed
    ? 'EXPLAIN ANALYZE (the query ran): est. = the guess, read = rows taken from the table, actual = rows passed on, ms = server time'
    : "EXPLAIN (the query did not run): est. = the optimizer's guess of rows";
  return `${ENGINE_NAMES[result.engine]} ${kind}`;
}

function rows(label: string, count: number): string {
  return `${label} ${formatNumber(count)} ${count === 1 ? 'row' : 'rows'}`;
}

/** Depth first, drawing the tree's branches (├─ └─ │) in front of each line. */
function walk(
  node: PlanNode,
  prefix: string,
  childPrefix: string,
  visit: (node: PlanNode, prefix: string) => void,
): void {
  visit(node, prefix);
  node.children.forEach((child, i) => {
    const last = i === node.children.length - 1;
    walk(child, childPrefix + (last ? '└─ ' : '├─ '), childPrefix + (last ? '   ' : '│  '), visit);
  });
}

function isExplainResult(plan: ExplainResult | PlanNode): plan is ExplainResult {
  return 'plan' in plan && 'engine' in plan;
}

/** How one table was read, as a table row: `showTable(plans.map((p) => tableReadRow(p, 'flight')))`. */
export type TableReadRow = {
  'read through': string;
  'filtered through': string;
  'rows read': number | string;
  'rows kept': number | string;
};

/**
 * How an analyzed plan read `table`: the index it went through, MariaDB's rowid filter if any, the rows taken
 * from the table and the rows passed on (for the first step that reads it).
 */
export function tableReadRow(explained: ExplainResult, table: string): TableReadRow {
  const node = tableAccesses(explained.plan, table)[0];
  const through = node?.access === 'full-scan' ? 'nothing (full scan)' : (node?.index ?? 'nothing');
  const others = indexesUsed(explained.plan, table).filter((index) => index !== node?.index);
  return {
    'read through': through,
    'filtered through': others.join(', ') || '-',
    'rows read': node?.rowsRead ?? node?.actualRows ?? '?',
    'rows kept': node?.actualRows ?? '?',
  };
}
