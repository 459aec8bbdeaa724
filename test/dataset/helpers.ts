// What the dataset tests share: both engines on the test databases, and a fingerprint of a table's rows.

import { createHash } from 'node:crypto';
import type { EngineKind } from '../../src/config';
import { connectSql } from '../../src/db';
import type { SqlEngine } from '../../src/db/engine';
import { SCHEMA, type TableName } from '../../datasets';
import { testConfig } from '../support/lab';

export const ENGINES: readonly EngineKind[] = ['mysql', 'postgres'];

export const SEED = testConfig().dataset.seed;

export async function connectTestEngines(): Promise<Record<EngineKind, SqlEngine>> {
  const config = testConfig();
  return { mysql: await connectSql(config, 'mysql'), postgres: await connectSql(config, 'postgres') };
}

const PAGE = 50_000;

/**
 * A SHA-256 over every row of a table, read in primary-key order (all columns for tables without one).
 * Rows are compared as the driver returns them, so equal fingerprints mean both engines render every value alike.
 */
export async function tableFingerprint(engine: SqlEngine, table: TableName): Promise<{ rows: number; sha256: string }> {
  const def = SCHEMA[table];
  const q = (name: string) => engine.dialect.quoteIdent(name);
  const columns = def.columns.map((c) => q(c.name)).join(', ');
  const hash = createHash('sha256');
  let rows = 0;
  const key = def.primaryKey;
  if (key && key.length === 1) {
    // Keyset pages, so a big table never sits in memory whole.
    let last = -1;
    for (;;) {
      const { rows: page } = await engine.query<Record<string, unknown>>(
        `SELECT ${columns} FROM ${q(table)} WHERE ${q(key[0]!)} > ${engine.dialect.param(1)} ORDER BY ${q(key[0]!)} LIMIT ${PAGE}`,
        [last],
      );
      for (const row of page) hash.update(`${JSON.stringify(row)}\n`);
      rows += page.length;
      if (page.length < PAGE) break;
      last = Number(page[page.length - 1]![key[0]!]);
    }
  } else {
    const order = (key ?? def.columns.map((c) => c.name)).map(q).join(', ');
    const { rows: all } = await engine.query<Record<string, unknown>>(
      `SELECT ${columns} FROM ${q(table)} ORDER BY ${order}`,
    );
    for (const row of all) hash.update(`${JSON.stringify(row)}\n`);
    rows = all.length;
  }
  return { rows, sha256: hash.digest('hex') };
}

/** The single number a `SELECT COUNT(*) AS n ...` (or any one-value query) returns. */
export async function scalar(engine: SqlEngine, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await engine.query<Record<string, unknown>>(sql, params);
  return Number(Object.values(rows[0] ?? {})[0] ?? 0);
}
