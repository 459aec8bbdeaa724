// The SqlEngine adapter for MariaDB and MySQL, on mysql2.

import mysql from 'mysql2/promise';
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
import { tableAliases, type ExplainResult } from '../explain';
import { mysqlDialect } from './mysql-dialect';
import { MysqlBulkSession } from './mysql-bulk';
import { normalizeMysqlPlan } from './mysql-explain';

export class MysqlEngine implements SqlEngine {
  readonly kind = 'mysql' as const;
  readonly dialect = mysqlDialect;
  readonly where: string;
  private info: SqlServerInfo | undefined;

  /** Use `connectMysql`, which checks the connection first. */
  constructor(
    readonly target: DbTarget,
    /** The mysql2 pool, for the few places that need the driver itself (bulk loading). */
    readonly pool: mysql.Pool,
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
    let connection: mysql.PoolConnection;
    try {
      connection = await this.pool.getConnection();
      await connection.beginTransaction();
    } catch (error) {
      throw queryConnectionError(this.target, error);
    }
    try {
      const value = await work({
        query: <R = Row>(sql: string, params: readonly unknown[] = []) => runOn<R>(connection, sql, params),
      });
      await connection.commit();
      connection.release();
      return value;
    } catch (error) {
      // A connection that cannot even roll back is closed rather than handed to the next query.
      await connection.rollback().then(
        () => connection.release(),
        () => connection.destroy(),
      );
      throw error;
    }
  }

  async explain(sql: string, params: readonly unknown[] = [], options: ExplainOptions = {}): Promise<ExplainResult> {
    const info = await this.serverInfo();
    // MariaDB runs the statement and reports actual rows with ANALYZE FORMAT=JSON; MySQL's EXPLAIN ANALYZE
    // has no JSON form, so there the plan stays an estimate.
    const analyzed = Boolean(options.analyze) && info.flavor === 'mariadb';
    const explainSql = `${analyzed ? 'ANALYZE' : 'EXPLAIN'} FORMAT=JSON ${sql}`;
    const { rows } = await this.query<Row>(explainSql, params);
    const text = Object.values(rows[0] ?? {})[0];
    const raw = JSON.parse(String(text)) as Record<string, unknown>;
    return { engine: 'mysql', sql: explainSql, raw, plan: normalizeMysqlPlan(raw, tableAliases(sql)), analyzed };
  }

  async serverInfo(): Promise<SqlServerInfo> {
    if (!this.info) {
      const { rows } = await this.query<{ version: string; user: string }>(
        'SELECT VERSION() AS version, CURRENT_USER() AS user',
      );
      const version = rows[0]!.version;
      const flavor = /mariadb/i.test(version) ? 'mariadb' : 'mysql';
      const number = version.split('-')[0]!;
      this.info = {
        engine: 'mysql',
        flavor,
        version,
        label: `${flavor === 'mariadb' ? 'MariaDB' : 'MySQL'} ${number}`,
        where: this.where,
        user: this.target.user,
      };
    }
    return this.info;
  }

  async listTables(): Promise<string[]> {
    const { rows } = await this.query<Row>(mysqlDialect.listTablesSql);
    return rows.map((row) => String(Object.values(row)[0]));
  }

  async describeTable(table: string): Promise<ColumnInfo[]> {
    const { sql, params } = mysqlDialect.describeTable(table);
    const { rows } = await this.query<DescribeRow>(sql, params);
    return columnsFromDescribe(rows);
  }

  openBulkSession(): Promise<BulkSession> {
    return MysqlBulkSession.open(this.pool);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * One statement on a pool or a connection. With parameters: a server-side prepared statement, so values are
 * bound, never spliced into the SQL. Without: the text protocol, which also accepts statements that cannot be
 * prepared (DDL, SHOW...).
 */
async function runOn<R>(
  on: mysql.Pool | mysql.PoolConnection,
  sql: string,
  params: readonly unknown[],
): Promise<QueryResult<R>> {
  const started = performance.now();
  const [result] =
    params.length > 0 ? await on.execute(sql, params as Parameters<mysql.Pool['execute']>[1]) : await on.query(sql);
  const elapsedMs = performance.now() - started;
  if (Array.isArray(result)) return { rows: result as R[], elapsedMs, affectedRows: 0 };
  return { rows: [], elapsedMs, affectedRows: (result as mysql.ResultSetHeader).affectedRows ?? 0 };
}

/** Options both the lab and set-up use, so rows look the same on both engines (see postgres-engine). */
export function mysqlPoolOptions(target: DbTarget): mysql.PoolOptions {
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password ?? '',
    database: target.database,
    connectionLimit: 8,
    connectTimeout: 5_000,
    // Plain JSON-friendly values: timestamps as 'YYYY-MM-DD HH:MM:SS' text, DECIMAL as numbers.
    dateStrings: true,
    decimalNumbers: true,
    supportBigNumbers: true,
    timezone: 'Z',
    charset: 'utf8mb4',
  };
}

/** Opens a pool and proves it works; failures become one clear LabError. */
export async function connectMysql(target: DbTarget, urlVariable = 'MYSQL_URL'): Promise<MysqlEngine> {
  const pool = mysql.createPool(mysqlPoolOptions(target));
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw connectError(target, urlVariable, error);
  }
  return new MysqlEngine(target, pool);
}
