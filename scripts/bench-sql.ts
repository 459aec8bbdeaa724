// Benchmarks SqlEngine.query against the bare driver (mysql2, pg) on a primary-key lookup, in one run.
//
//   npm run bench:sql -- [--engine mysql|postgres|both] [--requests 3000] [--no-write]
//
// Runs on the test database (set-up creates it; the tiny dataset is loaded when missing). Prints a table
// and appends it, with the machine and versions, to docs/PERFORMANCE.md.

import { parseArgs } from 'node:util';
import { ENGINE_KINDS, connectSql, type EngineKind, type SqlEngine } from '../src/internal';
import type { MysqlEngine } from '../src/db/mysql/mysql-engine';
import type { PostgresEngine } from '../src/db/postgres/postgres-engine';
import { testConfig } from '../test/support/lab';
import { ensureTinyDataset } from '../test/support/dataset';
import { markdownTable, percentile, report, spread, timeEach } from './lib/bench-report';
import { runMain } from './lib/cli';

const GOAL = 1.1;

type BareDriver = (engine: SqlEngine) => (sql: string, params: unknown[]) => Promise<unknown>;

/**
 * Each engine's driver called directly, on the engine's own pool: the same connection serves both paths, so only
 * the engine's layer differs. Two connections to one server can differ by a fifth on their own (two identical pg
 * pools measured 0.13 and 0.16 ms p50 side by side), which a comparison across pools would charge to the layer.
 */
const BARE_DRIVERS: Record<EngineKind, BareDriver> = {
  // The engine binds parameters the same way: a prepared statement.
  mysql: (engine) => {
    const { pool } = engine as MysqlEngine;
    return (sql, params) => pool.execute(sql, params as Parameters<typeof pool.execute>[1]);
  },
  postgres: (engine) => {
    const { pool } = engine as PostgresEngine;
    return (sql, params) => pool.query(sql, params);
  },
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'both' },
      requests: { type: 'string', default: '3000' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const requests = Number(values.requests);
  const engines = values.engine === 'both' ? [...ENGINE_KINDS] : [values.engine as EngineKind];
  const config = testConfig();
  const rows: string[][] = [];
  const versions: string[] = [];
  for (const kind of engines) {
    const engine = await connectSql(config, kind);
    await ensureTinyDataset(engine);
    const info = await engine.serverInfo();
    versions.push(info.label ?? `${info.flavor} ${info.version}`);
    const sql = `SELECT * FROM airport WHERE airport_id = ${engine.dialect.param(1)}`;
    const ids = (
      await engine.query<{ airport_id: number }>('SELECT airport_id FROM airport ORDER BY airport_id LIMIT 500')
    ).rows.map((r) => r.airport_id);
    const id = (i: number) => ids[i % ids.length]!;
    const driver = BARE_DRIVERS[kind](engine);
    const bare = (i: number) => driver(sql, [id(i)]);
    const lab = (i: number) => engine.query(sql, [id(i)]);
    await timeEach(300, lab);
    await timeEach(300, bare);
    // Alternate one lookup each way, so load that comes and goes weighs on both alike.
    const labSamples: number[] = [];
    const bareSamples: number[] = [];
    for (let i = 0; i < requests; i += 1) {
      const [first, second] = i % 2 === 0 ? [lab, bare] : [bare, lab];
      const t0 = performance.now();
      await first(i);
      const t1 = performance.now();
      await second(i);
      const t2 = performance.now();
      (first === lab ? labSamples : bareSamples).push(t1 - t0);
      (second === lab ? labSamples : bareSamples).push(t2 - t1);
    }
    const [labP50, bareP50] = [percentile(labSamples, 50), percentile(bareSamples, 50)];
    rows.push([
      info.label ?? kind,
      spread(labSamples),
      spread(bareSamples),
      `${(labP50 / bareP50).toFixed(2)}× (≤${GOAL})`,
    ]);
    await engine.close();
  }
  report(
    'SqlEngine.query against the bare driver, primary-key lookup',
    `${versions.join(', ')}; ${requests} lookups per path, test database, tiny dataset`,
    markdownTable(['server', 'SqlEngine p50 / p95 / p99 ms', 'driver p50 / p95 / p99 ms', 'p50 ratio'], rows),
    !values['no-write'],
  );
}

runMain(main);
