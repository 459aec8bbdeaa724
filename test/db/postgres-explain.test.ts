import { describe, expect, it } from 'vitest';
import { normalizePostgresPlan } from '../../src/db/postgres/postgres-explain';

/** A PostgreSQL `EXPLAIN (FORMAT JSON)` value holding one scan node. */
function scan(node: Record<string, unknown>): unknown {
  return [{ Plan: { 'Relation Name': 'airport', Alias: 'a', 'Plan Rows': 7184, ...node } }];
}

describe('PostgreSQL plans, normalized', () => {
  it('labels an Index Scan without an Index Cond a full index scan: it walks the index in order', () => {
    const plan = normalizePostgresPlan(scan({ 'Node Type': 'Index Scan', 'Index Name': 'airport_name_idx' }));
    expect(plan).toMatchObject({ access: 'full-index-scan', index: 'airport_name_idx', estimatedRows: 7184 });
  });

  it('labels an Index Scan with an Index Cond an index lookup', () => {
    const plan = normalizePostgresPlan(
      scan({ 'Node Type': 'Index Scan', 'Index Name': 'airport_iata_idx', 'Index Cond': "(iata = 'JFK')" }),
    );
    expect(plan).toMatchObject({ access: 'index-lookup', index: 'airport_iata_idx', indexCondition: "(iata = 'JFK')" });
    expect(plan.filter).toBeUndefined();
  });

  it('tells the index condition, the join condition and the filter apart, and keeps the loops', () => {
    const plan = normalizePostgresPlan([
      {
        Plan: {
          'Node Type': 'Hash Join',
          'Hash Cond': '(a.airport_id = ag.airport_id)',
          'Join Filter': '(a.iata IS NOT NULL)',
          Plans: [
            {
              'Node Type': 'Index Scan',
              'Relation Name': 'airport',
              'Index Name': 'airport_pkey',
              'Index Cond': '(airport_id = ag.airport_id)',
              Filter: "((name)::text ~~ 'B%'::text)",
              'Actual Rows': 1,
              'Actual Loops': 241,
              'Rows Removed by Filter': 0,
            },
          ],
        },
      },
    ]);
    expect(plan).toMatchObject({ joinCondition: '(a.airport_id = ag.airport_id)', filter: '(a.iata IS NOT NULL)' });
    expect(plan.children[0]).toMatchObject({
      indexCondition: '(airport_id = ag.airport_id)',
      filter: "((name)::text ~~ 'B%'::text)",
      loops: 241,
    });
  });

  it('treats an Index Only Scan the same way', () => {
    expect(normalizePostgresPlan(scan({ 'Node Type': 'Index Only Scan', 'Index Name': 'i' })).access).toBe(
      'full-index-scan',
    );
    expect(
      normalizePostgresPlan(scan({ 'Node Type': 'Index Only Scan', 'Index Name': 'i', 'Index Cond': '(x = 1)' }))
        .access,
    ).toBe('index-lookup');
  });

  it('keeps a Seq Scan a full table scan', () => {
    expect(normalizePostgresPlan(scan({ 'Node Type': 'Seq Scan' })).access).toBe('full-scan');
  });
});
