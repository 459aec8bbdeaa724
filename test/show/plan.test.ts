// The plan view: one line per step, indented as a tree, in plain words plus the engine's own.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ExplainResult, PlanNode } from '../../src/db/explain';
import { connectSql, type SqlEngine } from '../../src/db';
import { renderPlan, showPlan } from '../../src/show';
import { testConfig } from '../support/lab';

/** Step 4 of the guide on PostgreSQL: airports of one country, before the index exists. */
const countryScan: PlanNode = {
  operation: 'Sort',
  estimatedRows: 180,
  cost: 1210.5,
  sortKey: 'name',
  children: [
    {
      operation: 'Seq Scan',
      table: 'airport_geo',
      alias: 'g',
      access: 'full-scan',
      estimatedRows: 180,
      cost: 1187.8,
      filter: "(country = 'Germany'::text)",
      children: [],
    },
  ],
};

/** A MariaDB-style join: one full scan, one lookup through the primary key. */
const flightJoin: PlanNode = {
  operation: 'query block',
  cost: 1523.2,
  children: [
    {
      operation: 'nested loop',
      children: [
        {
          operation: 'ref',
          table: 'flight',
          alias: 'f',
          access: 'index-lookup',
          index: 'from_airport_idx',
          estimatedRows: 12_840,
          cost: 1200,
          filter: "f.departure >= TIMESTAMP'2025-12-15 00:00:00' and f.price < 300",
          children: [],
        },
        {
          operation: 'eq_ref',
          table: 'airport',
          alias: 'a',
          access: 'unique-lookup',
          index: 'PRIMARY',
          estimatedRows: 1,
          cost: 1523.2,
          children: [],
        },
      ],
    },
    { operation: 'ALL', table: 'airline', access: 'full-scan', estimatedRows: 976, children: [] },
  ],
};

describe('renderPlan on hand-built plans', () => {
  it('writes one line per node, children indented under their parent', () => {
    const { text } = renderPlan(flightJoin);
    expect(text.split('\n')).toEqual([
      'query block · cost 1,523.2',
      '├─ nested loop',
      '│  ├─ flight AS f: index lookup (ref) using from_airport_idx · est. 12,840 rows · cost 1,200 · ' +
        "filter: f.departure >= TIMESTAMP'2025-12-15 00:00:00' and f.price < 300",
      '│  └─ airport AS a: unique key lookup (eq_ref) using PRIMARY · est. 1 row · cost 1,523.2',
      '└─ airline: full table scan (ALL) · est. 976 rows',
    ]);
  });

  it("names the table, its alias, the access in words and in the engine's word, rows, cost and filter", () => {
    const { text } = renderPlan(countryScan);
    expect(text).toBe(
      'Sort · est. 180 rows · cost 1,210.5 · sort by name\n' +
        "└─ airport_geo AS g: full table scan (Seq Scan) · est. 180 rows · cost 1,187.8 · filter: (country = 'Germany'::text)",
    );
  });

  it('adds actual rows and time when the plan was analyzed, under a heading naming the engine', () => {
    const analyzed: ExplainResult = {
      engine: 'postgres',
      sql: 'EXPLAIN (ANALYZE, FORMAT JSON) ...',
      raw: [],
      analyzed: true,
      plan: {
        ...countryScan,
        actualRows: 0,
        actualMs: 0.912,
        children: [{ ...countryScan.children[0]!, actualRows: 0, actualMs: 0.875 }],
      },
    };
    const lines = renderPlan(analyzed).text.split('\n');
    expect(lines[0]).toBe(
      'PostgreSQL EXPLAIN ANALYZE (the query ran): est. = the guess, read = rows taken from the table, actual = rows passed on, ms = server time',
    );
    expect(lines[1]).toBe('Sort · est. 180 rows · actual 0 rows · cost 1,210.5 · 0.912 ms · sort by name');
    expect(lines[2]).toContain('· actual 0 rows · cost 1,187.8 · 0.875 ms ·');
  });

  it('names each condition by what it does: the index finds, the join matches, the filter throws away', () => {
    const line = renderPlan({
      operation: 'ref',
      table: 'flight',
      access: 'index-lookup',
      index: 'flight_to_idx',
      indexCondition: 'f.to_airport = 12',
      rowidFilter: 'flight_departure_idx',
      filter: 'f.price < 300',
      children: [],
    }).text;
    expect(line).toBe(
      'flight: index lookup (ref) using flight_to_idx · index condition: f.to_airport = 12 · ' +
        'rowid filter through flight_departure_idx · filter: f.price < 300',
    );
  });

  it('says when row figures are per loop', () => {
    const line = renderPlan({
      operation: 'eq_ref',
      table: 'airport',
      access: 'unique-lookup',
      estimatedRows: 1,
      rowsRead: 1,
      actualRows: 0,
      loops: 241,
      children: [],
    }).text;
    expect(line).toBe(
      'airport: unique key lookup (eq_ref) · 241 loops · est. 1 row per loop · read 1 row per loop · actual 0 rows per loop',
    );
  });

  it('escapes the HTML view, sets it in <pre>, and marks full scans', () => {
    const { html } = renderPlan(flightJoin);
    expect(html.startsWith('<pre class="lab-plan"')).toBe(true);
    expect(html.endsWith('</pre>')).toBe(true);
    expect(html).toContain('f.price &lt; 300');
    expect(html).not.toContain('f.price < 300');
    expect(html).toContain('<span style="color:#b42318;font-weight:bold">└─ airline: full table scan (ALL)');
  });

  it('cuts very long filters (the plan keeps them whole)', () => {
    const long: PlanNode = {
      operation: 'Seq Scan',
      table: 'booking',
      access: 'full-scan',
      filter: `(${'x'.repeat(300)})`,
      children: [],
    };
    const line = renderPlan(long, { maxFilterChars: 40 }).text;
    expect(line.endsWith('…')).toBe(true);
    expect(line.length).toBeLessThan(100);
  });

  it('prints and returns the text outside a notebook', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(showPlan(countryScan)).toBe(renderPlan(countryScan).text);
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
  });
});

// Real EXPLAIN output, on the system catalogs: the test database's tables belong to other tests.
describe.each([
  {
    engine: 'mysql' as const,
    sql:
      'SELECT t.table_name, c.column_name FROM information_schema.tables t ' +
      'JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name ' +
      'WHERE t.table_schema = ? ORDER BY t.table_name',
    params: ['mysql'],
    heading: 'MariaDB/MySQL EXPLAIN',
  },
  {
    engine: 'postgres' as const,
    sql:
      'SELECT c.relname, a.attname FROM pg_catalog.pg_class c ' +
      'JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid WHERE c.relname = $1 ORDER BY a.attnum',
    params: ['pg_class'],
    heading: 'PostgreSQL EXPLAIN',
  },
])('renderPlan on real $engine EXPLAIN output', ({ engine, sql, params, heading }) => {
  let db: SqlEngine;
  beforeAll(async () => {
    db = await connectSql(testConfig(), engine);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('draws every node of the normalized plan, one line each, under the heading', async () => {
    const explained = await db.explain(sql, params);
    const lines = renderPlan(explained).text.split('\n');
    expect(lines[0]).toBe(`${heading} (the query did not run): est. = the optimizer's guess of rows`);
    expect(lines).toHaveLength(1 + countNodes(explained.plan));
    for (const line of lines.slice(2)) expect(line).toMatch(/^[│ ]*[├└]─ \S/);
    // Each table the plan reads appears with its access in words and the engine's own word.
    const tables = lines.filter((l) => / AS \w+: /.test(l) || /^\S+: /.test(l.replace(/^[│ ├└─]*/, '')));
    expect(tables.length).toBeGreaterThan(0);
    for (const line of tables) expect(line).toMatch(/: [a-z ,]+ \([A-Za-z_ ]+\)/);
  });

  it('adds actual rows with analyze', async () => {
    const explained = await db.explain(sql, params, { analyze: true });
    const { text, html } = renderPlan(explained);
    expect(text.split('\n')[0]).toBe(
      `${heading} ANALYZE (the query ran): est. = the guess, read = rows taken from the table, actual = rows passed on, ms = server time`,
    );
    expect(text).toMatch(/ ms/);
    expect(html).toMatch(/^<pre class="lab-plan"/);
  });
});

function countNodes(node: PlanNode): number {
  return 1 + node.children.reduce((sum, child) => sum + countNodes(child), 0);
}
