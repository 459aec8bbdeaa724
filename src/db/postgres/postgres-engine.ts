// The SqlEngine adapter for PostgreSQL, on pg.

import pg from 'pg';
import type { DbTarget } from '../../config';
import { connectError, queryConnectionError } from '../connect-errors';
import {
  columnsFromDescribe,
  type BulkSession,
  type ColumnInfo,
  type DescribeRow,
  type ExplainOptions,
  type QueryResult,
  type Row,
  type SqlEngine,
  type SqlServerInfo,
  type Transaction,
} from '../engine';
import type { ExplainResult } from '../explain';
import { postgresDialect } from './postgres-dialect';
import { PostgresBulkSession } from './postgres-bulk';
import { normalizePostgresPlan } from './postgres-explain';

const OID = { int8: 20, numeric: 1700, date: 1082, timestamp: 1114, timestamptz: 1184 } as const;

/**
 * Rows look the same as MariaDB's (see mysqlPoolOptions): counts and DECIMALs as numbers,
 * dates and timestamps as the server's text ('YYYY-MM-DD HH:MM:SS'), not JavaScript Dates.
 */
const labTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === OID.int8 || oid === OID.numeric) return (value: string) => Number(value);
    if (oid === OID.date || oid === OID.timestamp || oid === OID.timestamptz) return (value: string) => value;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export class PostgresEngine implements SqlEngine {
  readonly kind = 'postgres' as const;
  readonly dialect = postgresDialect;
  readonly where: string;
  private info: SqlServerInfo | undefined;

  /** Use `connectPostgres`, which checks the connection first. */
  constructor(
    readonly target: DbTarget,
    /** The pg pool, for the few places that need the driver itself (bulk loading). */
    readonly pool: pg.Pool,
  ) {
    this.where = target.where;
  }

  async query<R = Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    try {
      return await runOn<R>(this.pool, sql, params);
    } catch (error) {
      throw queryConnectionError(this.target, error);
    }
  }

  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw queryConnectionError(this.target, error);
    }
    try {
      await client.query('BEGIN');
      const value = await work({
        query: <R = Row>(sql: string, params: readonly unknown[] = []) => runOn<R>(client, sql, params),
      });
      await client.query('COMMIT');
      client.release();
      return value;
    } catch (error) {
      // A connection that cannot even roll back is closed rather than handed to the next query.
      await client.query('ROLLBACK').then(
        () => client.release(),
        () => client.release(true),
      );
      throw error;
    }
  }

  async explain(sql: string, params: readonly unknown[] = [], options: ExplainOptions = {}): Promise<ExplainResult> {
    const analyzed = Boolean(options.analyze);
    const explainSql = `EXPLAIN (${analyzed ? 'ANALYZE, ' : ''}FORMAT JSON) ${sql}`;
    const { rows } = await this.query<{ 'QUERY PLAN': unknown }>(explainSql, params);
    const raw = rows[0]?.['QUERY PLAN'];
    return { engine: 'postgres', sql: explainSql, raw, plan: normalizePostgresPlan(raw), analyzed };
  }

  async serverInfo(): Promise<SqlServerInfo> {
    if (!this.info) {
      const { rows } = await this.query<{ version: string }>('SHOW server_version');
      const version = String(Object.values(rows[0] ?? {})[0]);
      this.info = {
        engine: 'postgres',
        flavor: 'postgresql',
        version,
        label: `PostgreSQL ${version.split(' ')[0]}`,
        where: this.where,
        user: this.target.user,
      };
    }
    return this.info;
  }

  async listTables(): Promise<string[]> {
    const { rows } = await this.query<Row>(postgresDialect.listTablesSql);
    return rows.map((row) => String(Object.values(row)[0]));
  }

  async describeTable(table: string): Promise<ColumnInfo[]> {
    const { sql, params } = postgresDialect.describeTable(table);
    const { rows } = await this.query<DescribeRow>(sql, params);
    return columnsFromDescribe(rows);
  }

  openBulkSession(): Promise<BulkSession> {
    return PostgresBulkSession.open(this.pool);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Options both the lab and set-up use. */
export function postgresPoolOptions(target: DbTarget): pg.PoolConfig {
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    max: 8,
    connectionTimeoutMillis: 5_000,
    types: labTypes,
  };
}

/** One statement on the pool or on a transaction's client; a multi-statement string answers with its last result. */
async function runOn<R>(on: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[]): Promise<QueryResult<R>> {
  const started = performance.now();
  const result = (await on.query(sql, params as unknown[])) as pg.QueryResult | pg.QueryResult[];
  const elapsedMs = performance.now() - started;
  const last = Array.isArray(result) ? (result.at(-1) as pg.QueryResult) : result;
  const isRead = last.command === 'SELECT' || last.command === 'SHOW' || last.command === 'EXPLAIN';
  return { rows: last.rows as R[], elapsedMs, affectedRows: isRead ? 0 : (last.rowCount ?? 0) };
}

/** Opens a pool and proves it works; failures become one clear LabError. */
export async function connectPostgres(target: DbTarget, urlVariable = 'PG_URL'): Promise<PostgresEngine> {
  const pool = new pg.Pool(postgresPoolOptions(target));
  // An idle client that loses its server emits 'error' on the pool; without a listener that kills the process.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw connectError(target, urlVariable, error);
  }
  return new PostgresEngine(target, pool);
}
