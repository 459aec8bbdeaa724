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
    expect(plan).toMatchObject({ access: 'index-lookup', index: 'airport_iata_idx', filter: "(iata = 'JFK')" });
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
